// The content script's side of ENGINE_PORT: one long-lived port to the engine host, so a keystroke's analysis is one
// message each way and never wakes the service worker. Any failure (no host yet, host not configured, the port
// closed, no answer in time) resolves to null, and the caller takes the background's path instead.
import browser, { type Runtime } from 'webextension-polyfill';
import { ENGINE_PORT, type AnalyzeResponse, type EnginePortReply, type EnginePortRequest, type EnginePortEngineChanged } from '../shared/messages';

/** A safety net only: a host that neither answers nor closes the port this long is taken as gone. */
const ANSWER_TIMEOUT_MS = 20_000;

export class EngineClient {
  private port: Runtime.Port | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, (reply: EnginePortReply | null) => void>();

  /** `onEngineChanged`: the host's engine changed (dictionary loaded, new configuration); the draft needs a new look. */
  constructor(private readonly onEngineChanged: () => void = () => {}) {}

  analyze(draft: string, customer: string | undefined): Promise<AnalyzeResponse | null> {
    const port = this.connect();
    if (!port) return Promise.resolve(null);
    const id = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(null), ANSWER_TIMEOUT_MS);
      const settle = (reply: EnginePortReply | null) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(reply && reply.ok ? reply.response : null);
      };
      this.waiting.set(id, settle);
      const request: EnginePortRequest = { id, draft, ...(customer !== undefined ? { customer } : {}) };
      try {
        port.postMessage(request);
      } catch {
        this.drop();
      }
    });
  }

  disconnect(): void {
    this.port?.disconnect();
    this.drop();
  }

  private connect(): Runtime.Port | null {
    if (this.port) return this.port;
    try {
      const port = browser.runtime.connect({ name: ENGINE_PORT });
      port.onMessage.addListener((raw: unknown) => {
        if ((raw as EnginePortEngineChanged | undefined)?.engineChanged === true) return this.onEngineChanged();
        const reply = raw as EnginePortReply;
        this.waiting.get(reply?.id)?.(reply);
      });
      // No host listening (Chrome before the offscreen document exists), the host went away, or the extension was
      // reloaded: reconnect on the next request.
      port.onDisconnect.addListener(() => {
        if (this.port === port) this.drop();
      });
      this.port = port;
      return port;
    } catch {
      return null;
    }
  }

  private drop(): void {
    this.port = null;
    for (const settle of [...this.waiting.values()]) settle(null);
  }
}
