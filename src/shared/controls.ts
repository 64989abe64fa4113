// The agent's own controls, kept in storage.local on the device: rules dismissed for good, the personal dictionary
// (phrases never to flag, such as product names), sites where coaching is paused and a pause everywhere until a time.
// Plus what the background derives from the configuration for the content script (send check mode, locked rules).
// Plain data and pure functions; the storage is injected so the unit tests run in Node.
import type { Finding } from '../engine/types';
import type { KeyValueStore } from '../distribution/sources';

export const CONTROLS_KEY = 'kizuki.controls';
/** Written by the background only: what the configuration (packs, managed policy) says about the controls. */
export const POLICY_VIEW_KEY = 'kizuki.policyView';

export interface AgentControls {
  /** `pack/rule` ids the agent never wants to see. */
  dismissedRules: string[];
  /** Phrases never flagged for this agent (product names, the team's own terms). */
  personalWords: string[];
  /** Hostnames where coaching is paused. */
  pausedSites: string[];
  /** Epoch ms until which coaching is paused everywhere (0: not paused). */
  pausedUntil: number;
}

export type SendCheckMode = 'off' | 'nudge' | 'confirm';
export const SEND_CHECK_MODES: readonly SendCheckMode[] = ['off', 'nudge', 'confirm'];

export interface PolicyView {
  /** Before a public reply is sent: off, nudge (default), or confirm (an `error` finding needs an explicit tick). */
  sendCheck: SendCheckMode;
  /** Where the mode came from, for the options page. */
  sendCheckFrom: 'default' | 'policy' | `pack:${string}`;
  /** `pack/rule` ids locked by the managed policy: never dismissed, never hidden by the personal dictionary. */
  lockedRules: string[];
}

export const DEFAULT_POLICY_VIEW: PolicyView = { sendCheck: 'nudge', sendCheckFrom: 'default', lockedRules: [] };

export const PAUSE_HOUR_MS = 60 * 60 * 1000;
const MAX_WORD = 100;
const MAX_ENTRIES = 500;

export function emptyControls(): AgentControls {
  return { dismissedRules: [], personalWords: [], pausedSites: [], pausedUntil: 0 };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '').slice(0, MAX_ENTRIES) : []);

export function parseControls(raw: unknown): AgentControls {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    dismissedRules: strings(r.dismissedRules),
    personalWords: strings(r.personalWords).map((w) => w.slice(0, MAX_WORD)),
    pausedSites: strings(r.pausedSites),
    pausedUntil: typeof r.pausedUntil === 'number' && Number.isFinite(r.pausedUntil) ? r.pausedUntil : 0,
  };
}

export function parsePolicyView(raw: unknown): PolicyView {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<PolicyView>;
  return {
    sendCheck: SEND_CHECK_MODES.includes(r.sendCheck as SendCheckMode) ? r.sendCheck! : 'nudge',
    sendCheckFrom: typeof r.sendCheckFrom === 'string' ? r.sendCheckFrom : 'default',
    lockedRules: strings(r.lockedRules),
  };
}

export const ruleId = (f: Pick<Finding, 'pack' | 'rule'>) => `${f.pack}/${f.rule}`;

export function isLocked(f: Pick<Finding, 'pack' | 'rule'>, policy: PolicyView): boolean {
  return policy.lockedRules.includes(ruleId(f)) || policy.lockedRules.includes(f.rule);
}

/** Whether coaching is paused for `hostname` at `now`. */
export function pausedFor(controls: AgentControls, hostname: string, now: number): 'site' | 'everywhere' | null {
  if (controls.pausedUntil > now) return 'everywhere';
  return controls.pausedSites.includes(hostname) ? 'site' : null;
}

/**
 * Whether the agent's controls keep `finding` on screen for `draft`: a dismissed rule is hidden, and so is a span
 * lying inside an occurrence of a personal-dictionary phrase (「キャッシュ」 inside the product name 「キャッシュ便」).
 * Locked rules are always kept.
 */
export function keepFinding(finding: Finding, draft: string, controls: AgentControls, policy: PolicyView): boolean {
  if (isLocked(finding, policy)) return true;
  if (controls.dismissedRules.includes(ruleId(finding))) return false;
  if (finding.scope !== 'span' || finding.start === undefined || finding.end === undefined) return true;
  for (const word of controls.personalWords) {
    for (let at = draft.indexOf(word); at !== -1; at = draft.indexOf(word, at + 1)) {
      if (at <= finding.start && finding.end <= at + word.length) return false;
      if (at > finding.start) break;
    }
  }
  return true;
}

/** Read-modify-write of the controls; concurrent callers in one context are queued. */
export function controlsStore(store: KeyValueStore) {
  let queue: Promise<unknown> = Promise.resolve();
  const read = async () => parseControls(await store.get(CONTROLS_KEY));
  const update = (change: (c: AgentControls) => AgentControls): Promise<AgentControls> => {
    const run = queue.then(async () => {
      const next = change(await read());
      await store.set(CONTROLS_KEY, next);
      return next;
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const add = (list: string[], v: string) => (list.includes(v) ? list : [...list, v]);
  const drop = (list: string[], v: string) => list.filter((x) => x !== v);
  return {
    read,
    dismissRule: (id: string) => update((c) => ({ ...c, dismissedRules: add(c.dismissedRules, id) })),
    restoreRule: (id: string) => update((c) => ({ ...c, dismissedRules: drop(c.dismissedRules, id) })),
    addWord: (word: string) => update((c) => (word.trim() ? { ...c, personalWords: add(c.personalWords, word.trim().slice(0, MAX_WORD)) } : c)),
    removeWord: (word: string) => update((c) => ({ ...c, personalWords: drop(c.personalWords, word) })),
    pauseSite: (host: string, paused: boolean) => update((c) => ({ ...c, pausedSites: paused ? add(c.pausedSites, host) : drop(c.pausedSites, host) })),
    pauseEverywhere: (until: number) => update((c) => ({ ...c, pausedUntil: until })),
  };
}
