// The packs the engine runs with: the built-in pack, then what IT pushed through managed policy (inline packs and
// pack URLs), then the agent's own packs and toggles (issue 5's layering, src/distribution/). The background reads
// storage and describes the configuration as plain data; the engine host (which in Chrome lives in an offscreen
// document without storage access) compiles it. Nothing in a pack is ever executed.
import builtinYaml from '../../rules/builtin.yaml';
import { loadPackData, loadPackText, type Tokenizer } from '../engine/index';
import { parseManagedConfig, type ManagedConfig } from '../distribution/managed';
import {
  buildConfiguration,
  collectSources,
  readSettings,
  SUBSCRIPTIONS_KEY,
  type AgentSettings,
  type EffectiveConfiguration,
  type KeyValueStore,
  type PackSource,
} from '../distribution/sources';
import type { SubscriptionState } from '../distribution/subscription';
export { PACK_STATUS_KEY } from '../shared/messages';

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

export async function describeConfiguration(managedPolicy: unknown, local: KeyValueStore): Promise<PackConfiguration> {
  const { config: managed, problems } = parseManagedConfig(managedPolicy);
  const settings = await readSettings(local);
  const states = ((await local.get(SUBSCRIPTIONS_KEY)) ?? {}) as Record<string, SubscriptionState>;
  const sources = collectSources(builtinYaml, managed, settings, states);
  const key = fingerprint(JSON.stringify([sources.map((s) => [s.key, s.text ?? null, s.blocked ?? null]), settings.toggles, managed]));
  return { key, sources, settings, managed, policyProblems: problems };
}

/**
 * Compiles the configuration. The built-in pack's examples ran in `npm test`; every other pack's run here (those that
 * need tokens only once the tokenizer is loaded: before that they are skipped, not passed).
 */
export function loadConfiguredPacks(config: PackConfiguration, tokenizer: Tokenizer | null): Promise<EffectiveConfiguration> {
  return buildConfiguration(
    config.sources,
    async (text, file, baseSignals) => {
      const options = { file, tokenizer, runExamples: file !== 'builtin', baseSignals };
      const parsed = file === 'builtin' && text === builtinYaml ? prebuiltBuiltin() : undefined;
      if (parsed !== undefined) {
        // Parsed from the YAML that npm test compiles and checks: trusted, so its start costs less.
        const result = await loadPackData(parsed, { ...options, trusted: true });
        if (result.ok) return result;
        // Never expected (npm test compiles the built-in pack): parse the YAML for errors with line numbers.
      }
      return loadPackText(text, options);
    },
    { settings: config.settings, managed: config.managed },
  );
}

/** The built-in pack as parsed at build time (see __KIZUKI_BUILTIN_JSON__), fresh for each compile. */
export function prebuiltBuiltin(json: string | undefined = typeof __KIZUKI_BUILTIN_JSON__ === 'string' ? __KIZUKI_BUILTIN_JSON__ : undefined): unknown {
  return json === undefined ? undefined : JSON.parse(json);
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
