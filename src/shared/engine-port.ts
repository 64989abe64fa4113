// The engine host's side of ENGINE_PORT (see shared/messages.ts), shared by Chrome's offscreen document and Firefox's
// event page: one request at a time per port, answered with the id it came with.
import type { Runtime } from 'webextension-polyfill';
import type { AnalyzeResponse, EnginePortAnswer, EnginePortRequest, EnginePortTokenizerReady } from './messages';

/**
 * Answers analysis requests on `port`; `analyze` returns null while the host has no configuration yet. After an answer
 * given without the tokenizer, the port is told once `tokenizerReady` settles, so the page asks again at that moment
 * rather than polling for it.
 */
export function serveEnginePort(
  port: Runtime.Port,
  analyze: (draft: string, customer: string | undefined) => Promise<AnalyzeResponse | null>,
  tokenizerReady: Promise<void>,
): void {
  let told = false;
  const tellWhenReady = () => {
    if (told) return;
    told = true;
    void tokenizerReady.then(() => {
      try {
        port.postMessage({ tokenizerReady: true } satisfies EnginePortTokenizerReady);
      } catch {
        // The tab went away meanwhile.
      }
    });
  };
  port.onMessage.addListener((raw: unknown) => {
    const request = raw as EnginePortRequest;
    if (!request || typeof request.id !== 'number' || typeof request.draft !== 'string') return;
    const reply = (body: EnginePortAnswer) => {
      try {
        port.postMessage({ id: request.id, ...body });
      } catch {
        // The tab went away meanwhile.
      }
    };
    analyze(request.draft, typeof request.customer === 'string' ? request.customer : undefined).then(
      (response) => {
        reply(response ? { ok: true, response } : { ok: false, reason: 'not-configured' });
        if (response && !response.tokenizerReady) tellWhenReady();
      },
      (e: unknown) => reply({ ok: false, reason: 'error', error: String((e as Error)?.message ?? e) }),
    );
  });
}
