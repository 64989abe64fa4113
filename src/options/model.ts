// The console's view of the configuration: the background hands over the pack configuration (plain data), and the
// page compiles it itself with the same functions the engine host uses (buildConfiguration + loadPackText), with a
// tokenizer of its own once the dictionary has loaded. So the list of packs is there on a fresh profile, every
// refusal comes with its structured errors (line and column), and a candidate pack is checked before it is added.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { loadPackText, type LoadedPack, type PackError, type PackResult, type Tokenizer, type LayerIssue } from '../engine/index';
import { fetchCompactDictionary } from '../engine/fetch-loader';
import { compactDictionaryTokenizer } from '../engine/tokenizer';
import { buildConfiguration, SETTINGS_KEY, SUBSCRIPTIONS_KEY, type PackSource, type PackStatusRow } from '../distribution/sources';
import { locatePackErrors, type LocatedError } from '../authoring/locate';
import { ruleTitles } from '../distribution/rule-titles';
import builtinYaml from '../../rules/builtin.yaml';
import { describeConfiguration, E2E_MANAGED_KEY, type PackConfiguration } from '../distribution/configuration';
import { localStore } from '../shared/local-store';
import type { ConsoleRequest } from '../shared/console-protocol';

/**
 * The enterprise policy, read here as the background reads it (so the page needs no round trip to a service worker
 * that may still be starting): storage.managed, or in e2e builds its storage.local stand-in. On a fresh profile
 * Chrome's first storage.managed.get() can take seconds (measured 0.9-12 s on a loaded 2-core machine): after
 * POLICY_WAIT_MS the page is drawn without it, with every switch held (`policyPending`) until it arrives.
 */
const POLICY_WAIT_MS = 1_500;
async function readPolicy(): Promise<{ policy: unknown; pending?: Promise<unknown> }> {
  const managed = browser.storage.managed.get().catch(() => undefined);
  const first = await Promise.race([managed, new Promise((r) => setTimeout(() => r(PENDING), POLICY_WAIT_MS))]);
  let policy: unknown = first === PENDING ? undefined : first;
  if (__KIZUKI_E2E__ && (policy === undefined || Object.keys(policy as object).length === 0)) {
    policy = (await browser.storage.local.get(E2E_MANAGED_KEY))[E2E_MANAGED_KEY];
  }
  return first === PENDING ? { policy, pending: managed } : { policy };
}
const PENDING = Symbol('pending');

export interface ConsoleState {
  config: PackConfiguration;
  rows: PackStatusRow[];
  /** The stack as the engine runs it (overrides and the agent's toggles applied). */
  packs: LoadedPack[];
  issues: LayerIssue[];
  /** Per source key: the loader's errors, located. */
  errors: Map<string, LocatedError[]>;
  titles: Map<string, string>;
  tokenizerReady: boolean;
  /** The managed policy has not been read yet: nothing may be switched until it is (it may lock it). */
  policyPending?: boolean;
}

export const send = <T,>(request: ConsoleRequest): Promise<T> => browser.runtime.sendMessage(request) as Promise<T>;

let tokenizer: Tokenizer | undefined;
let tokenizerLoad: Promise<Tokenizer | undefined> | undefined;
/** The page's own tokenizer; token examples of packs run once it is there. */
export function pageTokenizer(): Promise<Tokenizer | undefined> {
  // The same compact dictionary the engine host reads (the extension no longer ships kuromoji's gzipped files).
  tokenizerLoad ??= fetchCompactDictionary(browser.runtime.getURL('dict/'))
    .then((bytes) => (tokenizer = compactDictionaryTokenizer(bytes)))
    .catch(() => undefined);
  return tokenizerLoad;
}

function recordingLoader(sources: PackSource[], errors: Map<string, LocatedError[]>) {
  return async (text: string, file: string, baseSignals: Parameters<typeof loadPackText>[1]['baseSignals']): Promise<PackResult> => {
    const result = await loadPackText(text, { file, tokenizer: tokenizer ?? null, runExamples: file !== 'builtin', baseSignals });
    if (!result.ok) errors.set(file, locatePackErrors(sources.find((s) => s.key === file)?.text ?? text, result.errors));
    return result;
  };
}

