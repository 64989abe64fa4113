// Background: routes drafts to the engine host, keeps per-tab state for the panel (storage.session, so it survives
// the service worker being stopped), sets the badge, and registers content scripts on sites the agent enabled.
// Chrome: a service worker that forwards to the offscreen document. Firefox: an event page that hosts the engine.
import browser, { type Runtime } from 'webextension-polyfill';
import { localStore } from '../shared/local-store';
import type { AnalyzeResponse, BackgroundRequest, DraftContext, HostAnalyzeRequest, HostCheckPackRequest, HostConfigureRequest, HostTryRequest, PlaygroundResponse, TabState } from '../shared/messages';
import { refreshSubscriptions, SETTINGS_KEY, SUBSCRIPTIONS_KEY, type PackStatusRow } from '../distribution/sources';
import { parseManagedConfig } from '../distribution/managed';
import type { PackCheck } from '../distribution/subscription';
import { createStats } from '../stats/local-stats';
import type { Finding } from '../engine/types';
import { describeConfiguration, E2E_MANAGED_KEY, type PackConfiguration } from '../distribution/configuration';
import { ENGINE_PORT, PACK_STATUS_KEY, ignoreKey, tabStateKey } from '../shared/messages';
import { serveEnginePort } from '../shared/engine-port';
import { startEngineHost, type EngineHost } from '../host/engine-host';
import { enableSite, disableSite, restoreSiteScripts } from './sites';
import { handleConsole, isExtensionPage, subscriptionAlarmMinutes } from './console';
import { policyView, publishPolicyView } from './policy-view';
import { openPanelFor, routeCommand, sendStat } from './controls';

performance.mark('kizuki:worker-script');
const chromeApi = (globalThis as { chrome?: typeof chrome }).chrome;
// __KIZUKI_OFFSCREEN__: Chrome's build hosts the engine in the offscreen document, Firefox's in this event page. A
// build-time constant, so Chrome's service worker carries neither the engine nor the packs: it starts at every browser
// start and wake-up, and its 1.4 MB script took 0.4 s to load before it could even create the offscreen document.

let localHost: EngineHost | undefined;
/** Firefox: the engine host of this event page, started on first use. */
function localEngineHost(): EngineHost {
  return (localHost ??= startEngineHost(browser.runtime.getURL('dict/')));
}
/**
 * Firefox suspends an event page idle for 30 s (extensions.background.idle.timeout); a ping every 20 s keeps the
 * engine while the agent works. The e2e build pings every second, for tests that lower that timeout to 3 s.
 */
const KEEP_WARM_MS = __KIZUKI_E2E__ ? 1_000 : 20_000;
let offscreenReady: Promise<void> | undefined;

async function ensureOffscreen(): Promise<void> {
  const existing = await chromeApi!.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
  if (existing.length > 0) return;
  offscreenReady ??= chromeApi!.offscreen
    .createDocument({
      url: 'offscreen.html',
      // The document runs the tokenizer (heavy computation off the worker's lifecycle); WORKERS is the closest reason.
      reasons: ['WORKERS'],
      justification: 'Keeps one Japanese tokenizer (about 100 MB) loaded while the service worker sleeps.',
    })
    .catch((e: Error) => {
      // Another request created it first.
      if (!/single offscreen/i.test(e.message)) throw e;
    })
    // A new document has the built-in pack only: give it the configuration before content scripts use it (not awaited:
    // configuring goes through ensureOffscreen itself).
    .then(() => {
      performance.mark('kizuki:offscreen-created');
      pushedKey = undefined;
      void pushConfiguration().catch((e: unknown) => console.warn('kizuki: configuration', e));
    })
    .finally(() => (offscreenReady = undefined));
  await offscreenReady;
}

let configuration: Promise<PackConfiguration> | undefined;

/** The managed policy as last read, so a browser start need not wait for Chrome's first managed read. */
const POLICY_CACHE_KEY = 'kizuki.policyCache';
/** What the configuration is made of: a write to any other key (statistics, pack status) leaves it as it is. */
const CONFIGURATION_KEYS = [SETTINGS_KEY, SUBSCRIPTIONS_KEY, E2E_MANAGED_KEY];

/** The enterprise policy object (chrome.storage.managed / Firefox policies.json 3rdparty). */
async function readManagedPolicy(): Promise<unknown> {
  // storage.managed throws where no policy schema or policy exists (e.g. Firefox without policies.json).
  let policy: unknown = await browser.storage.managed.get().catch(() => undefined);
  if (__KIZUKI_E2E__ && (policy === undefined || Object.keys(policy as object).length === 0)) {
    policy = (await browser.storage.local.get(E2E_MANAGED_KEY))[E2E_MANAGED_KEY];
  }
  return policy;
}

