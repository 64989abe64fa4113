// Opt-in sites: the agent grants the origin from the panel (permissions.request needs the click), then the content
// scripts are registered for that origin and injected into the open tab right away.
import browser from 'webextension-polyfill';

const SITES_KEY = 'enabledSites';
const scriptId = (origin: string) => `kizuki-site-${origin.replace(/[^a-z0-9]/gi, '_')}`;

async function enabledSites(): Promise<string[]> {
  const stored = await browser.storage.local.get(SITES_KEY);
  return Array.isArray(stored[SITES_KEY]) ? (stored[SITES_KEY] as string[]) : [];
}

function registration(origin: string) {
  return [
    { id: scriptId(origin), matches: [`${origin}/*`], js: ['content.js'], runAt: 'document_idle' as const },
    { id: scriptId(origin) + '-bridge', matches: [`${origin}/*`], js: ['bridge.js'], runAt: 'document_idle' as const, world: 'MAIN' as const },
  ];
}

export async function enableSite(tabId: number, origin: string): Promise<{ ok: boolean; error?: string }> {
  if (!(await browser.permissions.contains({ origins: [`${origin}/*`] }))) {
    return { ok: false, error: 'このサイトへのアクセスが許可されていません' };
  }
  const sites = await enabledSites();
  if (!sites.includes(origin)) await browser.storage.local.set({ [SITES_KEY]: [...sites, origin] });
  await register(origin);
  await browser.scripting.executeScript({ target: { tabId }, files: ['content.js'] });
  await browser.scripting.executeScript({ target: { tabId }, files: ['bridge.js'], world: 'MAIN' } as never);
  return { ok: true };
}

export async function disableSite(origin: string): Promise<{ ok: boolean }> {
  const sites = await enabledSites();
  await browser.storage.local.set({ [SITES_KEY]: sites.filter((s) => s !== origin) });
  const ids = registration(origin).map((r) => r.id);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  await browser.permissions.remove({ origins: [`${origin}/*`] });
  return { ok: true };
}

async function register(origin: string): Promise<void> {
  const scripts = registration(origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: scripts.map((s) => s.id) });
  const missing = scripts.filter((s) => !existing.some((e) => e.id === s.id));
  if (missing.length > 0) await browser.scripting.registerContentScripts(missing as never);
}

/** Registrations do not always persist (Firefox): re-create them from storage at start-up. */
export async function restoreSiteScripts(): Promise<void> {
  for (const origin of await enabledSites()) {
    if (await browser.permissions.contains({ origins: [`${origin}/*`] })) await register(origin).catch(() => {});
  }
}
