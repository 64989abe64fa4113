// The agent's controls in Firefox (firefox-esr over WebDriver BiDi): the sidebar page is what Firefox agents use. The
// sidebar itself cannot be opened headless, so its page (panel.html, the sidebar_action's default_panel) is opened in
// a tab bound to the fixture's tab, as the other Firefox tests do. A shortcut remapped with commands.update (which
// Firefox, unlike Chrome, offers to extensions) is pressed in the page; and the check before sending holds a reply.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { sleep, updates, waitForSettled } from './harness';
import { firefoxSuite } from './browser-suite';
import { firefoxPath, hasFirefox, openExtensionPageInFirefox, openFixtureInFirefox, probe } from './firefox';
import { WITH_ERROR, sendButton } from './send-fixtures';

if (!hasFirefox) console.warn(`skipping the Firefox controls tests: no Firefox at ${firefoxPath}`);

describe.skipIf(!hasFirefox)('the agent\'s controls in Firefox', () => {
  const suite = firefoxSuite();

  const attr = (page: Page, selector: string, name: string) =>
    page.evaluate((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, selector, name);
  const clickIn = (page: Page, selector: string) => page.evaluate((s) => (document.querySelector(s) as HTMLElement).click(), selector);

  it('the sidebar page: an empty draft is still to do, a helpdesk can be paused and resumed', async () => {
    const page = await openFixtureInFirefox(suite.session().browser, suite.server(), 'zendesk');
    suite.keep(page);
    await waitForSettled(probe(page));
    const panel = await openExtensionPageInFirefox(suite.session().browser, page, 'panel');
    suite.keep(panel);
    await expect.poll(() => attr(panel, '[data-testid="state"]', 'data-state')).toBe('empty-draft');
    expect(await panel.evaluate(() => [...document.querySelectorAll('[data-testid="checklist"] li')].map((li) => li.getAttribute('data-state')))).not.toContain('missing');

    await clickIn(panel, 'button[data-action="pause-site"]');
    await expect.poll(() => attr(panel, '[data-testid="state"]', 'data-state')).toBe('paused');
    await clickIn(panel, 'button[data-action="pause-site"]');
    await page.bringToFront();
    await page.click('[data-test-id="omnicomposer-rich-text-ckeditor"]');
    await page.keyboard.type('でも、');
    await waitForSettled(probe(page), (u) => u.findings.length > 0);
  });

  it('a draft with an error is nudged beside Submit and 「このまま送信」 sends it once', async () => {
    const page = await openFixtureInFirefox(suite.session().browser, suite.server(), 'zendesk');
    suite.keep(page);
    await page.keyboard.type(WITH_ERROR);
    // With the tokenizer: an analysis from before it was ready is analysed again when it is, and a send during that
    // analysis waits for it only 300 ms before going unchecked (by design). (This test's failures under a loaded CI
    // were another cause, since fixed: the click on Submit landed on the count pill left behind by the scroll.)
    await waitForSettled(probe(page), (u) => u.text === WITH_ERROR && u.tokenizerReady && u.findings.some((f) => f.severity === 'error'));
    await page.click(sendButton.zendesk);
    const nudgeSend = await page.waitForSelector('kizuki-nudge >>> button[data-action="send"]', { visible: true, timeout: 10_000 });
    expect(await page.evaluate(() => (window.__sends ?? []).length)).toBe(0);
    await nudgeSend!.click();
    await expect.poll(() => page.evaluate(() => (window.__sends ?? []).map((s) => s.text))).toEqual([WITH_ERROR]);
    await sleep(300);
    expect(await page.evaluate(() => (window.__sends ?? []).length)).toBe(1);
  });

  it('a shortcut remapped with commands.update opens the card at the caret', async () => {
    const page = await openFixtureInFirefox(suite.session().browser, suite.server(), 'textarea');
    suite.keep(page);
    const panel = await openExtensionPageInFirefox(suite.session().browser, page, 'panel');
    suite.keep(panel);
    const shortcuts = await panel.evaluate(async () => {
      type Commands = { update(d: { name: string; shortcut: string }): Promise<void>; getAll(): Promise<{ name?: string; shortcut?: string }[]> };
      const commands = (globalThis as unknown as { browser: { commands: Commands } }).browser.commands;
      await commands.update({ name: 'open-card', shortcut: 'Alt+Y' });
      return commands.getAll();
    });
    expect(shortcuts.find((c) => c.name === 'open-card')?.shortcut).toBe('Alt+Y');
    await page.bringToFront();
    await page.click('#reply');
    await page.keyboard.type('でも、確認いたします。');
    await waitForSettled(probe(page), (u) => u.findings.some((f) => f.start === 0));
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.down('Alt');
    await page.keyboard.press('y');
    await page.keyboard.up('Alt');
    await expect.poll(() => page.evaluate(() => document.querySelector('kizuki-ui')?.shadowRoot?.querySelector('.kizuki-card') !== null), { timeout: 10_000 }).toBe(true);
    expect((await updates(probe(page))).length).toBeGreaterThan(0);
  });
});