/** The managed read in use; dropped when the policy changes. */
let managedRead: Promise<unknown> | undefined;
/** Whether a managed read has answered in this worker's life: from then on the cache is never used. */
let policyKnown = false;
/** The policy seen last time, read once per worker life. */
let cachedPolicy: Promise<unknown> | undefined;

/** Every managed read that answers is remembered, if it differs from what is stored (a write rebuilds the configuration). */
const readPolicy = (): Promise<unknown> => {
  managedRead ??= readManagedPolicy().then(async (policy) => {
    policyKnown = true;
    const stored = (await browser.storage.local.get(POLICY_CACHE_KEY))[POLICY_CACHE_KEY] ?? null;
    if (JSON.stringify(stored) !== JSON.stringify(policy ?? null)) await browser.storage.local.set({ [POLICY_CACHE_KEY]: policy ?? null });
    return policy;
  });
  return managedRead;
};

/**
 * The policy to configure with now. Chrome answers the first storage.managed read of a browser start 1–3 s late, so
 * until a read of this worker's life has answered, the policy seen last time stands in (none on a profile's first
 * start), whichever comes first. When the real read lands and differs from the cache, readPolicy writes the cache, and
 * that write rebuilds the configuration (storage.onChanged below).
 */
function policyForNow(): Promise<unknown> {
  const real = readPolicy();
  if (policyKnown) return real;
  cachedPolicy ??= browser.storage.local.get(POLICY_CACHE_KEY).then((stored) => stored[POLICY_CACHE_KEY] ?? undefined);
  return Promise.race([real, cachedPolicy]);
}

/** The pack configuration from storage, cached until what it is made of changes (policy, settings, subscriptions). */
function currentConfiguration(): Promise<PackConfiguration> {
  configuration ??= (async () => {
    const policy = await policyForNow();
    performance.mark('kizuki:policy-read');
    const config = await describeConfiguration(policy, localStore);
    for (const problem of config.policyProblems) console.warn(`kizuki: ${problem}`);
    return config;
  })();
  configuration.catch(() => (configuration = undefined));
  return configuration;
}

/**
 * The configuration as it is once read: a read overtaken by a change while it ran (the policy cache, then the real
 * policy; a setting saved meanwhile) is read again, so an older configuration never reaches the host after a newer one.
 */
async function latestConfiguration(): Promise<PackConfiguration> {
  for (;;) {
    const pending = currentConfiguration();
    const config = await pending;
    if (pending === configuration) return config;
  }
}

const SUBSCRIPTION_ALARM = 'kizuki-pack-subscriptions';
let refreshing: Promise<unknown> | undefined;

/**
 * Downloads the subscribed pack URLs that are due (managed first, then the agent's), keeping the last good version of
 * each on any failure. The new states land in storage.local, which invalidates the configuration above.
 */
function refreshPackSubscriptions(): Promise<unknown> {
  refreshing ??= (async () => {
    const { config: managed } = parseManagedConfig(await readPolicy());
    await refreshSubscriptions(localStore, managed, {
      fetch: (input, init) => fetch(input, init),
      validate: checkPack,
      ...(__KIZUKI_E2E__ ? { insecureHostsForTesting: ['127.0.0.1'] } : {}),
    });
    await browser.alarms.create(SUBSCRIPTION_ALARM, { periodInMinutes: await subscriptionAlarmMinutes(managed.updateIntervalMinutes) });
  })()
    .catch((e: unknown) => console.warn('kizuki: pack subscriptions', e))
    .finally(() => (refreshing = undefined));
  return refreshing;
}

/** The configuration key the engine host was last given: pushed again only when it changes. */
let pushedKey: string | undefined;

/**
 * Sends the current configuration to the engine host when it differs from what the host has, so content scripts
 * talking to the host directly (ENGINE_PORT) get new packs and overrides without waiting for a miss.
 */
