import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPLY_CATEGORIES, SPAN_CATEGORIES, validateCorpusFile } from './validate-corpus';

const dir = path.dirname(new URL(import.meta.url).pathname);
const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();

function readAll() {
  const seen = new Map<string, string>();
  const all = files.map((f) => validateCorpusFile(f, readFileSync(path.join(dir, f), 'utf8'), seen));
  return { cases: all.flatMap((r) => r.cases), errors: all.flatMap((r) => r.errors) };
}

describe('labelled corpus (test/corpus/*.jsonl)', () => {
  it('every line is a well-formed case whose labels resolve in its draft', () => {
    const { errors } = readAll();
    expect(errors).toEqual([]);
  });

  it('is large enough and covers every category of the spec, flagged and trapped', () => {
    const { cases } = readAll();
    expect(cases.length).toBeGreaterThanOrEqual(250);
    for (const category of SPAN_CATEGORIES) {
      expect(cases.filter((c) => c.expect?.some((l) => l.category === category)).length, `${category} expected`).toBeGreaterThan(0);
      expect(cases.filter((c) => c.traps?.some((l) => l.category === category)).length, `${category} trapped`).toBeGreaterThan(0);
    }
    for (const category of REPLY_CATEGORIES) {
      const states = new Set(cases.map((c) => c.reply?.[category]).filter(Boolean));
      expect([...states].sort(), category).toEqual(
        category === 'missing-next-step' ? ['missing', 'satisfied'] : ['missing', 'not-required', 'satisfied'],
      );
    }
  });

  it('has both clean drafts and drafts with findings', () => {
    const { cases } = readAll();
    expect(cases.filter((c) => !c.expect?.length).length).toBeGreaterThan(20);
    expect(cases.filter((c) => (c.expect?.length ?? 0) >= 3).length).toBeGreaterThan(10);
  });
});

describe('corpus validator rejects malformed corpora', () => {
  const ok = { id: 'x-1', channel: 'chat', draft: 'でも、確認いたします。', expect: [{ category: 'forbidden-phrase', text: 'でも' }] };
  const check = (...lines: unknown[]) => validateCorpusFile('bad.jsonl', lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')).errors;

  it('accepts a valid case', () => {
    expect(check(ok)).toEqual([]);
  });
  it('reports a line that is not JSON', () => {
    expect(check('{"id": "x-1", "draft": ')[0]).toMatch(/bad\.jsonl:1: not valid JSON/);
  });
  it('reports duplicate ids across files', () => {
    const seen = new Map<string, string>();
    validateCorpusFile('a.jsonl', JSON.stringify(ok), seen);
    expect(validateCorpusFile('b.jsonl', JSON.stringify(ok), seen).errors[0]).toMatch(/duplicate id, first used at a\.jsonl:1/);
  });
  it('reports a label whose text is not in the draft, or not there the nth time', () => {
    expect(check({ ...ok, expect: [{ category: 'forbidden-phrase', text: 'だって' }] })[0]).toMatch(/「だって」 \(nth 0\) is not in the draft/);
    expect(check({ ...ok, expect: [{ category: 'forbidden-phrase', text: 'でも', nth: 1 }] })[0]).toMatch(/nth 1/);
  });
  it('reports unknown categories, bad reply states and an expected span that is also a trap', () => {
    expect(check({ ...ok, expect: [{ category: 'conjunction', text: 'でも' }] })[0]).toMatch(/unknown span category "conjunction"/);
    expect(check({ ...ok, reply: { 'missing-apology': 'ok' } })[0]).toMatch(/must be satisfied, missing or not-required/);
    expect(check({ ...ok, reply: { 'missing-greeting': 'missing' } })[0]).toMatch(/unknown reply category/);
    expect(check({ ...ok, traps: [{ category: 'forbidden-phrase', text: 'でも、' }] })[0]).toMatch(/overlaps a trap/);
  });
  it('reports labels that contradict the spec', () => {
    expect(check({ ...ok, reply: { 'missing-apology': 'missing' } })[0]).toMatch(/not-required without a customer message/);
    // Escalation is satisfied by a hand-off naming who answers by when (issue 8), so 'satisfied' is a valid label.
    expect(check({ ...ok, customer: '上司を出せ', reply: { escalation: 'satisfied' } })).toEqual([]);
    expect(check({ ...ok, reply: { 'missing-next-step': 'not-required' } })[0]).toMatch(/always required/);
  });
  it('reports a missing draft, a wrong channel and stray fields', () => {
    expect(check({ id: 'x-2', channel: 'chat' })[0]).toMatch(/"draft" must be a non-empty string/);
    expect(check({ ...ok, channel: 'phone' })[0]).toMatch(/"channel" must be "chat" or "email"/);
    expect(check({ ...ok, expected: [] })[0]).toMatch(/unknown field "expected"/);
  });
});