export async function compile(config: PackConfiguration): Promise<ConsoleState> {
  const errors = new Map<string, LocatedError[]>();
  const effective = await buildConfiguration(config.sources, recordingLoader(config.sources, errors), { settings: config.settings, managed: config.managed });
  return { config, ...effective, errors, titles: ruleTitles(effective.packs, tokenizer), tokenizerReady: tokenizer !== undefined };
}

export interface Verdict {
  ok: boolean;
  errors: LocatedError[];
  warnings: string[];
  pack?: { id: string; name: string; version: string; rules: number };
}

/**
 * Checks a pack as it would run: on top of the current stack (its signals, the locks), with the examples run by
 * the tokenizer when it has loaded. `key` is the source key it would be stored under (replacing a source with it).
 */
export async function checkCandidate(state: ConsoleState, key: string, origin: PackSource['origin'], text: string): Promise<Verdict> {
  await pageTokenizer();
  const sources = [...state.config.sources.filter((s) => s.key !== key), { key, origin, text }];
  const errors = new Map<string, LocatedError[]>();
  const effective = await buildConfiguration(sources, recordingLoader(sources, errors), { settings: state.config.settings, managed: state.config.managed });
  const row = effective.rows.find((r) => r.key === key)!;
  if (row.status === 'refused') {
    const located = errors.get(key) ?? [{ file: key, message: row.reason ?? '使えません' }];
    return { ok: false, errors: located, warnings: [] };
  }
  const packId = row.packId!;
  const clash = state.rows.find((r) => r.packId === packId && r.key !== key && r.status !== 'refused');
  const issueErrors: LocatedError[] = [];
  const warnings: string[] = [];
  for (const issue of effective.issues.filter((i) => i.pack === packId)) {
    const e: PackError = { file: key, message: issue.message, ...(issue.rule ? { rule: issue.rule } : {}), ...(issue.path ? { path: issue.path } : {}), ...(issue.line ? { line: issue.line } : {}) };
    if (issue.severity === 'error') issueErrors.push(...locatePackErrors(text, [e]));
    else warnings.push(issue.message);
  }
  if (clash) issueErrors.push({ file: key, message: `パック ID「${packId}」は「${clash.name ?? clash.key}」がすでに使っています。別の id にしてください` });
  const pack = { id: packId, name: row.name ?? packId, version: row.version ?? '', rules: row.ruleCount ?? 0 };
  return { ok: issueErrors.length === 0, errors: issueErrors, warnings, pack };
}

/** The configuration, compiled in the page, following every change to the policy, settings and subscriptions. */
export function useConsoleState(): ConsoleState | undefined {
  const [state, setState] = useState<ConsoleState | undefined>();
  useEffect(() => {
    let live = true;
    let generation = 0;
    const load = async () => {
      const mine = ++generation;
      const { policy, pending } = await readPolicy();
      // With the built-in pack's YAML: the console shows its source and compiles it here.
      const config = await describeConfiguration(policy, localStore, builtinYaml);
      const next = await compile(config);
      if (pending) {
        next.policyPending = true;
        void pending.then(() => {
          if (live) void load();
        });
      }
      if (live && mine === generation) setState(next);
    };
    // Has the engine host compile the stack too (not awaited): the stored pack status and the panel's rule names then
    // exist on a fresh profile before any reply was analysed.
    void send({ type: 'kizuki:console', op: 'config' }).catch(() => undefined);
    // The tokenizer is built on this page's main thread: only after the first list is on screen.
    void load().then(() => pageTokenizer()).then(() => {
      if (live) void load();
    });
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'managed' || (area === 'local' && (SETTINGS_KEY in changes || SUBSCRIPTIONS_KEY in changes || E2E_MANAGED_KEY in changes))) void load();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return state;
}
