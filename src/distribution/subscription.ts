// Keeping a pack subscribed by URL up to date. One refresh = one conditional GET (If-None-Match with the stored
// ETag). Whatever goes wrong — network, timeout, 404, a redirect to http, a wrong sha256 pin, a pack bigger than
// 1 MB, a pack that does not load or whose examples fail, a version going backwards — the last good version
// stays active and the reason is recorded for the options page. The pack text is data handed to the pack loader;
// nothing downloaded is ever executed. Pure: fetch, clock and pack validation are injected.
// Not from the engine's index, which would bring the YAML parser into the service worker (see sources.ts).
import { MAX_PACK_BYTES, formatPackError } from '../engine/pack-errors';
import type { LoadedPack, PackError } from '../engine/model';

export type SubscriptionStatus = 'pending' | 'active' | 'stale' | 'refused';

export interface GoodVersion {
  text: string;
  packId: string;
  version: string;
  sha256: string;
  fetchedAt: string;
}

export interface SubscriptionState {
  url: string;
  /** Pin from the managed configuration or the agent: hex SHA-256 of the exact bytes. */
  sha256?: string;
  etag?: string;
  /** Last version that downloaded and loaded; stays active whatever happens later. */
  good?: GoodVersion;
  /** The good version before the current one, for the options page's diff. */
  previous?: GoodVersion;
  lastChecked?: string;
  /** Last time the server confirmed the good version (200 accepted or 304). */
  lastSuccess?: string;
  /** active: last check fine. stale: could not download (the good version stays). refused: downloaded, not accepted. */
  status: SubscriptionStatus;
  reason?: string;
}

/** What checking a downloaded pack tells (a PackResult fits; so does the engine host's answer across a message). */
export type PackCheck = { ok: true; pack: Pick<LoadedPack, 'id' | 'version'> } | { ok: false; errors: PackError[] };

export interface RefreshOptions {
  fetch: typeof fetch;
  now?: () => Date;
  /** Loads the pack text (with examples); a refusal keeps the last good version. */
  validate: (text: string, url: string) => Promise<PackCheck>;
  /** `file:` URLs are allowed only in developer mode. */
  developerMode?: boolean;
  /** Hosts where plain http is accepted: for tests against a 127.0.0.1 server only (the e2e build); never in store builds. */
  insecureHostsForTesting?: string[];
  timeoutMs?: number;
  maxBytes?: number;
}

export function newSubscription(url: string, sha256?: string): SubscriptionState {
  return { url, ...(sha256 ? { sha256: sha256.toLowerCase() } : {}), status: 'pending' };
}

/**
 * The state under the pin configured now. A changed pin applies at once: a stored version whose bytes do not match
 * the new pin is dropped (with its ETag, so the server cannot answer 304 for it), and the URL is checked again.
 */
export function withPin(state: SubscriptionState | undefined, url: string, sha256: string | undefined): SubscriptionState {
  const pin = sha256?.toLowerCase();
  if (!state) return newSubscription(url, pin);
  if (state.sha256 === pin) return state;
  const { good, etag, sha256: _old, ...rest } = state;
  const keep = good && (!pin || good.sha256 === pin);
  return {
    ...rest,
    ...(pin ? { sha256: pin } : {}),
    ...(keep ? { good, ...(etag ? { etag } : {}) } : { status: 'pending' as const, reason: undefined }),
    lastChecked: undefined,
  };
}

/** Redirect hops followed at most; each hop's URL is checked like the first. */
export const MAX_REDIRECTS = 5;

/** Why this URL may not be fetched at all, or undefined when it may. */
export function urlProblem(url: string, options: Pick<RefreshOptions, 'developerMode' | 'insecureHostsForTesting'>): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `URL として読めません: ${url}`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'file:') return options.developerMode ? undefined : 'file: の URL は開発者モードでのみ使えます';
  if (parsed.protocol === 'http:' && options.insecureHostsForTesting?.includes(parsed.hostname)) return undefined;
  return `https の URL だけ使えます（${parsed.protocol.replace(':', '')} は不可）`;
}

