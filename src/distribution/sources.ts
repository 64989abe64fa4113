// Where the effective rule configuration comes from, in layer order: built-in → managed inline packs → managed
// pack URLs → the agent's own pack URLs and files → the agent's toggles. Storage, fetch and the pack loader are
// injected, so this runs in Node tests and in the extension's background alike. A source that cannot be used is
// listed with its reason and skipped; the others still apply.
// From the engine's modules rather than its index: the service worker imports this file, and the index would bring in
// the YAML parser and the tokenizer.
import { formatPackError } from '../engine/pack-errors';
import { stackPacks, type AgentToggles, type LayerIssue } from '../engine/layers';
import type { CompiledSignal, LoadedPack, PackResult } from '../engine/model';
import { MIN_UPDATE_MINUTES, type ManagedConfig, type PackUrl } from './managed';
import { displayStatus, refreshDue, withPin, refreshSubscription, type RefreshOptions, type SubscriptionState, type SubscriptionStatus } from './subscription';

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** A store kept in memory (tests, and the CLI). The extension passes browser.storage.local. */
export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(structuredClone(initial)));
  return {
    data,
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => void data.set(key, structuredClone(value)),
  };
}

/** What the agent controls (storage.local). */
export interface AgentSettings {
  subscriptions: PackUrl[];
  /** Packs imported from a file, kept as text. */
  filePacks: { name: string; text: string; addedAt: string; previous?: { text: string; addedAt: string } }[];
  toggles: AgentToggles;
}

export const SETTINGS_KEY = 'kizuki.settings';
export const SUBSCRIPTIONS_KEY = 'kizuki.subscriptions';

export function emptySettings(): AgentSettings {
  return { subscriptions: [], filePacks: [], toggles: {} };
}

export async function readSettings(store: KeyValueStore): Promise<AgentSettings> {
  const raw = (await store.get(SETTINGS_KEY)) as Partial<AgentSettings> | undefined;
  return { ...emptySettings(), ...(raw && typeof raw === 'object' ? raw : {}) };
}

export type SourceOrigin = 'builtin' | 'managed-inline' | 'managed-url' | 'agent-url' | 'agent-file';

export interface PackSource {
  /** Stable key: the URL, or `inline:N` / `file:NAME` / `builtin`. */
  key: string;
  origin: SourceOrigin;
  text?: string;
  subscription?: SubscriptionState;
  /** Why this source is not used at all (e.g. agent packs not allowed). */
  blocked?: string;
}

export interface PackStatusRow {
  key: string;
  origin: SourceOrigin;
  packId?: string;
  name?: string;
  version?: string;
  ruleCount?: number;
  /** The check before sending that the pack declares (see policyView). */
  sendCheck?: LoadedPack['sendCheck'];
  /** The pack's rules as loaded (before the agent's toggles), for switching single rules off. */
  rules?: { id: string; category: string; severity: string; message: string; label?: string; title?: string }[];
  /** ISO time of the last accepted download (URL packs) or import (files). */
  lastUpdate?: string;
  status: SubscriptionStatus | 'disabled';
  reason?: string;
}

export interface EffectiveConfiguration {
  packs: LoadedPack[];
  rows: PackStatusRow[];
  issues: LayerIssue[];
}

/** Refreshes every subscribed URL that is due and stores the new states. */
export async function refreshSubscriptions(
  store: KeyValueStore,
  managed: ManagedConfig,
  options: RefreshOptions & { force?: boolean },
): Promise<Record<string, SubscriptionState>> {
  const settings = await readSettings(store);
  const states = ((await store.get(SUBSCRIPTIONS_KEY)) ?? {}) as Record<string, SubscriptionState>;
  const wanted = [...managed.packs, ...(managed.allowAgentPacks ? settings.subscriptions : [])];
  const now = (options.now ?? (() => new Date()))();
  const next: Record<string, SubscriptionState> = {};
  for (const { url, sha256 } of wanted) {
    if (next[url]) continue;
    // A changed pin applies at once: a stored version it does not match is dropped, and the URL is checked again.
    const previous = withPin(states[url], url, sha256);
    const own = settings.subscriptions.find((p) => p.url === url)?.updateIntervalMinutes;
    const interval = managed.packs.some((p) => p.url === url) || own === undefined ? managed.updateIntervalMinutes : Math.max(MIN_UPDATE_MINUTES, own);
    next[url] = options.force || refreshDue(previous, interval, now)
      ? await refreshSubscription(previous, { ...options, developerMode: options.developerMode ?? managed.developerMode })
      : previous;
  }
  await store.set(SUBSCRIPTIONS_KEY, next);
  return next;
}

