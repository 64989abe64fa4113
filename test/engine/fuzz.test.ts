// The short, seeded version of `npm run fuzz` (src/node/fuzz.ts): hostile drafts through the built-in pack and the
// real tokenizer, checking that nothing throws, spans are exact whole code points, and results agree cold, warm,
// after an edit elsewhere, before and after the tokenizer is attached, and with emoji inserted.
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/node/corpus';
import { formatFuzzReport, runFuzz } from '../../src/node/fuzz';
import { builtinPack, tokenizer } from '../helpers';

describe('fuzzing the engine with hostile drafts', () => {
  it('300 drafts and one of 30,000 characters keep every invariant', async () => {
    const cases = readCorpus();
    const texts = [...cases.map((c) => c.draft), ...cases.flatMap((c) => (c.customer ? [c.customer] : []))];
    const report = runFuzz({ packs: [await builtinPack()], tokenizer: await tokenizer, texts, drafts: 300, seed: 9, big: 1, bigChars: 30_000 });
    expect(report.drafts).toBe(301);
    expect(report.failures, formatFuzzReport(report)).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.wrongTotal).toBe(0);
  });
});