async function pushConfiguration(): Promise<void> {
  const config = await latestConfiguration();
  performance.mark('kizuki:configuration-read');
  if (config.key === pushedKey) return;
  await configureHost();
  performance.mark('kizuki:configuration-pushed');
}

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || (area === 'local' && E2E_MANAGED_KEY in changes)) managedRead = undefined;
  if (area === 'managed' || (area === 'local' && [...CONFIGURATION_KEYS, POLICY_CACHE_KEY].some((key) => key in changes))) {
    configuration = undefined;
    void pushConfiguration().catch((e: unknown) => console.warn('kizuki: configuration', e));
  }
  // New policy or new subscriptions: fetch what is due now (not on our own SUBSCRIPTIONS_KEY writes: no loop).
  if (area === 'managed' || (area === 'local' && (SETTINGS_KEY in changes || E2E_MANAGED_KEY in changes))) void refreshPackSubscriptions();
});
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SUBSCRIPTION_ALARM) void refreshPackSubscriptions();
});

async function hostAnalyze(draft: string, customer: string | undefined, config: PackConfiguration): Promise<AnalyzeResponse | null> {
  if (!__KIZUKI_OFFSCREEN__) {
    return localEngineHost().analyze(draft, customer, config.key);
  }
  await ensureOffscreen();
  const request: HostAnalyzeRequest = { target: 'kizuki-engine', type: 'kizuki:host-analyze', draft, customer, configKey: config.key };
  const reply = (await browser.runtime.sendMessage(request)) as AnalyzeResponse | { error: string } | { needConfig: true } | undefined;
  if (!reply) throw new Error('解析エンジンが応答しませんでした');
  if ('error' in reply) throw new Error(reply.error);
  return 'needConfig' in reply ? null : reply;
}

/** Checks a downloaded pack (a subscription refresh, the console's fetch) in the engine host. */
async function checkPack(text: string, url: string): Promise<PackCheck> {
  if (!__KIZUKI_OFFSCREEN__) return localEngineHost().checkPack(text, url);
  await ensureOffscreen();
  return (await browser.runtime.sendMessage({ target: 'kizuki-engine', type: 'kizuki:host-check-pack', text, url } satisfies HostCheckPackRequest)) as PackCheck;
}

/** The configuring in progress: each waits for the one before, so the host applies them in order. */
let configuring: Promise<unknown> = Promise.resolve();

/**
 * Sends the engine host the configuration as it is when this call's turn comes, and stores each pack's status. Calls
 * run one after another, so the host always ends with the newest configuration, never an older one that was slower
 * to read (the policy cache and then the real policy, the tokenizer's recompile racing a new pack).
 */
function configureHost(): Promise<{ config: PackConfiguration; rows: PackStatusRow[] }> {
  const next = configuring.catch(() => undefined).then(async () => {
    const config = await latestConfiguration();
    if (__KIZUKI_OFFSCREEN__) await ensureOffscreen();
    const rows = __KIZUKI_OFFSCREEN__
      ? ((await browser.runtime.sendMessage({ target: 'kizuki-engine', type: 'kizuki:host-configure', config } satisfies HostConfigureRequest)) as PackStatusRow[])
      : await localEngineHost().configure(config);
    pushedKey = config.key;
    // Kept for the options page: each pack source with its status (active, refused and why, stale).
    await browser.storage.local.set({ [PACK_STATUS_KEY]: rows });
    // For the content scripts: the send check mode and the locked rules this configuration decides.
    await publishPolicyView(localStore, policyView(config, rows)).catch((e: unknown) => console.warn('kizuki: policy view', e));
    return { config, rows };
  });
  configuring = next;
  return next;
}

/** The playground's trial: the current configuration plus one pack file on top, analysed once. */
async function tryPack(pack: { name: string; text: string }, draft: string, customer: string | undefined): Promise<PlaygroundResponse> {
  const current = await currentConfiguration();
  const key = `trial:${pack.name}`;
  const config: PackConfiguration = { ...current, key: `${current.key}+${key}`, sources: [...current.sources, { key, origin: 'agent-file', text: pack.text }] };
  const { result, rows } = __KIZUKI_OFFSCREEN__
    ? ((await (ensureOffscreen().then(() =>
        browser.runtime.sendMessage({ target: 'kizuki-engine', type: 'kizuki:host-try', config, draft, customer } satisfies HostTryRequest)))) as { result: AnalyzeResponse; rows: PackStatusRow[] })
    : await localEngineHost().tryConfiguration(config, draft, customer);
  const trialStatus = rows.find((r) => r.key === key);
  return { ...result, ...(trialStatus ? { trialStatus } : {}) };
}

/** The host's recompilation once the tokenizer has loaded (see AnalyzeResponse.examplesPending), while it runs. */
const RECHECK_DELAY_MS = 2_000;
let recheckExamples: Promise<unknown> | undefined;

