// The agent's controls in Chromium: dismiss for good (a rule, a phrase) and undo from the panel and the options page,
// locked rules, pausing on a site and everywhere, the keyboard commands, the count pill, the panel's states, dark
// mode and the panel's language.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  buildOncePerRun, chromiumPath, e2eExtensionDir, editorSelector, fixturesDir, focusEditor, hasChromium, hoverFinding,
  launch, openFixture, openPanel, sleep, startFixtureServer, tabIdOf, typeText, underlinedOffsets, updates, waitForSettled,
} from './harness';
import { chromiumSuite } from './browser-suite';
import { WITH_ERROR, nudgeOf, sendButton } from './send-fixtures';
import { runCommand } from './suite';

const JARGON = 'キャッシュを削除してください。';
const hasCache = (u: { findings: { rule: string }[] }) => u.findings.some((f) => f.rule === 'jargon-cache');

type Chrome = { storage: { local: { set(v: object): Promise<void>; get(k: string): Promise<Record<string, unknown>> }; session: { get(k: string): Promise<Record<string, unknown>> } } };
const local = (page: Page, value: object) =>
  page.evaluate((v) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set(v), value);

if (!hasChromium) console.warn(`skipping the controls tests: no Chromium at ${chromiumPath}`);

describe.skipIf(!hasChromium)('the agent\'s controls (Chromium)', () => {
  const suite = chromiumSuite();

  async function fresh(fixture: 'zendesk' | 'intercom' | 'textarea' | 'contenteditable' = 'zendesk'): Promise<Page> {
    const page = await suite.fresh(fixture);
    return page;
  }
  async function panelFor(page: Page): Promise<Page> {
    const panel = await openPanel(suite.session(), await tabIdOf(suite.session(), page.url()));
    suite.keep(panel);
    return panel;
  }

  it('「このルールを今後表示しない」 hides a rule in every draft until it is undone in the panel', async () => {
    let page = await fresh();
    await typeText(page, JARGON);
    const update = await waitForSettled(page, hasCache);
    const card = await hoverFinding(page, update.findings.find((f) => f.rule === 'jargon-cache')!);
    await card.locator('button[data-action="dismiss-rule"]').click();
    await waitForSettled(page, (u) => !hasCache(u));

    // A new draft in a new tab: still hidden.
    page = await fresh('intercom');
    await typeText(page, JARGON);
    await waitForSettled(page, (u) => u.findings.length > 0 && !hasCache(u));
    const panel = await panelFor(page);
    const row = panel.locator('[data-testid="dismissed"] li[data-kind="rule"][data-id="builtin/jargon-cache"]');
    await row.waitFor({ timeout: 10_000 });
    await row.locator('button[data-action="restore"]').click();
    // Undone: the open draft is flagged again without an edit.
    await waitForSettled(page, hasCache);
    await expect.poll(() => row.count()).toBe(0);
  });

  it('「…を今後指摘しない」 adds the phrase to the personal dictionary; the options page lists it and undoes it', async () => {
    const page = await fresh('textarea');
    const draft = 'ブラウザのキャッシュを削除してください。';
    await typeText(page, draft);
    const update = await waitForSettled(page, hasCache);
    const card = await hoverFinding(page, update.findings.find((f) => f.rule === 'jargon-cache')!);
    await card.locator('button[data-action="dismiss-phrase"]').click();
    const after = await waitForSettled(page, (u) => !hasCache(u));
    // Other rules still run (ブラウザ is still explained).
    expect(after.findings.some((f) => f.rule === 'jargon-browser')).toBe(true);

    const options = await suite.session().context.newPage();
    suite.keep(options);
    await options.goto(`chrome-extension://${suite.session().extensionId}/options.html`);
    const word = options.locator('[data-testid="options-controls"] li[data-kind="word"][data-id="キャッシュ"]');
    await word.waitFor({ timeout: 10_000 });
    await expect.poll(() => options.locator('[data-testid="send-check-mode"]').getAttribute('data-mode')).toBe('nudge');
    await word.locator('button[data-action="restore"]').click();
    await expect.poll(() => word.count()).toBe(0);
    // Back in the helpdesk tab: flagged again.
    await page.bringToFront();
    await waitForSettled(page, hasCache);
  });

  it('a rule locked by the administrator offers no dismissal', async () => {
    const page = await fresh();
    const panel = await panelFor(page);
    await local(panel, { 'kizuki.e2e.managed': { lockedRules: ['builtin/conjunction-demo-datte'] } });
    await expect.poll(() => panel.evaluate(async () => ((await (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('kizuki.policyView'))['kizuki.policyView'] as { lockedRules?: string[] } | undefined)?.lockedRules ?? [])).toEqual(['builtin/conjunction-demo-datte']);
    try {
      await page.bringToFront();
      await typeText(page, 'でも、キャッシュを削除してください。');
      const update = await waitForSettled(page, (u) => u.findings.some((f) => f.rule === 'conjunction-demo-datte') && hasCache(u));
      const card = await hoverFinding(page, update.findings.find((f) => f.rule === 'conjunction-demo-datte')!);
      const locked = card.locator('.kizuki-finding[data-rule="conjunction-demo-datte"]');
      await expect.poll(() => locked.locator('.kizuki-locked').count()).toBe(1);
      expect(await locked.locator('button[data-action^="dismiss"]').count()).toBe(0);
    } finally {
      await local(panel, { 'kizuki.e2e.managed': {} });
    }
  });

  it('pauses on a helpdesk site from the panel (no underlines, no nudge) and resumes', async () => {
    const page = await fresh();
    await typeText(page, WITH_ERROR);
    await waitForSettled(page, (u) => u.findings.some((f) => f.severity === 'error'));
    const panel = await panelFor(page);
    await panel.locator('button[data-action="pause-site"]').click();
    await expect.poll(() => panel.locator('[data-testid="state"]').getAttribute('data-state')).toBe('paused');
    await expect.poll(async () => (await updates(page)).at(-1)?.findings.length).toBe(0);
    expect(await underlinedOffsets(page, editorSelector.zendesk)).toEqual([]);
    expect(await page.locator('kizuki-pill .kizuki-pill').count()).toBe(0);
    // Paused means no check before sending either: the reply goes at once.
    await page.bringToFront();
    await page.locator(sendButton.zendesk).click();
    await expect.poll(() => page.evaluate(() => (window.__sends ?? []).map((s) => s.text))).toEqual([WITH_ERROR]);
    expect(await nudgeOf(page).count()).toBe(0);

    await panel.locator('button[data-action="pause-site"]').click();
    await focusEditor(page, 'zendesk');
    await typeText(page, 'でも、');
    await waitForSettled(page, (u) => u.findings.some((f) => f.severity === 'error'));
  });

  it('pauses everywhere for an hour, says until when, and resumes', async () => {
    const page = await fresh('intercom');
    await typeText(page, 'でも、');
    await waitForSettled(page, (u) => u.findings.length > 0);
    const panel = await panelFor(page);
    await panel.locator('button[data-action="pause-all"]').click();
    await panel.locator('[data-testid="paused-until"]').waitFor({ timeout: 10_000 });
    const until = await panel.evaluate(async () => ((await (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.get('kizuki.controls'))['kizuki.controls'] as { pausedUntil: number }).pausedUntil);
    expect(until - Date.now()).toBeGreaterThan(55 * 60 * 1000);
    await expect.poll(async () => (await updates(page)).at(-1)?.findings.length).toBe(0);
    // Another site is paused too.
    const other = await fresh('textarea');
    await typeText(other, 'でも、');
    await sleep(500);
    expect((await updates(other)).filter((u) => u.findings.length > 0)).toEqual([]);
    const otherPanel = await panelFor(other);
    await otherPanel.locator('button[data-action="pause-all"]').click();
    await waitForSettled(other, (u) => u.findings.length > 0);
  });

  it('the keyboard commands are manifest commands whose defaults avoid Alt+Shift; next, previous and open-card move between findings', async () => {
    const manifest = JSON.parse(readFileSync(path.join(e2eExtensionDir, 'manifest.json'), 'utf8')) as { commands: Record<string, { suggested_key: { default: string } }> };
    expect(Object.keys(manifest.commands).sort()).toEqual(['next-finding', 'open-card', 'previous-finding']);
    for (const c of Object.values(manifest.commands)) expect(c.suggested_key.default).not.toMatch(/Alt\+Shift|Shift\+Alt|Ctrl\+Alt/);

    const page = await fresh('textarea');
    const draft = 'でも、キャッシュを削除してください。';
    await typeText(page, draft);
    await waitForSettled(page, (u) => u.findings.filter((f) => f.scope === 'span').length >= 2);
    await page.keyboard.press('Home');
    const selected = () => page.evaluate(() => {
      const el = document.querySelector('#reply') as HTMLTextAreaElement;
      return el.value.slice(el.selectionStart, el.selectionEnd);
    });
    // Headless Chromium does not route key events injected over CDP to extension shortcuts (measured: Alt+Period
    // pressed here never reaches commands.onCommand), so the command goes through the background's own routing of
    // commands.onCommand (routeCommand), started from the page by the e2e build. Firefox presses a remapped key.
    await runCommand(page, 'next-finding');
    await expect.poll(selected).toBe('でも、');
    await page.locator('kizuki-ui .kizuki-card').waitFor({ state: 'visible', timeout: 10_000 });
    await runCommand(page, 'next-finding');
    await expect.poll(selected).toBe('キャッシュ');
    await runCommand(page, 'previous-finding');
    await expect.poll(selected).toBe('でも、');
    await runCommand(page, 'open-card');
    await expect.poll(() => page.evaluate(() => document.querySelector('kizuki-ui')?.shadowRoot?.activeElement?.className ?? null)).toContain('kizuki-suggestion');
  });

  it('the count pill sits at the reply box\'s corner outside its DOM, counts the findings and opens the panel', async () => {
    const page = await fresh('contenteditable');
    await typeText(page, WITH_ERROR.slice(0, 12));
    const update = await waitForSettled(page, (u) => u.findings.length > 0);
    const pill = page.locator('kizuki-pill .kizuki-pill');
    await expect.poll(() => pill.getAttribute('data-count')).toBe(String(update.findings.length));
    expect(await pill.getAttribute('data-severity')).toBe('error');
    const box = (await page.locator('#reply').boundingBox())!;
    const p = (await pill.boundingBox())!;
    expect(p.x + p.width).toBeLessThanOrEqual(box.x + box.width);
    expect(p.x).toBeGreaterThan(box.x + box.width - 80);
    expect(p.y + p.height).toBeLessThanOrEqual(box.y + box.height);
    expect(p.y).toBeGreaterThan(box.y + box.height - 60);
    expect(await page.evaluate(() => document.querySelector('#reply')!.innerHTML.includes('kizuki'))).toBe(false);
    // Clicked where it is drawn, as an agent would (the drawn pill takes no pointer events: pill.ts says why).
    await page.mouse.click(p.x + p.width / 2, p.y + p.height / 2);
    // The side panel itself is not reachable headless; the background says how it opened the panel for this tab.
    const tabId = await tabIdOf(suite.session(), page.url());
    const probe = await suite.session().context.newPage();
    suite.keep(probe);
    await probe.goto(`chrome-extension://${suite.session().extensionId}/panel.html?tab=${tabId}`);
    await expect.poll(() => probe.evaluate(async () => ((await (globalThis as unknown as { chrome: Chrome }).chrome.storage.session.get('kizuki.e2e.openPanel'))['kizuki.e2e.openPanel'] as { tabId?: number } | undefined)?.tabId ?? null)).toBe(tabId);
    // Focus stayed in the editor.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply');
  });

  it('a pill the page\'s layout left behind never takes a click meant for the page: the Submit button under it is pressed', async () => {
    // Traced in Firefox: the page scrolled Submit into view, the click landed on the pill still drawn where the reply
    // box's corner had been, and nothing was sent. Here the helpdesk's layout shifts with no scroll or resize (a
    // banner above the composer closes), which leaves the pill behind until the next analysis.
    const page = await fresh('zendesk');
    await typeText(page, WITH_ERROR);
    await waitForSettled(page, (u) => u.text === WITH_ERROR && u.tokenizerReady && u.findings.some((f) => f.severity === 'error'));
    const pill = page.locator('kizuki-pill .kizuki-pill');
    await expect.poll(() => pill.getAttribute('data-severity')).toBe('error');
    const drawn = (await pill.boundingBox())!;
    const submit = (await page.locator(sendButton.zendesk).boundingBox())!;
    const up = submit.y + submit.height / 2 - (drawn.y + drawn.height / 2);
    expect(up).toBeGreaterThan(0);
    await page.evaluate((px) => ((document.querySelector('.composer') as HTMLElement).style.marginTop = `${-px}px`), up);
    const moved = (await page.locator(sendButton.zendesk).boundingBox())!;
    // The pill is still drawn over the middle of Submit.
    expect((await pill.boundingBox())!).toEqual(drawn);
    expect(Math.abs(moved.y + moved.height / 2 - (drawn.y + drawn.height / 2))).toBeLessThan(2);

    await page.mouse.click(drawn.x + drawn.width / 2, drawn.y + drawn.height / 2);
    // The click reached Submit: the send check holds the draft with its error and shows the nudge.
    await nudgeOf(page).waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.evaluate(() => (window.__sends ?? []).length)).toBe(0);
  });

  it('the panel says the truth: no reply box, an empty draft to do, and only non-built-in packs named', async () => {
    const blank = await suite.session().context.newPage();
    suite.keep(blank);
    await blank.goto(suite.server().url('textarea').replace(/textarea\.html.*/, 'fixture.css'));
    const none = await panelFor(blank);
    await expect.poll(() => none.locator('[data-testid="state"]').textContent()).toContain('返信欄がありません');

    const page = await fresh('zendesk');
    await sleep(300);
    const panel = await panelFor(page);
    await expect.poll(() => panel.locator('[data-testid="state"]').getAttribute('data-state')).toBe('empty-draft');
    const states = await panel.locator('[data-testid="checklist"] li').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
    expect(states).toContain('todo');
    expect(states).not.toContain('missing');
    expect(await panel.locator('[data-testid="checklist"]').textContent()).not.toContain('不足');

    await page.bringToFront();
    await typeText(page, 'でも、');
    await waitForSettled(page, (u) => u.findings.length > 0);
    await expect.poll(() => panel.locator('[data-testid="findings"] li').count()).toBeGreaterThan(0);
    expect(await panel.locator('[data-testid="finding-pack"]').count()).toBe(0);
    await expect.poll(() => panel.locator('[data-testid="checklist"] li[data-state="missing"]').count()).toBeGreaterThan(0);
  });

  it('dark mode: the panel, the card, the nudge and the pill follow prefers-color-scheme', async () => {
    const page = await fresh('zendesk');
    await page.emulateMedia({ colorScheme: 'dark' });
    await typeText(page, WITH_ERROR);
    const update = await waitForSettled(page, (u) => u.findings.some((f) => f.severity === 'error'));
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const bg = (locator: ReturnType<Page['locator']>) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);
    const card = await hoverFinding(page, update.findings.find((f) => f.severity === 'error')!);
    expect(luminance(await bg(card))).toBeLessThan(80);
    await page.mouse.move(5, 5);
    await page.locator(sendButton.zendesk).click();
    await nudgeOf(page).waitFor({ state: 'visible', timeout: 10_000 });
    expect(luminance(await bg(nudgeOf(page)))).toBeLessThan(80);
    await nudgeOf(page).locator('button[data-action="back"]').click();

    const panel = await panelFor(page);
    await panel.emulateMedia({ colorScheme: 'dark' });
    expect(luminance(await panel.evaluate(() => getComputedStyle(document.body).backgroundColor))).toBeLessThan(80);
    await panel.emulateMedia({ colorScheme: 'light' });
    expect(luminance(await panel.evaluate(() => getComputedStyle(document.body).backgroundColor))).toBeGreaterThan(200);
  });
});

describe.skipIf(!hasChromium)('a browser whose UI is not Japanese (Chromium, en-US)', () => {
  it('the panel\'s chrome is English; the card about the Japanese reply stays Japanese', async () => {
    await buildOncePerRun();
    const server = await startFixtureServer(fixturesDir);
    const session = await launch({ locale: 'en-US' });
    try {
      const page = await openFixture(session.context, server, 'zendesk');
      await focusEditor(page, 'zendesk');
      await typeText(page, 'でも、');
      const update = await waitForSettled(page, (u) => u.findings.length > 0);
      const card = await hoverFinding(page, update.findings[0]!);
      expect(await card.textContent()).toContain('無視する');
      const panel = await openPanel(session, await tabIdOf(session, page.url()));
      await expect.poll(() => panel.locator('h2').first().textContent()).toBe('Checklist');
      expect(await panel.locator('[data-testid="pause"] h2').textContent()).toBe('Pause');
      expect(await panel.evaluate(() => document.documentElement.lang)).toBe('en');
      // The finding's own message stays Japanese.
      expect(await panel.locator('[data-testid="findings"] .message').first().textContent()).toMatch(/[ぁ-んァ-ン一-龯]/);
    } finally {
      await session.close();
      await server.close();
    }
  });
});
