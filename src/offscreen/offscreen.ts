// Chrome's offscreen document: holds the engine and the tokenizer, so a stopped service worker does not drop the
// ~100 MB dictionary. It answers only messages addressed to it ({ target: 'kizuki-engine' }).
import browser, { type Runtime } from 'webextension-polyfill';
import { startEngineHost } from '../host/engine-host';
import { ENGINE_PORT, type HostAnalyzeRequest, type HostCheckPackRequest, type HostConfigureRequest, type HostStatusRequest, type HostTryRequest } from '../shared/messages';
import { serveEnginePort } from '../shared/engine-port';

const host = startEngineHost(browser.runtime.getURL('dict/'));

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
  // Only the background talks to the engine host: content scripts (which run in web pages) reach every extension
  // context's listener too, so anything sent from a tab is refused.
  if (sender.id !== browser.runtime.id || sender.tab !== undefined) return undefined;
  const message = raw as HostAnalyzeRequest | HostConfigureRequest | HostTryRequest | HostStatusRequest | HostCheckPackRequest | { target?: string };
  if (!message || message.target !== 'kizuki-engine' || !('type' in message)) return undefined;
  if (message.type === 'kizuki:host-status') return Promise.resolve(host.status());
  if (message.type === 'kizuki:host-configure') return host.configure(message.config);
  if (message.type === 'kizuki:host-check-pack') return host.checkPack(message.text, message.url);
  if (message.type === 'kizuki:host-try') return host.tryConfiguration(message.config, message.draft, message.customer);
  if (message.type === 'kizuki:host-analyze') {
    return host.analyze(message.draft, message.customer, message.configKey).then((reply) => reply ?? { needConfig: true });
  }
  return undefined;
});

// The keystroke path: content scripts analyse here directly, without waking the service worker.
browser.runtime.onConnect.addListener((port) => {
  if (port.name !== ENGINE_PORT || port.sender?.id !== browser.runtime.id) return;
  serveEnginePort(port, (draft, customer) => host.analyzeConfigured(draft, customer), (listener) => host.onEngineChanged(listener));
});
