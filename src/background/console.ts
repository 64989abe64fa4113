// The background side of the QA lead's console (options page): hand it the configuration, download a pack URL for
// it to check before subscribing, subscribe, and check one URL now. Downloads go through the same function as the
// scheduled updates (https only, hop-by-hop redirects, sha256 pin, size cap); nothing downloaded is executed.
import browser from 'webextension-polyfill';
import type { PackError } from '../engine/model';
import { parseManagedConfig, MIN_UPDATE_MINUTES } from '../distribution/managed';
import { readSettings, SETTINGS_KEY, SUBSCRIPTIONS_KEY } from '../distribution/sources';
import { newSubscription, refreshSubscription, withPin, type PackCheck, type RefreshOptions, type SubscriptionState } from '../distribution/subscription';
import { localStore } from '../shared/local-store';
import type { ConsoleConfigResponse, ConsoleFetchResponse, ConsoleRequest } from '../shared/console-protocol';
import type { AnalyzeResponse } from '../shared/messages';
import type { PackConfiguration } from '../distribution/configuration';

export interface ConsoleDeps {
  configuration(): Promise<PackConfiguration>;
  analyze(draft: string, customer: string | undefined): Promise<AnalyzeResponse>;
  /** Runs (or joins) the scheduled refresh of every subscription. */
  refresh(): Promise<unknown>;
  readPolicy(): Promise<unknown>;
  /** Checks a downloaded pack in the engine host. */
  checkPack(text: string, url: string): Promise<PackCheck>;
  /** Sends the engine host the current configuration and stores each pack's status (PACK_STATUS_KEY). */
  configure(): Promise<unknown>;
}

let storing: Promise<void> | undefined;
/**
 * Stores the pack status (with the rules' titles) even where no analysis would: on a fresh profile the host's initial
 * engine already matches the configuration, so it is never configured and nothing is stored. Waits for the
 * tokenizer first (up to 60 s), so that token rules are titled by their own examples.
 */
function storeStatus(deps: ConsoleDeps): Promise<void> {
  storing ??= (async () => {
    for (let i = 0; i < 60; i++) {
      const probe = await deps.analyze('', undefined).catch(() => undefined);
      if (probe?.tokenizerReady) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await deps.configure();
  })()
    .catch(() => undefined)
    .finally(() => (storing = undefined));
  return storing;
}

function download(state: SubscriptionState, developerMode: boolean, check: ConsoleDeps['checkPack']): Promise<ConsoleFetchResponse> {
  let text: string | undefined;
  let errors: PackError[] | undefined;
  const options: RefreshOptions = {
    fetch: (input, init) => fetch(input, init),
    validate: async (body, url) => {
      text = body;
      const result = await check(body, url);
      if (!result.ok) errors = result.errors;
      return result;
    },
    developerMode,
    ...(__KIZUKI_E2E__ ? { insecureHostsForTesting: ['127.0.0.1'] } : {}),
  };
  return refreshSubscription(state, options).then((next) => ({ state: next, ...(text !== undefined ? { text } : {}), ...(errors ? { errors } : {}) }));
}

export async function handleConsole(message: ConsoleRequest, deps: ConsoleDeps): Promise<unknown> {
  switch (message.op) {
    case 'config': {
      const config = await deps.configuration();
      // Compiles the stack in the engine host now, so the stored pack status (and the panel's rule names) exist on a
      // fresh profile before any reply was analysed.
      // Not awaited: the page compiles the configuration itself and should not wait for the offscreen document.
      void storeStatus(deps);
      return { config } satisfies ConsoleConfigResponse;
    }
    case 'status': {
      void storeStatus(deps);
      return { ok: true };
    }
    case 'fetch-url': {
      const { config: managed } = parseManagedConfig(await deps.readPolicy());
      return download(newSubscription(message.url, message.sha256), managed.developerMode, deps.checkPack);
    }
    case 'add-url': {
      // Let a scheduled refresh that read the old settings finish first, so that it cannot write over this state.
      await deps.refresh();
      const states = ((await localStore.get(SUBSCRIPTIONS_KEY)) ?? {}) as Record<string, SubscriptionState>;
      await localStore.set(SUBSCRIPTIONS_KEY, { ...states, [message.url]: message.state });
      const settings = await readSettings(localStore);
      const entry = {
        url: message.url,
        ...(message.sha256 ? { sha256: message.sha256.toLowerCase() } : {}),
        ...(message.updateIntervalMinutes ? { updateIntervalMinutes: Math.max(MIN_UPDATE_MINUTES, message.updateIntervalMinutes) } : {}),
      };
      await localStore.set(SETTINGS_KEY, { ...settings, subscriptions: [...settings.subscriptions.filter((s) => s.url !== message.url), entry] });
      return { ok: true };
    }
    case 'update-now': {
      await deps.refresh();
      const { config: managed } = parseManagedConfig(await deps.readPolicy());
      const settings = await readSettings(localStore);
      const states = ((await localStore.get(SUBSCRIPTIONS_KEY)) ?? {}) as Record<string, SubscriptionState>;
      const pin = [...managed.packs, ...settings.subscriptions].find((p) => p.url === message.url)?.sha256;
      const result = await download(withPin(states[message.url], message.url, pin), managed.developerMode, deps.checkPack);
      const latest = ((await localStore.get(SUBSCRIPTIONS_KEY)) ?? {}) as Record<string, SubscriptionState>;
      await localStore.set(SUBSCRIPTIONS_KEY, { ...latest, [message.url]: result.state });
      return result;
    }
    default:
      return undefined;
  }
}

/** How often the subscription alarm fires: the policy's interval, or an agent URL's shorter one. */
export async function subscriptionAlarmMinutes(policyMinutes: number): Promise<number> {
  const own = (await readSettings(localStore)).subscriptions.map((s) => s.updateIntervalMinutes ?? policyMinutes);
  return Math.max(MIN_UPDATE_MINUTES, Math.min(policyMinutes, ...own));
}

export const isExtensionPage = (url: string | undefined): boolean => !!url && url.startsWith(browser.runtime.getURL(''));
