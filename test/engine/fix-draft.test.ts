// fixDraft: `kizuki check --fix` applies many suggestions through suggestionEdit, the one place a click becomes text.
import { describe, expect, it } from 'vitest';
import { fixDraft, type Finding } from '../../src/engine/index';

const span = (rule: string, draft: string, text: string, replacement: string, from = 0): Finding => {
  const start = draft.indexOf(text, from);
  return { rule, pack: 'p', category: 'c', severity: 'warning', scope: 'span', start, end: start + text.length, text, message: 'm', suggestions: [{ text: replacement }] };
};

/** A stand-in analyser: each (from → to) pair flags every occurrence of `from`. */
const analyzer = (pairs: [string, string, string][]) => (draft: string) => ({
  findings: pairs.flatMap(([rule, from, to]) => {
    const out: Finding[] = [];
    for (let i = draft.indexOf(from); i >= 0; i = draft.indexOf(from, i + 1)) out.push(span(rule, draft, from, to, i));
    return out;
  }),
});

describe('fixDraft', () => {
  it('applies every safe, non-overlapping first suggestion in one pass, and only safe ones', () => {
    const result = fixDraft('了解です。無理です。了解です。', analyzer([['ryokai', '了解です', '承知いたしました'], ['muri', '無理です', '難しいです']]), (f) => f.rule === 'ryokai');
    expect(result.text).toBe('承知いたしました。無理です。承知いたしました。');
    expect(result.applied.map((a) => a.rule)).toEqual(['ryokai', 'ryokai']);
    expect(result.converged).toBe(true);
  });

  it('leaves an overlapping fix for the next pass, which analyses the fixed text again', () => {
    // 「ABC」: AB→X and BC→Y overlap; after AB→X the text is 「XC」, where BC no longer occurs.
    const result = fixDraft('ABC', analyzer([['ab', 'AB', 'X'], ['bc', 'BC', 'Y'], ['xc', 'XC', 'Z']]), () => true);
    expect(result.applied.map((a) => [a.rule, a.pass])).toEqual([['ab', 1], ['xc', 2]]);
    expect(result.text).toBe('Z');
    expect(result.passes).toBe(3);
  });

  it('stops after maxPasses, and on a text it has already produced', () => {
    const grow = fixDraft('a', analyzer([['grow', 'a', 'aa']]), () => true, { maxPasses: 3 });
    expect(grow.converged).toBe(false);
    expect(grow.passes).toBe(3);
    const cycle = fixDraft('a', (d) => ({ findings: [span('swap', d, d, d === 'a' ? 'b' : 'a')] }), () => true);
    expect(cycle.text).toBe('b');
    expect(cycle.converged).toBe(true);
  });

  it('never applies a suggestion that leaves a blank to fill in', () => {
    const result = fixDraft('返品はできません。', analyzer([['alt', 'できません', '〇〇できます']]), () => true);
    expect(result.text).toBe('返品はできません。');
  });
});
