// The packs the engine runs with: the built-in pack, then what IT pushed through managed policy (inline packs and
// pack URLs), then the agent's own packs and toggles (issue 5's layering). The background reads storage and describes
// the configuration as plain data; the engine host (in Chrome an offscreen document without storage access) compiles
// it. Nothing here imports the engine or a YAML parser: the service worker that describes configurations starts on
// every browser start and every wake-up, and each kilobyte of its script is parsed then.
import { parseManagedConfig, type ManagedConfig } from './managed';
import { collectSources, readSettings, SUBSCRIPTIONS_KEY, type AgentSettings, type KeyValueStore, type PackSource } from './sources';
import type { SubscriptionState } from './subscription';

/** Everything the engine host needs to build the engine, as JSON that can cross a message. */
export interface PackConfiguration {
  /** Changes whenever anything below changes: the host rebuilds its engine only then. */
  key: string;
  sources: PackSource[];
  settings: AgentSettings;
  managed: ManagedConfig;
  /** Problems found in the managed policy (bad entries are dropped, the rest applies). */
  policyProblems: string[];
}

/** e2e builds only: storage.local key standing in for chrome.storage.managed, which only OS policy can write. */
export const E2E_MANAGED_KEY = 'kizuki.e2e.managed';

/**
 * The configuration as storage and the policy make it. `builtinText` is the built-in pack's YAML for a page that shows
 * or compiles it itself (the QA console); without it, the built-in source carries no text and the engine host compiles
 * its own copy, parsed at build time (470 KB of YAML neither in the service worker nor in every configure message).
 */
export async function describeConfiguration(managedPolicy: unknown, local: KeyValueStore, builtinText?: string): Promise<PackConfiguration> {
  const { config: managed, problems } = parseManagedConfig(managedPolicy);
  const settings = await readSettings(local);
  const states = ((await local.get(SUBSCRIPTIONS_KEY)) ?? {}) as Record<string, SubscriptionState>;
  const sources = collectSources(builtinText === undefined ? {} : { text: builtinText }, managed, settings, states);
  const key = fingerprint(JSON.stringify([sources.map((s) => [s.key, s.text ?? null, s.blocked ?? null]), settings.toggles, managed]));
  return { key, sources, settings, managed, policyProblems: problems };
}

/** FNV-1a over UTF-16 code units: a cheap change detector, not a security measure. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36) + ':' + text.length.toString(36);
}