async function analyze(draft: string, customer: string | undefined): Promise<AnalyzeResponse> {
  let reply = await hostAnalyze(draft, customer, await latestConfiguration());
  if (!reply) {
    // The host runs another configuration (it just started, or a pack changed): send the current one and ask again.
    const { config } = await configureHost();
    reply = await hostAnalyze(draft, customer, config);
    if (!reply) throw new Error('解析エンジンがルールパックの構成を受け付けませんでした');
  }
  if (reply.examplesPending && reply.tokenizerReady) recheckPendingExamples();
  return reply;
}

/**
 * The packs were compiled before the dictionary had loaded: now that it has, compile them again so that their token
 * examples run (a pack failing them is refused, and the options page says why) and every rule gets its title.
 */
function recheckPendingExamples(): void {
  // Not at once: running every rule's examples takes the host's thread for a moment, and this is asked right after the
  // first analyses with tokens, while the agent may still be typing (in Firefox the host is this very page).
  recheckExamples ??= new Promise((resolve) => setTimeout(resolve, RECHECK_DELAY_MS))
    .then(configureHost)
    .finally(() => (recheckExamples = undefined));
}

const stats = createStats(localStore);

/**
 * Which findings of each tab's current draft were already counted as fired: a finding counts once per draft, not once
 * per keystroke. Mirrored to storage.session so a stopped worker does not count them again; read from there once per
 * tab and worker life, written only when something new fired. Per-tab promise chains keep concurrent analyses of one
 * tab from counting the same finding twice.
 */
const firedByTab = new Map<number, Promise<Set<string>>>();

/**
 * Counts a finding as fired once per draft: the same rule on the same text while the agent keeps typing is one event.
 * Forgotten when the draft is emptied (sent).
 */
function countFired(tabId: number, draftEmpty: boolean, findings: Finding[]): Promise<void> {
  const key = `kizuki.fired.${tabId}`;
  const previous = firedByTab.get(tabId) ?? browser.storage.session.get(key).then((stored) => new Set((stored[key] as string[] | undefined) ?? []));
  const next = previous.then(async (seen) => {
    const cleared = draftEmpty && seen.size > 0;
    if (draftEmpty) seen.clear();
    const fresh = findings.filter((f) => !seen.has(ignoreKey(f)));
    for (const f of fresh) seen.add(ignoreKey(f));
    if (fresh.length > 0 || cleared) await browser.storage.session.set({ [key]: [...seen] });
    if (fresh.length > 0) await stats.record(fresh.map((f) => ({ rule: `${f.pack}/${f.rule}`, event: 'fired' as const, at: new Date() })));
    return seen;
  });
  // A failed write must not wedge the tab's chain: the next analysis starts from what is in memory.
  firedByTab.set(tabId, next.catch(() => previous.catch(() => new Set<string>())));
  return next.then(() => undefined);
}

async function publish(tabId: number, state: TabState): Promise<void> {
  const open = state.status === 'ready' ? state.findings.length : 0;
  await Promise.all([
    browser.storage.session.set({ [tabStateKey(tabId)]: state }),
    browser.action.setBadgeText({ tabId, text: open > 0 ? String(open) : '' }),
  ]);
}

