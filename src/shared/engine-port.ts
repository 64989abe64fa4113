// The engine host's side of ENGINE_PORT (see shared/messages.ts), shared by Chrome's offscreen document and Firefox's
// event page: one request at a time per port, answered with the id it came with.
import type { Runtime } from 'webextension-polyfill';
import type { AnalyzeResponse, EnginePortAnswer, EnginePortRequest, EnginePortEngineChanged } from './messages';

/**
 * Answers analysis requests on `port`; `analyze` returns null while the host has no configuration yet. Whenever the
 * engine changes (`onEngineChanged`: the tokenizer has loaded, another configuration was adopted), the page is told,
 * so it analyses its draft again rather than keep showing what the previous engine said.
 */
export function serveEnginePort(
  port: Runtime.Port,
  analyze: (draft: string, customer: string | undefined) => Promise<AnalyzeResponse | null>,
  onEngineChanged: (listener: () => void) => () => void,
): void {
  const unsubscribe = onEngineChanged(() => {
    try {
      port.postMessage({ engineChanged: true } satisfies EnginePortEngineChanged);
    } catch {
      // The tab went away meanwhile.
    }
  });
  port.onDisconnect.addListener(unsubscribe);
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
      (response) => reply(response ? { ok: true, response } : { ok: false, reason: 'not-configured' }),
      (e: unknown) => reply({ ok: false, reason: 'error', error: String((e as Error)?.message ?? e) }),
    );
  });
}
