// Rule titles computed a few rules at a time (the engine host, which answers keystrokes meanwhile) must be the titles
// computed in one go (the options page, `kizuki stats report`).
import { describe, expect, it } from 'vitest';
import { ruleTitles, ruleTitlesInSlices } from '../../src/distribution/rule-titles';
import { loadBuiltinPack } from '../../src/node/packs';
import { sharedTokenizer } from '../../src/node/dictionary';

describe('rule titles in slices', () => {
  it('are the titles computed in one go, for every built-in rule, with work from elsewhere run in between', async () => {
    const tokenizer = await sharedTokenizer();
    const loaded = await loadBuiltinPack(tokenizer);
    if (!loaded.ok) throw new Error('built-in pack does not load');
    const whole = ruleTitles([loaded.pack], tokenizer);
    let ranBetween = 0;
    const other = setInterval(() => ranBetween++, 0);
    const sliced = await ruleTitlesInSlices([loaded.pack], tokenizer, 0).finally(() => clearInterval(other));
    expect([...sliced]).toEqual([...whole]);
    expect(sliced.size).toBe(loaded.pack.rules.length);
    // A title filled from the rule's own example, not its template.
    expect([...sliced.values()].some((t) => t.includes('「でも、」'))).toBe(true);
    expect(ranBetween).toBeGreaterThan(0);
  });
});
