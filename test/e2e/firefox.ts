// Firefox side of the real-browser harness. Playwright drives only its own patched Firefox, which cannot be
// downloaded here, so Debian's firefox-esr is driven by Puppeteer over WebDriver BiDi, which can also install the
// unpacked extension (webExtension.install). The page probes (updates, underlines, editor text) are shared with the
// Chromium harness through its `Evaluates` interface.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { browsersSkipped, findBrowser } from '../../scripts/browsers.mjs';
import { editorSelector, recordUpdates, repoRoot, sleep, underlineRect, type Evaluates, type Finding, type FixturePage, type FixtureServer } from './harness';

const firefox_ = findBrowser('firefox');
/** Where Firefox is (FIREFOX_PATH, the usual places, PATH: scripts/browsers.mjs, shared with .ci/run). */
export const firefoxPath = firefox_.path ?? '/usr/bin/firefox-esr';
/** False only when missing (test/e2e/global-setup.ts has then already failed the run) or KIZUKI_SKIP_BROWSERS=1. */
export const hasFirefox = firefox_.found && !browsersSkipped();
export const firefoxExtensionDir = path.join(repoRoot, 'dist/firefox-e2e');

const GECKO_ID = 'kizuki@kizuki.dev';
/** Fixed so tests can open the extension's own pages (Firefox otherwise picks a random moz-extension:// host). */
const EXTENSION_UUID = '6b1c9a52-3f0e-4d8a-9c71-2e5f4a0b7d13';
export const extensionOrigin = `moz-extension://${EXTENSION_UUID}`;

export interface FirefoxSession {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * options.managed: what IT would push as the extension's managed storage. Firefox reads it from a managed storage
 * manifest, `~/.mozilla/managed-storage/<extension id>.json` (the same data `3rdparty.Extensions` in policies.json
 * provides); Firefox runs with a throwaway HOME holding that file, so the machine's own configuration is untouched.
 */
export async function launchFirefox(options: { prefs?: Record<string, unknown>; managed?: object } = {}): Promise<FirefoxSession> {
  let home: string | undefined;
  if (options.managed) {
    home = mkdtempSync(path.join(os.tmpdir(), 'kizuki-firefox-home-'));
    const dir = path.join(home, '.mozilla', 'managed-storage');
    mkdirSync(dir, { recursive: true });
    const manifest = { name: GECKO_ID, description: 'kizuki team policy (test)', type: 'storage', data: options.managed };
    writeFileSync(path.join(dir, `${GECKO_ID}.json`), JSON.stringify(manifest));
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      // Offline machine: no update, telemetry or captive-portal traffic.
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'extensions.update.enabled': false,
      'browser.search.update': false,
      ...options.prefs,
    },
  });
  const id = await browser.installExtension(firefoxExtensionDir);
  if (id !== GECKO_ID) throw new Error(`firefox harness: installed ${id}, expected ${GECKO_ID}`);
  return {
    browser,
    async close() {
      await browser.close();
      if (home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * A Puppeteer page seen through the shared probes' interface. Puppeteer's evaluate types its argument through
 * handle unwrapping; the probes only pass plain JSON, for which the two signatures agree.
 */
export function probe(page: Page): Evaluates {
  return { evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => page.evaluate(fn as (arg: unknown) => R, arg) as Promise<R> };
}

export async function openFixtureInFirefox(browser: Browser, server: FixtureServer, fixture: FixturePage): Promise<Page> {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(recordUpdates);
  await page.goto(server.url(fixture));
  await page.waitForFunction(() => window.__fixture !== undefined);
  await page.click(editorSelector[fixture]);
  return page;
}

/** Moves the pointer onto the underline of `finding` and waits for the card (in kizuki-ui's open shadow root). */
export async function hoverFindingInFirefox(page: Page, finding: Finding): Promise<void> {
  const rect = await underlineRect(probe(page), finding);
  if (!rect) throw new Error(`no underline drawn for ${JSON.stringify(finding)}`);
  await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
  await page.waitForSelector('kizuki-ui >>> .kizuki-card', { visible: true, timeout: 10_000 });
}

/** Clicks, with the real pointer, the card's suggestion button whose label contains `label`; returns its text. */
export async function clickSuggestion(page: Page, label: string): Promise<string> {
  const found = await page.waitForFunction(
    (wanted: string) => {
      const buttons = document.querySelector('kizuki-ui')?.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-suggestion-index]') ?? [];
      const button = [...buttons].find((b) => b.textContent?.includes(wanted));
      if (!button) return null;
      const r = button.getBoundingClientRect();
      return { text: (button.textContent ?? '').trim(), x: r.x + r.width / 2, y: r.y + r.height / 2 };
    },
    { timeout: 10_000 },
    label,
  );
  const button = (await found.jsonValue())!;
  await page.mouse.click(button.x, button.y);
  return button.text;
}

/**
 * Opens an extension page in a tab of its own: the panel for the tab showing `page` (the sidebar is not reachable
 * headless), or the options page. The extension opens it itself on a test event (e2e build only): WebDriver BiDi will
 * not navigate to moz-extension://, and it lists the new tab as about:blank, so the page is recognised by asking it
 * where it is.
 */
export async function openExtensionPageInFirefox(browser: Browser, page: Page, which: 'panel' | 'options'): Promise<Page> {
  const before = new Set(await browser.pages());
  await page.evaluate((detail) => document.dispatchEvent(new CustomEvent('kizuki:e2e-open-page', { detail })), which);
  const wanted = which === 'panel' ? `${extensionOrigin}/panel.html?tab=` : `${extensionOrigin}/options.html`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const candidate of await browser.pages()) {
      if (before.has(candidate)) continue;
      const href = await candidate.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(wanted)) return candidate;
    }
    await sleep(100);
  }
  throw new Error(`openExtensionPageInFirefox: no ${which} tab opened within 10 s`);
}
