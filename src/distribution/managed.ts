// Managed configuration pushed by IT through enterprise policy: Chrome's `chrome.storage.managed` (described to
// the browser by schema/managed.json, referenced as `storage.managed_schema` in the manifest) and Firefox's
// policies.json `3rdparty.Extensions.<id>` (which Firefox also exposes as storage.managed). Policy values are
// written by hand in admin consoles, so parsing is forgiving: every bad entry is dropped with a problem that
// names it, and the rest still applies.
import type { LockedSettings } from '../engine/layers';

export interface PackUrl {
  url: string;
  /** Lower-case hex SHA-256 of the exact bytes; a download with another hash is refused. */
  sha256?: string;
  /** The agent's own subscriptions only: how often to check this URL (minutes); managed URLs follow the policy. */
  updateIntervalMinutes?: number;
}

export interface ManagedConfig {
  packs: PackUrl[];
  /** Packs written directly in the policy (YAML or JSON text). */
  inlinePacks: string[];
  disableBuiltin: boolean;
  locked: Required<LockedSettings>;
  /** Whether the agent may add their own packs (URL or file). */
  allowAgentPacks: boolean;
  /** Whether the agent may switch rules and packs off. */
  allowAgentRuleToggles: boolean;
  /** Allows `file:` pack URLs (for testing a pack before publishing it). */
  developerMode: boolean;
  updateIntervalMinutes: number;
  /** The check before sending a public reply; absent: the packs decide (default nudge). See shared/controls.ts. */
  sendCheck?: 'off' | 'nudge' | 'confirm';
}

export const DEFAULT_UPDATE_MINUTES = 360;
export const MIN_UPDATE_MINUTES = 15;
const MAX_MANAGED_PACKS = 50;

export const DEFAULT_MANAGED: ManagedConfig = {
  packs: [],
  inlinePacks: [],
  disableBuiltin: false,
  locked: { packs: [], rules: [] },
  allowAgentPacks: true,
  allowAgentRuleToggles: true,
  developerMode: false,
  updateIntervalMinutes: DEFAULT_UPDATE_MINUTES,
};

export function parseManagedConfig(raw: unknown): { config: ManagedConfig; problems: string[] } {
  const problems: string[] = [];
  const config: ManagedConfig = structuredClone(DEFAULT_MANAGED);
  if (raw === undefined || raw === null) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { config, problems: ['管理者設定がオブジェクトではありません。既定の設定を使います'] };
  const r = raw as Record<string, unknown>;
  const known = new Set(['packs', 'inlinePacks', 'disableBuiltin', 'lockedPacks', 'lockedRules', 'allowAgentPacks', 'allowAgentRuleToggles', 'developerMode', 'updateIntervalMinutes', 'sendCheck']);
  for (const key of Object.keys(r)) if (!known.has(key)) problems.push(`管理者設定の「${key}」は不明な項目です（無視しました）`);

  const bool = (key: keyof ManagedConfig & string) => {
    if (r[key] === undefined) return;
    if (typeof r[key] === 'boolean') (config as unknown as Record<string, unknown>)[key] = r[key];
    else problems.push(`管理者設定の「${key}」は true か false です`);
  };
  bool('disableBuiltin');
  bool('allowAgentPacks');
  bool('allowAgentRuleToggles');
  bool('developerMode');

  const list = (key: string): unknown[] => {
    if (r[key] === undefined) return [];
    if (Array.isArray(r[key])) return r[key] as unknown[];
    problems.push(`管理者設定の「${key}」は配列です`);
    return [];
  };
  list('packs').forEach((entry, i) => {
    const e = (typeof entry === 'string' ? { url: entry } : entry) as { url?: unknown; sha256?: unknown } | null;
    if (typeof e?.url !== 'string') return void problems.push(`packs[${i}]: url（文字列）が必要です`);
    try {
      new URL(e.url);
    } catch {
      return void problems.push(`packs[${i}]: URL として読めません: ${e.url}`);
    }
    if (e.sha256 !== undefined && (typeof e.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(e.sha256))) {
      return void problems.push(`packs[${i}]: sha256 は 64 桁の 16 進数です（このパックは使いません）`);
    }
    if (config.packs.length >= MAX_MANAGED_PACKS) return void problems.push(`packs[${i}]: パックは ${MAX_MANAGED_PACKS} 個までです`);
    if (config.packs.some((p) => p.url === e.url)) return void problems.push(`packs[${i}]: 同じ URL が 2 回あります`);
    config.packs.push({ url: e.url, ...(typeof e.sha256 === 'string' ? { sha256: e.sha256.toLowerCase() } : {}) });
  });
  list('inlinePacks').forEach((p, i) => {
    if (typeof p === 'string' && p.trim() !== '') config.inlinePacks.push(p);
    // An object is accepted too (Firefox policies.json can hold one directly); it is kept as JSON text.
    else if (typeof p === 'object' && p !== null) config.inlinePacks.push(JSON.stringify(p));
    else problems.push(`inlinePacks[${i}]: パックの YAML/JSON（文字列）が必要です`);
  });
  const ids = (key: string, target: string[]) =>
    list(key).forEach((v, i) => (typeof v === 'string' && v !== '' ? target.push(v) : problems.push(`${key}[${i}]: ID（文字列）が必要です`)));
  ids('lockedPacks', config.locked.packs);
  ids('lockedRules', config.locked.rules);
  if (r.updateIntervalMinutes !== undefined) {
    const n = r.updateIntervalMinutes;
    if (typeof n !== 'number' || !Number.isFinite(n)) problems.push('updateIntervalMinutes は数値（分）です');
    else config.updateIntervalMinutes = Math.max(MIN_UPDATE_MINUTES, Math.round(n));
  }
  if (r.sendCheck !== undefined) {
    if (r.sendCheck === 'off' || r.sendCheck === 'nudge' || r.sendCheck === 'confirm') config.sendCheck = r.sendCheck;
    else problems.push('管理者設定の「sendCheck」は off・nudge・confirm のいずれかです');
  }
  return { config, problems };
}
