// What the engine answers before the dictionary has loaded (browser start: phrase rules run at once, token rules
// later) must never be wrong, only incomplete: every underline, checklist item and reply-level finding it shows is one
// the engine with the tokenizer shows too, for the same draft.
import { describe, expect, it } from 'vitest';
import { createEngine, type AnalyzeResult, type Finding } from '../../src/engine/index';
import { readCorpus } from '../../src/node/corpus';
import { builtinPack, tokenizer } from '../helpers';

const findingKey = (f: Finding) => `${f.rule}@${f.start ?? 'reply'}-${f.end ?? ''}|${f.message}`;

/** What `early` shows that `full` does not (an empty list when early is a part of full). */
function shownWrongly(early: AnalyzeResult, full: AnalyzeResult): string[] {
  const fullFindings = new Set(full.findings.map(findingKey));
  const fullItems = new Map(full.checklist.map((item) => [item.rule, item]));
  return [
    ...early.findings.filter((f) => !fullFindings.has(findingKey(f))).map((f) => `finding ${findingKey(f)}`),
    ...early.checklist
      // Same state; a satisfied check may quote other evidence (the first one found without tokens).
      .filter((item) => fullItems.get(item.rule)?.state !== item.state)
      .map((item) => `checklist ${item.rule}: ${item.state} (with tokens: ${fullItems.get(item.rule)?.state ?? 'absent'})`),
  ];
}

describe('the engine before the tokenizer is attached', () => {
  it('shows on every corpus case only what it shows with the tokenizer', async () => {
    const packs = [await builtinPack()];
    const early = createEngine({ packs });
    const full = createEngine({ packs, tokenizer: await tokenizer });
    const cases = readCorpus();
    const wrong: string[] = [];
    let earlyFindings = 0;
    let earlyItems = 0;
    for (const c of cases) {
      const input = { draft: c.draft, customer: c.customer };
      const before = early.analyze(input);
      earlyFindings += before.findings.length;
      earlyItems += before.checklist.length;
      wrong.push(...shownWrongly(before, full.analyze(input)).map((what) => `${c.id}: ${what}`));
    }
    expect(wrong).toEqual([]);
    // Not vacuous: phrase rules and checks that need no tokens do answer before the dictionary.
    // (3,348 cases: 764 findings and 2,548 checklist items early.)
    expect(earlyFindings).toBeGreaterThan(cases.length / 5);
    expect(earlyItems).toBeGreaterThan(cases.length / 2);
  });

  it('leaves out a check it cannot decide yet, then decides it once the tokenizer is attached', async () => {
    const engine = createEngine({ packs: [await builtinPack()] });
    // An apology is needed: whether the customer complains is read partly from tokens (言葉の活用).
    const input = { draft: 'お問い合わせありがとうございます。確認いたします。', customer: '届いた商品が壊れていました。交換してもらえませんか。' };
    const before = engine.analyze(input);
    engine.setTokenizer(await tokenizer);
    const after = engine.analyze(input);
    expect(after.checklist.find((item) => item.category === 'missing-apology')?.state).toBe('missing');
    const early = before.checklist.find((item) => item.category === 'missing-apology');
    expect(early === undefined || early.state === 'missing').toBe(true);
  });
});
