// The engine host analyses a sample exchange before any page asks (src/host/warm-up.ts), so the agent's first
// keystroke does not pay for compiling the pack's regexes. What the agent could notice: an analysis after the warm-up
// differing from a fresh engine's, or a request waiting behind the whole sample.
import { describe, expect, it } from 'vitest';
import { warmUp } from '../../src/host/warm-up';
import { blindCorpusDir, readCorpus } from '../../src/node/corpus';
import { builtinEngine } from '../helpers';

describe("the engine host's warm-up", () => {
  it('leaves no trace: after it, every corpus case is analysed exactly as by an engine that never saw the sample', async () => {
    const warmed = await builtinEngine();
    await warmUp(warmed);
    const fresh = await builtinEngine();
    // Every eighth case of both corpora (all of them take 40 s), and the first 200 that share a sentence with the
    // sample, where the engine's sentence cache could answer from what the warm-up left.
    const all = [...readCorpus(), ...readCorpus(blindCorpusDir)];
    const sharesSentence = (c: (typeof all)[number]) => /お問い合わせいただきありがとうございます。|よろしくお願いいたします。|申し訳ございません。/.test(c.draft);
    const cases = [...all.filter((c, i) => i % 8 === 0), ...all.filter((c, i) => i % 8 !== 0 && sharesSentence(c)).slice(0, 200)];
    expect(cases.filter(sharesSentence).length).toBeGreaterThan(200);
    const differing = cases.filter((c) => {
      const input = { draft: c.draft, customer: c.customer };
      return JSON.stringify(warmed.analyze(input)) !== JSON.stringify(fresh.analyze(input));
    });
    expect(differing.map((c) => c.id)).toEqual([]);
  });

  it("lets a page's request in after one slice of the sample at most", async () => {
    const engine = await builtinEngine();
    let analysed = 0;
    const analyze = engine.analyze.bind(engine);
    engine.analyze = (input) => (analysed++, analyze(input));
    const warming = warmUp(engine);
    // A page's request arriving just after the host started warming up: a task queued behind the warm-up's first.
    const seenByRequest = await new Promise<number>((resolve) => setTimeout(() => resolve(analysed), 0));
    await warming;
    expect(seenByRequest).toBeLessThanOrEqual(1);
    expect(analysed).toBeGreaterThan(seenByRequest + 1);
  });
});
