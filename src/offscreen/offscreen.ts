// Chrome's offscreen document: holds the engine and the tokenizer, so a stopped service worker does not drop the
// ~100 MB dictionary. It answers only messages addressed to it ({ target: 'kizuki-engine' }).
import browser from 'webextension-polyfill';
import { startEngineHost } from '../background/engine-host';
import type { HostAnalyzeRequest, HostStatusRequest } from '../shared/messages';

const host = startEngineHost(browser.runtime.getURL('dict/'));

browser.runtime.onMessage.addListener((raw: unknown) => {
  const message = raw as HostAnalyzeRequest | HostStatusRequest | { target?: string };
  if (!message || message.target !== 'kizuki-engine' || !('type' in message)) return undefined;
  if (message.type === 'kizuki:host-status') return Promise.resolve(host.status());
  if (message.type === 'kizuki:host-analyze') return host.analyze(message.draft, message.customer);
  return undefined;
});