function idleState(context: DraftContext): TabState {
  return {
    status: context.status,
    adapter: context.adapter,
    findings: [],
    checklist: [],
    ...(context.customer !== undefined ? { customer: context.customer } : {}),
    tokenizerReady: false,
    draftLength: 0,
    updatedAt: Date.now(),
  };
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
  // Our own contexts only (content scripts and extension pages); each case below narrows further where it matters.
  if (sender.id !== browser.runtime.id) return undefined;
  const message = raw as BackgroundRequest;
  if (!message || typeof message !== 'object' || !('type' in message)) return undefined;
  const tabId = sender.tab?.id;
  switch (message.type) {
    case 'kizuki:analyze':
      // The fallback path (the engine host is not up or not configured yet): analyse, starting the host if need be.
      // What is then shown comes back as a ShownReport, like after the direct path.
      return (async () => {
        const result = await analyze(message.draft, message.context.customer);
        const ignored = new Set(message.ignored);
        const findings = result.findings.filter((f) => !ignored.has(ignoreKey(f)));
        return { ...result, findings, ...(__KIZUKI_OFFSCREEN__ ? {} : { keepWarmMs: KEEP_WARM_MS }) } satisfies AnalyzeResponse;
      })();
    case 'kizuki:shown':
      if (tabId === undefined) return undefined;
      void countFired(tabId, message.draftEmpty, message.findings);
      if (message.examplesPending && message.tokenizerReady) recheckPendingExamples();
      return publish(tabId, {
        status: 'ready',
        adapter: message.context.adapter,
        findings: message.findings,
        checklist: message.checklist,
        ...(message.context.customer !== undefined ? { customer: message.context.customer } : {}),
        tokenizerReady: message.tokenizerReady,
        draftLength: message.draftLength,
        updatedAt: Date.now(),
        ...(message.limits ? { limits: message.limits } : {}),
      }).then(() => true);
    case 'kizuki:playground':
      // Only the extension's own pages may ask (content scripts run in web pages and send kizuki:analyze).
      if (!sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
      return message.trialPack ? tryPack(message.trialPack, message.draft, message.customer) : analyze(message.draft, message.customer);
    case 'kizuki:console':
      // The QA lead's console (options page) only.
      if (!isExtensionPage(sender.url)) return undefined;
      return handleConsole(message, { configuration: currentConfiguration, analyze, refresh: refreshPackSubscriptions, readPolicy, configure: configureHost, checkPack });
    case 'kizuki:stat':
      return stats.record([{ rule: message.rule, event: message.event, at: new Date() }]);
    case 'kizuki:idle':
      if (tabId !== undefined) void publish(tabId, idleState(message.context));
      return Promise.resolve(true);
    case 'kizuki:keep-warm':
      // Receiving it is the point: Firefox counts a message as activity and does not suspend the page.
      return Promise.resolve(true);
    case 'kizuki:e2e-open-page':
      if (!__KIZUKI_E2E__ || tabId === undefined) return undefined;
      return browser.tabs
        .create({ url: browser.runtime.getURL(message.page === 'options' ? 'options.html' : `panel.html?tab=${tabId}`) })
        .then(() => true);
    case 'kizuki:send-stat':
      return sendStat(stats, message.outcome);
    case 'kizuki:open-panel':
      return tabId === undefined ? undefined : openPanelFor(tabId, sender.tab?.windowId);
    case 'kizuki:e2e-command':
      if (!__KIZUKI_E2E__ || tabId === undefined) return undefined;
      return routeCommand(message.command, tabId);
    case 'kizuki:site-toggle':
      // Only the panel (an extension page) may grant or revoke a site; a content script runs inside web pages.
      if (!sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
      return message.enable ? enableSite(message.tabId, message.origin) : disableSite(message.origin);
    default:
      return undefined;
  }
});

browser.tabs.onRemoved.addListener((tabId) => {
  firedByTab.delete(tabId);
  void browser.storage.session.remove([tabStateKey(tabId), `kizuki.fired.${tabId}`]);
});

// Chrome: the toolbar button opens the side panel. Firefox: it toggles the sidebar.
if (chromeApi?.sidePanel?.setPanelBehavior) {
  chromeApi.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});
} else {
  const sidebar = (browser as unknown as { sidebarAction?: { toggle(): Promise<void> } }).sidebarAction;
  browser.action.onClicked.addListener(() => void sidebar?.toggle());
}
void browser.action.setBadgeBackgroundColor({ color: '#b45309' });

// Keyboard commands (manifest `commands`; the agent remaps them in the browser's shortcut settings): to the tab in use.
browser.commands?.onCommand.addListener((command) => {
  void browser.tabs.query({ active: true, lastFocusedWindow: true }).then(([tab]) => tab?.id !== undefined && routeCommand(command, tab.id));
});

browser.runtime.onStartup.addListener(() => void restoreSiteScripts().then(refreshPackSubscriptions));
browser.runtime.onInstalled.addListener(() => void restoreSiteScripts().then(refreshPackSubscriptions));

// Warm the engine up as soon as the browser starts, so the first keystroke does not wait for the dictionary; the
// configuration is read meanwhile, so it is ready when the offscreen document is.
if (__KIZUKI_OFFSCREEN__) {
  void currentConfiguration().catch(() => {});
  void ensureOffscreen().catch(() => {});
}
else {
  localEngineHost();
  void pushConfiguration().catch(() => {});
  // Firefox: the event page is the engine host, so the keystroke port ends here.
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== ENGINE_PORT || port.sender?.id !== browser.runtime.id) return;
    serveEnginePort(port, async (draft, customer) => ({ ...(await analyze(draft, customer)), keepWarmMs: KEEP_WARM_MS }), (listener) => localHost!.onEngineChanged(listener));
  });
}
