// The engine host's side of the pack configuration (src/distribution/configuration.ts describes it): compiling it.
// Nothing in a pack is ever executed.
import { loadPackData } from '../engine/pack';
import type { CompiledSignal, PackResult } from '../engine/model';
import type { Tokenizer } from '../engine/tokenizer';
import { buildConfiguration, type EffectiveConfiguration } from '../distribution/sources';
import type { PackConfiguration } from '../distribution/configuration';
import type { PackCheck } from '../distribution/subscription';
import { learnRegexFacts } from '../engine/regex-anchors';

/**
 * Compiles the configuration. The built-in pack's examples ran in `npm test`; every other pack's run here (those that
 * need tokens only once the tokenizer is loaded: before that they are skipped, not passed).
 */
export function loadConfiguredPacks(config: PackConfiguration, tokenizer: Tokenizer | null): Promise<EffectiveConfiguration> {
  return buildConfiguration(
    config.sources,
    async (text, file, baseSignals) => (await packText()).loadPackText(text, { file, tokenizer, runExamples: file !== 'builtin', baseSignals }),
    { settings: config.settings, managed: config.managed, loadBuiltin: (baseSignals) => loadPrebuiltBuiltin(tokenizer, baseSignals) },
  );
}

/**
 * The YAML reader, loaded on the first pack given as text (a team's or the agent's): the built-in pack comes parsed,
 * so a browser start with it alone never loads or parses the YAML parser (200 KB of script in the engine host).
 */
function packText(): Promise<typeof import('../engine/pack-text')> {
  return import('../engine/pack-text');
}

let regexFactsLearnt = false;

/** The built-in pack as parsed at build time (__KIZUKI_BUILTIN_JSON__, scripts/build-extension.mjs). */
function loadPrebuiltBuiltin(tokenizer: Tokenizer | null, baseSignals: CompiledSignal[]): Promise<PackResult> {
  const json = typeof __KIZUKI_BUILTIN_JSON__ === 'string' ? __KIZUKI_BUILTIN_JSON__ : undefined;
  if (json === undefined) return Promise.resolve({ ok: false, errors: [{ file: 'builtin', message: 'この版には組み込みパックが入っていません' }] });
  if (!regexFactsLearnt && typeof __KIZUKI_BUILTIN_REGEX_FACTS__ === 'string') learnRegexFacts(JSON.parse(__KIZUKI_BUILTIN_REGEX_FACTS__));
  regexFactsLearnt = true;
  // Parsed from the YAML that npm test compiles and checks: trusted, so its start costs less.
  return loadPackData(JSON.parse(json), { file: 'builtin', tokenizer, runExamples: false, baseSignals, trusted: true });
}

/** A downloaded pack checked as a subscription refresh needs it: its id and version, or why it is refused. */
export async function checkPackText(text: string, url: string): Promise<PackCheck> {
  const result = await (await packText()).loadPackText(text, { file: url, tokenizer: null });
  return result.ok ? { ok: true, pack: { id: result.pack.id, version: result.pack.version } } : result;
}