/**
 * The pack sources in layer order. `builtin` is null to leave the built-in pack out; without text it stands for the
 * engine host's own copy (buildConfiguration's loadBuiltin).
 */
export function collectSources(builtin: { text?: string } | null, managed: ManagedConfig, settings: AgentSettings, states: Record<string, SubscriptionState>): PackSource[] {
  const sources: PackSource[] = [];
  if (builtin !== null && !managed.disableBuiltin) sources.push({ key: 'builtin', origin: 'builtin', ...(builtin.text !== undefined ? { text: builtin.text } : {}) });
  managed.inlinePacks.forEach((text, i) => sources.push({ key: `inline:${i + 1}`, origin: 'managed-inline', text }));
  // Under the pin configured now, even before the next refresh has run.
  const pinned = (p: PackUrl) => withPin(states[p.url], p.url, p.sha256);
  for (const p of managed.packs) sources.push({ key: p.url, origin: 'managed-url', subscription: pinned(p), text: pinned(p).good?.text });
  const blocked = managed.allowAgentPacks ? undefined : '管理者の設定により、個人で追加したパックは使えません';
  for (const p of settings.subscriptions) {
    if (managed.packs.some((m) => m.url === p.url)) continue;
    sources.push({ key: p.url, origin: 'agent-url', subscription: pinned(p), text: pinned(p).good?.text, ...(blocked ? { blocked } : {}) });
  }
  for (const f of settings.filePacks) sources.push({ key: `file:${f.name}`, origin: 'agent-file', text: f.text, ...(blocked ? { blocked } : {}) });
  return sources;
}

/** Loads every usable source in order, each on top of the signals of the packs before it, then stacks them. */
export async function buildConfiguration(
  sources: PackSource[],
  load: (text: string, file: string, baseSignals: CompiledSignal[]) => Promise<PackResult>,
  options: { settings: AgentSettings; managed: ManagedConfig; now?: Date; loadBuiltin?: (baseSignals: CompiledSignal[]) => Promise<PackResult> },
): Promise<EffectiveConfiguration> {
  const loaded: LoadedPack[] = [];
  const agentPacks: string[] = [];
  const rows: PackStatusRow[] = [];
  const now = options.now ?? new Date();
  for (const source of sources) {
    const row: PackStatusRow = { key: source.key, origin: source.origin, status: 'active' };
    if (source.subscription) {
      Object.assign(row, displayStatus(source.subscription, now));
      if (source.subscription.good) row.lastUpdate = source.subscription.good.fetchedAt;
    }
    if (source.origin === 'agent-file') row.lastUpdate = options.settings.filePacks.find((f) => `file:${f.name}` === source.key)?.addedAt;
    if (source.blocked) {
      rows.push({ ...row, status: 'refused', reason: source.blocked });
      continue;
    }
    const baseSignals = loaded.flatMap((p) => p.signals);
    const hostsBuiltin = source.origin === 'builtin' && source.text === undefined;
    if (hostsBuiltin && !options.loadBuiltin) {
      rows.push({ ...row, status: 'refused', reason: '組み込みパックの本体がありません' });
      continue;
    }
    if (source.text === undefined && !hostsBuiltin) {
      rows.push(row);
      continue;
    }
    const result = hostsBuiltin ? await options.loadBuiltin!(baseSignals) : await load(source.text!, source.key, baseSignals);
    if (!result.ok) {
      rows.push({ ...row, status: 'refused', reason: result.errors.slice(0, 3).map(formatPackError).join(' / ') });
      continue;
    }
    loaded.push(result.pack);
    if (source.origin === 'agent-url' || source.origin === 'agent-file') agentPacks.push(result.pack.id);
    rows.push({ ...row, packId: result.pack.id, name: result.pack.name, version: result.pack.version, ruleCount: result.pack.rules.length,
      ...(result.pack.sendCheck ? { sendCheck: result.pack.sendCheck } : {}),
      rules: result.pack.rules.map((r) => ({ id: r.id, category: r.category, severity: r.severity, message: r.message, ...(r.label ? { label: r.label } : {}) })) });
  }
  const toggles = options.managed.allowAgentRuleToggles ? options.settings.toggles : {};
  const stacked = stackPacks(loaded, { toggles, locked: options.managed.locked, agentPacks });
  for (const row of rows) {
    if (row.status === 'active' && row.packId && toggles.disabledPacks?.includes(row.packId) && !options.managed.locked.packs.includes(row.packId)) {
      row.status = 'disabled';
    }
  }
  return { packs: stacked.packs, rows, issues: stacked.issues };
}
