// Real-browser harness: builds the e2e extension and the fixture pages, launches Debian's Chromium with the
// extension, and gives tests the few page-side probes they need (update events, underline rectangles, the card,
// IME composition, stopping the service worker). Shared by test/e2e/*.test.ts, scripts/start.mjs and
// bench/browser.bench.mjs (the latter two load it through esbuild).
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildFixtures, type FixturePage } from './fixtures/build';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { browsersSkipped, findBrowser } from '../../scripts/browsers.mjs';

export { fixturePages, type FixturePage } from './fixtures/build';
export type { FixtureServer } from './fixtures/server';

const chromium_ = findBrowser('chromium');
/** Where Chromium is (CHROME_PATH, the usual places, PATH: scripts/browsers.mjs, shared with .ci/run). */
export const chromiumPath = chromium_.path ?? '/usr/bin/chromium';
/** False only when missing (test/e2e/global-setup.ts has then already failed the run) or KIZUKI_SKIP_BROWSERS=1. */
export const hasChromium = chromium_.found && !browsersSkipped();

/** The repository root: the nearest folder up from this file whose package.json is kizuki's. */
export const repoRoot: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'kizuki') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('harness: cannot find the kizuki repository root');
    dir = parent;
  }
})();

export const e2eExtensionDir = path.join(repoRoot, 'dist/chrome-e2e');

// ---------------------------------------------------------------------------------------------------------------
// Building

async function buildE2EExtension(): Promise<void> {
  const modulePath = path.join(repoRoot, 'scripts/build-extension.mjs');
  if (!existsSync(modulePath)) throw new Error(`harness: ${modulePath} is missing; the extension build is needed`);
  // A computed specifier: H4's build script is plain JS, loaded at run time.
  const mod = (await import(pathToFileURL(modulePath).href)) as {
    buildExtension(options: { root: string; e2e?: boolean; log?: (line: string) => void }): Promise<unknown>;
  };
  await mod.buildExtension({ root: repoRoot, e2e: true, log: () => {} });
  if (!existsSync(path.join(e2eExtensionDir, 'manifest.json'))) {
    throw new Error(`harness: buildExtension({ e2e: true }) did not produce ${e2eExtensionDir}/manifest.json`);
  }
}

/** Builds the e2e extension and the fixture pages. */
export async function buildAll(): Promise<void> {
  await buildE2EExtension();
  await buildFixtures(repoRoot);
}

/**
 * Builds once per test run even when several test files (vitest workers) ask at the same time: the first takes a
 * directory lock and stamps the build with the run's id; the others wait and reuse it. Rebuilding while another
 * worker's Chromium has the extension loaded would pull files from under it.
 */
