// Hosts the one engine + tokenizer of the browser: in Chrome inside the offscreen document (survives the service
// worker being stopped), in Firefox inside the background event page. Rules that need no tokens run from the first
// request; the tokenizer is attached when the dictionary has loaded (dictionaryUrl: the folder holding
// kizuki-ipadic.bin, written by scripts/build-dictionary.mjs).
// From the engine's modules, not its index: the index would bring the YAML reader into the host's start (packs.ts).
import { createEngine, type Engine } from '../engine/engine';
import type { LoadedPack } from '../engine/model';
import type { Tokenizer } from '../engine/tokenizer';
import { tokenizerOfCompactDictionary } from '../engine/tokenizer';
import { loadDictionary } from './dictionary-source';
import { warmUp } from './warm-up';
import { memoryStore, type PackStatusRow } from '../distribution/sources';
import { withRuleTitlesInSlices } from '../distribution/rule-titles';
import { checkPackText, loadConfiguredPacks } from './packs';
import type { PackCheck } from '../distribution/subscription';
import { describeConfiguration, type PackConfiguration } from '../distribution/configuration';
import type { AnalyzeResponse, HostStatus } from '../shared/messages';

export interface EngineHost {
  /**
   * Analyses with the current engine. With a `configKey` that is not the one the engine was built for, returns null:
   * the caller then sends the configuration with configure() and asks again.
   */
  analyze(draft: string, customer: string | undefined, configKey?: string): Promise<AnalyzeResponse | null>;
  /** Analyses with the configuration the background last sent; null until it has sent one (see ENGINE_PORT). */
  analyzeConfigured(draft: string, customer: string | undefined): Promise<AnalyzeResponse | null>;
  /** Rebuilds the engine for this configuration (keeping the tokenizer); returns each pack source's status. */
  configure(config: PackConfiguration): Promise<PackStatusRow[]>;
  /** Analyses once with a configuration of its own (the options page's trial pack); the host's engine is unchanged. */
  tryConfiguration(config: PackConfiguration, draft: string, customer: string | undefined): Promise<{ result: AnalyzeResponse; rows: PackStatusRow[] }>;
  /** Checks a downloaded pack's text (schema, regexes, examples that need no tokens), without adopting it. */
  checkPack(text: string, url: string): Promise<PackCheck>;
  status(): HostStatus;
  /**
   * Calls `listener` whenever analyses may now differ for the same text: the tokenizer was attached, or an engine for
   * another configuration was adopted. Returns the unsubscribe function.
   */
  onEngineChanged(listener: () => void): () => void;
}

