// Hosts the one engine + tokenizer of the browser: in Chrome inside the offscreen document (survives the service
// worker being stopped), in Firefox inside the background event page. Rules that need no tokens run from the first
// request; the tokenizer is attached when the dictionary has loaded.
import { createEngine, buildTokenizer, type Engine } from '../engine/index';
import { fetchDictionaryLoader } from '../engine/fetch-loader';
import { loadActivePacks } from './packs';
import type { AnalyzeResponse, HostStatus } from '../shared/messages';

export interface EngineHost {
  analyze(draft: string, customer: string | undefined): Promise<AnalyzeResponse>;
  status(): HostStatus;
}

export function startEngineHost(dictionaryUrl: string): EngineHost {
  const startedAt = performance.now();
  let tokenizerMs: number | undefined;
  let error: string | undefined;
  const engine: Promise<Engine> = loadActivePacks().then((packs) => createEngine({ packs }));
  engine.catch((e: unknown) => (error = String((e as Error).message ?? e)));

  void (async () => {
    try {
      const tokenizer = await buildTokenizer(fetchDictionaryLoader(dictionaryUrl));
      (await engine).setTokenizer(tokenizer);
      tokenizerMs = performance.now() - startedAt;
    } catch (e) {
      error = `辞書を読み込めませんでした: ${(e as Error).message ?? e}`;
    }
  })();

  return {
    async analyze(draft, customer) {
      const e = await engine;
      const t0 = performance.now();
      const result = e.analyze({ draft, customer });
      return { ...result, tokenizerReady: e.hasTokenizer, engineMs: performance.now() - t0 };
    },
    status() {
      return { tokenizerReady: tokenizerMs !== undefined, tokenizerMs, ...(error ? { error } : {}) };
    },
  };
}