export async function buildOncePerRun(): Promise<void> {
  // Vitest's workers are children of the vitest process: its pid identifies the run.
  const runId = String(process.env.KIZUKI_E2E_RUN ?? process.ppid);
  const lock = path.join(repoRoot, 'dist/.e2e-build.lock');
  const stamp = path.join(repoRoot, 'dist/.e2e-build.stamp');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a crashed run is stale after 3 minutes.
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`harness: waited 3 minutes for the build lock ${lock}`);
      await sleep(200);
    }
  }
  try {
    const built = existsSync(stamp) && readFileSync(stamp, 'utf8') === runId && existsSync(path.join(e2eExtensionDir, 'manifest.json'));
    if (!built) {
      await buildAll();
      writeFileSync(stamp, runId);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Launching

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Chromium still tries Google hosts with the flags above; this stops every lookup leaving the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

export interface Session {
  context: BrowserContext;
  /** Present when launched with the extension. */
  extensionId: string;
  /** The throwaway profile (--user-data-dir), which also identifies this browser's processes. */
  profileDir: string;
  close(): Promise<void>;
}

export async function launch(options: { extension?: boolean; headless?: boolean; viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Session> {
  const withExtension = options.extension ?? true;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'kizuki-e2e-'));
  const args = [...chromiumArgs];
  if (withExtension) args.push(`--disable-extensions-except=${e2eExtensionDir}`, `--load-extension=${e2eExtensionDir}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: options.headless ?? true,
    args,
    viewport: options.viewport ?? { width: 1100, height: 800 },
    // The browser UI language too (Playwright passes it as --lang): the extension's pages follow it.
    locale: options.locale ?? 'ja-JP',
  });
  let extensionId = '';
  if (withExtension) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    extensionId = new URL(worker.url()).host;
  }
  return {
    context,
    extensionId,
    profileDir: profile,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture pages and the kizuki:updated event

export interface Finding {
  rule: string;
  category: string;
  severity: string;
  /** 'reply' findings (something missing from the whole reply) carry no start, end or text. */
  scope: 'span' | 'reply';
  start: number;
  end: number;
  text: string;
}

export interface Update {
  /** The editor text the findings are for. */
  text: string;
  /** The session's analysis delay after an edit (the e2e build lets a test raise it). */
  debounceMs: number | null;
  findings: Finding[];
  /** False when the analysis ran before the tokenizer was ready (token rules skipped). */
  tokenizerReady: boolean;
  checklist: unknown[];
  processingMs: number;
  sinceInputMs: number;
  /** Page clock (performance.now()) when the main world received the event. */
  receivedAt: number;
}

declare global {
  interface Window {
    __kizukiUpdates?: Update[];
    __lastInputAt?: number;
  }
}

/** Selector of the editable element the user types into, per fixture. */
export const editorSelector: Record<FixturePage, string> = {
  textarea: '#reply',
  contenteditable: '#reply',
  zendesk: '[data-test-id="omnicomposer-rich-text-ckeditor"]',
  intercom: '[data-conversation-reply-composer] .ProseMirror',
};

/** Page-side, before any page script runs: keeps every kizuki:updated event (and the last input time) on window. */
export function recordUpdates(): void {
  window.__kizukiUpdates = [];
  // Page-side timestamps of the last input, for latency measured independently of the extension's own figures.
  document.addEventListener('input', () => (window.__lastInputAt = performance.now()), true);
  document.addEventListener('kizuki:updated', (event) => {
    const detail = (event as CustomEvent<string>).detail;
    window.__kizukiUpdates?.push({ ...JSON.parse(detail), receivedAt: performance.now() });
  });
}

/** Opens a fixture page with a recorder of kizuki:updated events installed before any page script runs. */
export async function openFixture(context: BrowserContext, server: FixtureServer, page: FixturePage | 'demo', target?: Page): Promise<Page> {
  const tab = target ?? (await context.newPage());
  await tab.addInitScript(recordUpdates);
  await tab.goto(server.url(page));
  await tab.waitForFunction(() => window.__fixture !== undefined);
  return tab;
}

/**
 * What the page-side probes below need of a tab. Playwright's Page (Chromium) and Puppeteer's Page (Firefox) both
 * have it, so one set of probes serves both browsers.
 */
export interface Evaluates {
  evaluate<R, A>(pageFunction: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

export function updateCount(page: Evaluates): Promise<number> {
  return page.evaluate(() => window.__kizukiUpdates?.length ?? 0, undefined);
}

export function updates(page: Evaluates): Promise<Update[]> {
  return page.evaluate(() => window.__kizukiUpdates ?? [], undefined);
}

/**
 * Waits for a kizuki:updated event after the first `after` events whose findings satisfy `accept`, and returns it.
 * The predicate runs in Node on each new event.
 */
export async function waitForUpdate(page: Evaluates, after: number, accept: (update: Update) => boolean = () => true, timeout = 30_000): Promise<Update> {
  const deadline = Date.now() + timeout;
  let seen = after;
  for (;;) {
    const fresh = await page.evaluate((from) => (window.__kizukiUpdates ?? []).slice(from), seen);
    for (const update of fresh) if (accept(update)) return update;
    seen += fresh.length;
    if (Date.now() > deadline) {
      const last = fresh.at(-1) ?? (await updates(page)).at(-1);
      throw new Error(`no kizuki:updated event matched within ${timeout} ms; last event: ${JSON.stringify(last ?? null)}`);
    }
    await sleep(50);
  }
}

/**
 * Waits until the latest kizuki:updated event is the analysis of the editor's current text and satisfies `accept`,
 * and returns it. The extension analyses every change as it comes (no debounce), so an event matching a predicate can
 * be one of a draft typed halfway; this waits for what the agent finally sees.
 */
export async function waitForSettled(page: Evaluates, accept: (update: Update) => boolean = () => true, timeout = 30_000): Promise<Update> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await editorText(page);
    const last = (await updates(page)).at(-1);
    if (last && last.text === text && accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`no analysis of the current text matched within ${timeout} ms; text: ${JSON.stringify(text)}; last event: ${JSON.stringify(last ?? null)}`);
    await sleep(50);
  }
}

export const hasFinding = (text: string) => (update: Update) => update.findings.some((f) => f.text === text);

export function editorText(page: Evaluates): Promise<string> {
  return page.evaluate(() => window.__fixture!.getText(), undefined);
}

export async function focusEditor(page: Page, fixture: FixturePage): Promise<void> {
  await page.locator(editorSelector[fixture]).click();
}

/** Types through Input.insertText (no key events), the way an IME delivers committed text. */
export async function typeText(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Underlines and the card

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the extension drew the underline for `finding`: for a textarea the overlay mark in `<kizuki-overlay>`'s open
 * shadow root; for contenteditable the range the extension registered in CSS.highlights (the registry is per
 * document, so the main world sees the isolated content script's ranges). Null when nothing is drawn there.
 */
export function underlineRect(page: Evaluates, finding: Pick<Finding, 'start' | 'end' | 'text'>): Promise<Rect | null> {
  return page.evaluate(({ start, end, text }) => {
    const toRect = (r: DOMRect | undefined) => (r && r.width > 0 ? { x: r.x, y: r.y, width: r.width, height: r.height } : null);
    const overlay = document.querySelector('kizuki-overlay')?.shadowRoot;
    const mark = overlay?.querySelector(`[data-kizuki-mark][data-start="${start}"][data-end="${end}"]`);
    if (mark) return toRect(mark.getBoundingClientRect());
    // A highlight range at `start`: its offset is the length of the text before it (single-block drafts in the tests),
    // so of two identical underlines the one asked for is found.
    const offsetOf = (range: Range) => {
      const node = range.startContainer;
      const root = (node instanceof Element ? node : node.parentElement)?.closest('[contenteditable="true"]');
      if (!root) return -1;
      const before = document.createRange();
      before.setStart(root, 0);
      before.setEnd(range.startContainer, range.startOffset);
      return before.toString().length;
    };
    const candidates: Range[] = [];
    for (const name of ['kizuki-error', 'kizuki-warning', 'kizuki-info']) {
      const highlight = CSS.highlights.get(name);
      if (!highlight) continue;
      for (const range of highlight as unknown as Iterable<AbstractRange>) {
        if (range instanceof Range && range.toString() === text && toRect(range.getClientRects()[0])) candidates.push(range);
      }
    }
    // Paragraph breaks are not in a range's text: in a multi-block draft, the first with the text.
    const range = candidates.find((r) => offsetOf(r) === start) ?? candidates[0];
    return range ? toRect(range.getClientRects()[0]) : null;
  }, finding);
}

/**
 * Every underline the user sees, as offsets into the editor's text: overlay marks carry their offsets; a highlight
 * range's offset is the length of the text from the editor's start to the range (single-block drafts in the tests).
 */
export function underlinedOffsets(page: Evaluates, editor: string): Promise<{ start: number; end: number; text: string }[]> {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector);
    const found: { start: number; end: number; text: string }[] = [];
    if (!root) return found;
    for (const name of ['kizuki-error', 'kizuki-warning', 'kizuki-info']) {
      const highlight = CSS.highlights.get(name);
      if (!highlight) continue;
      for (const range of highlight as unknown as Iterable<AbstractRange>) {
        if (!(range instanceof Range) || !root.contains(range.startContainer)) continue;
        const before = document.createRange();
        before.setStart(root, 0);
        before.setEnd(range.startContainer, range.startOffset);
        const start = before.toString().length;
        found.push({ start, end: start + range.toString().length, text: range.toString() });
      }
    }
    const overlay = document.querySelector('kizuki-overlay')?.shadowRoot;
    const value = root instanceof HTMLTextAreaElement ? root.value : '';
    for (const mark of overlay?.querySelectorAll<HTMLElement>('[data-kizuki-mark]') ?? []) {
      const start = Number(mark.dataset.start);
      const end = Number(mark.dataset.end);
      found.push({ start, end, text: value.slice(start, end) });
    }
    return found.sort((a, b) => a.start - b.start);
  }, editor);
}

/** Moves the mouse onto the underline for `finding` (the card opens on hover) and returns the card locator. */
export async function hoverFinding(page: Page, finding: Finding) {
  const rect = await underlineRect(page, finding);
  if (!rect) throw new Error(`no underline drawn for ${JSON.stringify(finding)}`);
  const point = { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
  await page.mouse.move(point.x, point.y);
  const card = page.locator('kizuki-ui .kizuki-card');
  await card.waitFor({ state: 'visible', timeout: 10_000 });
  return Object.assign(card, { point });
}

// ---------------------------------------------------------------------------------------------------------------
// IME composition through CDP

export async function cdp(context: BrowserContext, page: Page): Promise<CDPSession> {
  return context.newCDPSession(page);
}

/** Shows `text` as uncommitted IME composition (compositionstart/update), caret at its end. */
export async function imeCompose(session: CDPSession, text: string): Promise<void> {
  await session.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
}

/** Commits the composition with `text` (compositionend + input). */
export async function imeCommit(session: CDPSession, text: string): Promise<void> {
  await session.send('Input.insertText', { text });
}

// ---------------------------------------------------------------------------------------------------------------
// The extension's service worker

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

async function browserSession(context: BrowserContext): Promise<CDPSession> {
  const browser = context.browser();
  if (!browser) throw new Error('harness: no browser handle for a CDP session');
  return browser.newBrowserCDPSession();
}

/**
 * Stops the extension's service worker the way Chrome does when it idles: Target.closeTarget on its target from a
 * browser-level CDP session. Resolves once the browser lists no worker target for the extension. A worker that is
 * still starting ignores the request (seen right after launch, and on a loaded CI machine), so it is repeated every
 * second until the target is gone. Playwright's Worker handle is no witness here: it outlives the closed target.
 */
export async function stopServiceWorker(context: BrowserContext, extensionId: string): Promise<void> {
  const session = await browserSession(context);
  try {
    const listed = async () =>
      ((await session.send('Target.getTargets')) as { targetInfos: TargetInfo[] }).targetInfos.filter(
        (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`),
      );
    let running = await listed();
    if (running.length === 0) throw new Error('stopServiceWorker: the extension has no running service worker');
    const deadline = Date.now() + 20_000;
    for (let poll = 0; running.length > 0; poll++) {
      if (Date.now() > deadline) throw new Error('stopServiceWorker: the worker target is still listed 20 s after the first request to close it');
      if (poll % 20 === 0) {
        // The target may vanish between listing and closing; that is the outcome wanted.
        for (const target of running) await session.send('Target.closeTarget', { targetId: target.targetId }).catch(() => undefined);
      }
      await sleep(50);
      running = await listed();
    }
  } finally {
    await session.detach();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Extension pages (panel, options): what they can read through the extension API. Both browsers provide the
// promise-returning `chrome` namespace there, so one probe serves Chromium and Firefox.

export interface PackStatus {
  key: string;
  status: string;
  packId?: string;
  version?: string;
  reason?: string;
}

/** Each pack source's status as the background stored it for the options page (PACK_STATUS_KEY). */
export function packStatus(extensionPage: Evaluates): Promise<PackStatus[]> {
  return extensionPage.evaluate(async () => {
    type Local = { get(key: string): Promise<Record<string, unknown>> };
    const local = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local;
    return ((await local.get('kizuki.packStatus'))['kizuki.packStatus'] ?? []) as PackStatus[];
  }, undefined);
}

/** The toolbar badge text for the tab a panel page (`panel.html?tab=<id>`) is bound to. */
export function badgeText(panel: Evaluates): Promise<string> {
  return panel.evaluate(() => {
    type Action = { getBadgeText(details: { tabId: number }): Promise<string> };
    const tabId = Number(new URLSearchParams(location.search).get('tab'));
    return (globalThis as unknown as { chrome: { action: Action } }).chrome.action.getBadgeText({ tabId });
  }, undefined);
}

/** The tab id Chrome gave the page at `url` (asked from an extension page, which can use chrome.tabs). */
export async function tabIdOf(session: Session, url: string): Promise<number> {
  const probe = await session.context.newPage();
  try {
    await probe.goto(`chrome-extension://${session.extensionId}/panel.html`);
    const id = await probe.evaluate(async (wanted) => {
      type Tabs = { query(filter: object): Promise<{ id?: number; url?: string }[]> };
      const tabs = await (globalThis as unknown as { chrome: { tabs: Tabs } }).chrome.tabs.query({});
      return tabs.find((t) => t.url === wanted)?.id ?? null;
    }, url);
    if (id === null) throw new Error(`tabIdOf: no tab shows ${url}`);
    return id;
  } finally {
    await probe.close();
  }
}

/** Opens the panel bound to `tabId` in a tab of its own (the side panel itself is not reachable headless). */
export async function openPanel(session: Session, tabId: number): Promise<Page> {
  const panel = await session.context.newPage();
  await panel.goto(`chrome-extension://${session.extensionId}/panel.html?tab=${tabId}`);
  return panel;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { startFixtureServer };
export const fixturesDir = path.join(repoRoot, 'dist/fixtures');
