// One tokenizer per process: kuromoji costs ~0.5-1 s and hundreds of MB to build, so concurrent callers
// must share one build, and a failed build must not be cached forever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Tokenizer } from '../../src/engine/tokenizer';

afterEach(() => {
  vi.doUnmock('../../src/engine/tokenizer');
  vi.resetModules();
});

/** A fresh copy of src/node/dictionary.ts whose kuromoji build is replaced by `build` (counted). */
async function freshDictionaryModule(build: () => Promise<Tokenizer>) {
  vi.resetModules();
  const builds = vi.fn(build);
  vi.doMock('../../src/engine/tokenizer', async (importOriginal) => ({
    ...(await importOriginal<typeof import('../../src/engine/tokenizer')>()),
    buildTokenizer: builds,
  }));
  return { ...(await import('../../src/node/dictionary')), builds };
}

const slowBuild = () => new Promise<Tokenizer>((resolve) => setTimeout(() => resolve({ tokenize: () => [] }), 20));

describe('sharedTokenizer()', () => {
  it('builds once for concurrent callers, who all get the same instance', async () => {
    const { sharedTokenizer, builds } = await freshDictionaryModule(slowBuild);
    const all = await Promise.all([sharedTokenizer(), sharedTokenizer(), sharedTokenizer()]);
    expect(new Set(all).size).toBe(1);
    expect(await sharedTokenizer()).toBe(all[0]);
    expect(builds).toHaveBeenCalledTimes(1);
  });

  it('does not cache a failed build: concurrent callers see the error, a later call builds again', async () => {
    let attempt = 0;
    const { sharedTokenizer, builds } = await freshDictionaryModule(async () => {
      if (++attempt === 1) throw new Error('辞書ファイルを読み込めませんでした');
      return slowBuild();
    });
    const first = await Promise.allSettled([sharedTokenizer(), sharedTokenizer()]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const again = await sharedTokenizer();
    expect(again).toBe(await sharedTokenizer());
    expect(builds).toHaveBeenCalledTimes(2);
  });

  it('the real one: concurrent callers in this process get the same kuromoji tokenizer', async () => {
    const { sharedTokenizer } = await import('../../src/node/dictionary');
    const [a, b] = await Promise.all([sharedTokenizer(), sharedTokenizer()]);
    expect(a).toBe(b);
    expect(a.tokenize('でも').map((t) => t.pos)).toEqual(['接続詞']);
  });
});