export function startEngineHost(dictionaryUrl: string): EngineHost {
  const startedAt = performance.now();
  // `sinceDocumentStart`: how long the document (or event page) took to load its scripts before the host started.
  const timings: Record<string, number> = { sinceDocumentStart: Math.round(startedAt) };
  const mark = (step: string) => (timings[step] ??= Math.round((performance.now() - startedAt) * 10) / 10);
  let tokenizerMs: number | undefined;
  let error: string | undefined;
  let tokenizer: Tokenizer | undefined;
  let configKey: string | undefined;
  let rows: PackStatusRow[] = [];

  // Packs other than the built-in one compiled before the tokenizer was ready: their examples that need tokens were
  // skipped, so a pack that fails them is still active. Reported with each analysis until configure() runs again.
  let examplesPending = false;

  interface Built {
    built: Engine;
    key: string;
    rows: PackStatusRow[];
    examplesPending: boolean;
    packs: LoadedPack[];
  }
  /**
   * The adopted engine (a warm-up of a replaced one stops), its packs, and whether its rows' rule titles were filled
   * with the tokenizer (token rules' examples need it): titleAdopted() completes them once it can.
   */
  let adopted: { engine?: Engine; packs: LoadedPack[]; titledWithTokens: boolean } = { packs: [], titledWithTokens: true };
  const build = async (config: PackConfiguration): Promise<Built> => {
    const withTokenizer = tokenizer;
    const effective = await loadConfiguredPacks(config, withTokenizer ?? null);
    const built = createEngine({ packs: effective.packs });
    if (tokenizer) built.setTokenizer(tokenizer);
    const pending = !withTokenizer && config.sources.some((s) => s.origin !== 'builtin');
    return { built, key: config.key, rows: effective.rows, examplesPending: pending, packs: effective.packs };
  };
  /**
   * Readable rule titles for the panel's statistics and the options page, filled into the adopted engine's status
   * rows. They run each rule's first example, so they wait for the tokenizer, and they run a few rules at a time
   * after the engine is adopted: it answers meanwhile (0.4 s for the built-in pack at browser start).
   */
  const titleAdopted = async (): Promise<void> => {
    if (!tokenizer || adopted.titledWithTokens) return;
    const titling = adopted;
    await withRuleTitlesInSlices(rows, titling.packs, tokenizer);
    if (adopted === titling) adopted = { ...adopted, titledWithTokens: true };
  };
  const adopt = (next: Built): Engine => {
    configKey = next.key;
    rows = next.rows;
    examplesPending = next.examplesPending;
    adopted = { engine: next.built, packs: next.packs, titledWithTokens: false };
    // Before any page asks (see warm-up.ts). An engine without the tokenizer yet is warmed when it arrives: warming
    // it now would hold up the dictionary's delivery to this thread.
    if (next.built.hasTokenizer) void warmUp(next.built, () => adopted.engine === next.built);
    return next.built;
  };
  /** Whether the background has sent a configuration (team packs, overrides); until then only it may ask. */
  let configured = false;
  // Until the background sends the configuration: the built-in pack alone. The background's first configuration is
  // usually this same one (no team or agent packs): configure() then keeps this engine instead of compiling again.
  let initialKey: string | undefined;
  let engine: Promise<Engine> = describeConfiguration(undefined, memoryStore())
    .then((config) => ((initialKey = config.key), build(config)))
    .then(adopt);
  void engine.then(() => mark('engine'));
  engine.catch((e: unknown) => (error = String((e as Error).message ?? e)));

  const engineListeners = new Set<() => void>();
  const engineChanged = () => {
    for (const listener of engineListeners) listener();
  };
  void (async () => {
    try {
      // One read of the compact dictionary, opened in a worker; the tokenizer reads it in place, so analyses with the
      // rules that need no tokens are answered meanwhile.
      const dictionary = await loadDictionary(dictionaryUrl);
      mark('dictionaryFetched');
      const readAt = globalThis.kizukiDictionaryReadAt;
      if (readAt !== undefined) timings.dictionaryRead ??= Math.round((readAt - performance.timeOrigin - startedAt) * 10) / 10;
      tokenizer = tokenizerOfCompactDictionary(dictionary);
      mark('tokenizer');
      const withTokens = await engine;
      withTokens.setTokenizer(tokenizer);
      tokenizerMs = performance.now() - startedAt;
      void warmUp(withTokens, () => adopted.engine === withTokens).then((done) => done && mark('warmedWithTokens'));
      engineChanged();
    } catch (e) {
      error = `辞書を読み込めませんでした: ${(e as Error).message ?? e}`;
    }
  })();

  /** Configurations are applied one after another, in the order they came: a slow build never lands after a newer one. */
  let configuring: Promise<unknown> = Promise.resolve();
  const configure = async (config: PackConfiguration): Promise<PackStatusRow[]> => {
    // A configuration that cannot be built at all leaves the previous engine running.
    mark(config.key === initialKey ? 'configureReceived' : 'configureReceivedOther');
    try {
      if ((await engine.catch(() => null)) && config.key === configKey && !examplesPending) {
        // The configuration this engine was built for (the first one, or the same one again from a restarted
        // service worker): keep it, and give its token rules their titles once possible, while it answers.
        configured = true;
        mark('configured');
        await titleAdopted();
        return rows;
      }
      const previousKey = configKey;
      engine = Promise.resolve(adopt(await build(config)));
      configured = true;
      mark('configured');
      if (config.key !== previousKey) engineChanged();
      await titleAdopted();
    } catch (e) {
      error = `ルールパックの構成を読み込めませんでした: ${(e as Error).message ?? e}`;
    }
    return rows;
  };

  return {
    onEngineChanged(listener) {
      engineListeners.add(listener);
      return () => engineListeners.delete(listener);
    },
    configure(config) {
      const run = configuring.then(() => configure(config));
      configuring = run.catch(() => undefined);
      return run;
    },
    async tryConfiguration(config, draft, customer) {
      const { built, rows: trialRows } = await build(config);
      const t0 = performance.now();
      const result = built.analyze({ draft, customer });
      return { result: { ...result, tokenizerReady: built.hasTokenizer, engineMs: performance.now() - t0 }, rows: trialRows };
    },
    async analyzeConfigured(draft, customer) {
      return configured ? this.analyze(draft, customer) : null;
    },
    async analyze(draft, customer, wantedKey) {
      const e = await engine;
      if (wantedKey !== undefined && wantedKey !== configKey) return null;
      mark(e.hasTokenizer ? 'firstAnalysisWithTokens' : 'firstAnalysis');
      const t0 = performance.now();
      const result = e.analyze({ draft, customer });
      const pending = examplesPending || !adopted.titledWithTokens;
      return { ...result, tokenizerReady: e.hasTokenizer, engineMs: performance.now() - t0, ...(pending ? { examplesPending: true } : {}) };
    },
    checkPack: checkPackText,
    status() {
      return { tokenizerReady: tokenizerMs !== undefined, tokenizerMs, timings, ...(error ? { error } : {}) };
    },
  };
}