export async function refreshSubscription(state: SubscriptionState, options: RefreshOptions): Promise<SubscriptionState> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const maxBytes = options.maxBytes ?? MAX_PACK_BYTES;
  const checked: SubscriptionState = { ...state, lastChecked: now };
  // A failed download keeps the good version; without one the pack is simply not active.
  const stale = (reason: string): SubscriptionState => ({ ...checked, status: checked.good ? 'stale' : 'refused', reason });
  const refused = (reason: string): SubscriptionState => ({ ...checked, status: 'refused', reason });

  const problem = urlProblem(state.url, options);
  if (problem) return refused(problem);

  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    // Redirects are followed here, hop by hop, so that every URL of the chain is checked (an http hop in the middle
    // of an https chain would let anyone on the network answer).
    let url = state.url;
    for (let hop = 0; ; hop++) {
      try {
        response = await options.fetch(url, {
          signal: controller.signal,
          redirect: 'manual',
          // Our own ETag handling decides; the HTTP cache must not answer for the server.
          cache: 'no-store',
          credentials: 'omit',
          headers: state.good && state.etag ? { 'If-None-Match': state.etag } : {},
        });
      } catch (error) {
        return stale(controller.signal.aborted ? `${Math.round(timeoutMs / 1000)} 秒以内に応答がありませんでした` : `ダウンロードできません: ${(error as Error).message}`);
      }
      // Browsers hide a redirect's target from fetch ('opaqueredirect'): what cannot be checked is not followed.
      if (response.type === 'opaqueredirect') {
        return refused(`${url} はリダイレクトされますが、ブラウザーではリダイレクト先を確認できません。リダイレクト後の https の URL を登録してください`);
      }
      if (![301, 302, 303, 307, 308].includes(response.status)) break;
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) return stale(`リダイレクト（HTTP ${response.status}）に行き先がありません`);
      if (hop >= MAX_REDIRECTS) return refused(`リダイレクトが多すぎます（${MAX_REDIRECTS} 回まで）`);
      let next: string;
      try {
        next = new URL(location, url).href;
      } catch {
        return refused(`リダイレクト先 ${location} は URL として読めません`);
      }
      const where = urlProblem(next, { ...options, developerMode: false });
      if (where) return refused(`リダイレクト先 ${next} は使えません: ${where}`);
      url = next;
    }
    if (response.status === 304) {
      if (!state.good) return stale('304 が返りましたが、保存済みの版がありません');
      return { ...checked, status: 'active', lastSuccess: now, reason: undefined };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return stale(`ダウンロードできません（HTTP ${response.status}）`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      return refused(`パックが大きすぎます（${declared.toLocaleString()} バイト、上限 ${maxBytes.toLocaleString()}）`);
    }
    const bytes = await readCapped(response, maxBytes);
    if (bytes === null) return refused(`パックが大きすぎます（上限 ${maxBytes.toLocaleString()} バイト）`);
    const sha256 = await sha256Hex(bytes);
    if (state.sha256 && sha256 !== state.sha256) return refused(`sha256 が一致しません（期待 ${state.sha256.slice(0, 12)}…、実際 ${sha256.slice(0, 12)}…）`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return refused('UTF-8 のテキストではありません');
    }
    if (state.good && sha256 === state.good.sha256) {
      return { ...checked, status: 'active', lastSuccess: now, reason: undefined, ...etagOf(response) };
    }
    const loaded = await options.validate(text, state.url);
    if (!loaded.ok) {
      const shown = loaded.errors.slice(0, 3).map(formatPackError).join(' / ');
      return refused(`パックとして使えません: ${shown}${loaded.errors.length > 3 ? `（ほか ${loaded.errors.length - 3} 件）` : ''}`);
    }
    const { id: packId, version } = loaded.pack;
    if (state.good && packId !== state.good.packId) return refused(`パック ID が変わっています（${state.good.packId} → ${packId}）`);
    if (state.good && compareVersions(version, state.good.version) < 0) {
      return refused(`バージョンが戻っています（${state.good.version} → ${version}）`);
    }
    return {
      ...checked,
      ...etagOf(response),
      good: { text, packId, version, sha256, fetchedAt: now },
      ...(state.good ? { previous: state.good } : {}),
      lastSuccess: now,
      status: 'active',
      reason: undefined,
    };
  } catch (error) {
    return stale(controller.signal.aborted ? `${Math.round(timeoutMs / 1000)} 秒以内にダウンロードが終わりませんでした` : `ダウンロードに失敗しました: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

function etagOf(response: Response): { etag?: string } {
  const etag = response.headers.get('etag');
  return etag ? { etag } : {};
}

/** Reads the body, giving up (null) as soon as it exceeds the cap, so a huge or endless response costs nothing. */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares `major.minor.patch` (anything after is ignored); -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => (v.match(/^(\d+)\.(\d+)\.(\d+)/)?.slice(1) ?? ['0', '0', '0']).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** Whether a refresh is due: never checked, or the interval has passed since the last check. */
export function refreshDue(state: SubscriptionState, intervalMinutes: number, now: Date): boolean {
  if (!state.lastChecked) return true;
  return now.getTime() - Date.parse(state.lastChecked) >= intervalMinutes * 60_000;
}

/** The status to show: an active pack not confirmed by its server for `staleAfterDays` is shown as stale. */
export function displayStatus(state: SubscriptionState, now: Date, staleAfterDays = 7): { status: SubscriptionStatus; reason?: string } {
  if (state.status === 'active' && state.lastSuccess && now.getTime() - Date.parse(state.lastSuccess) > staleAfterDays * 86_400_000) {
    return { status: 'stale', reason: `${staleAfterDays} 日以上更新を確認できていません` };
  }
  return { status: state.status, ...(state.reason ? { reason: state.reason } : {}) };
}
