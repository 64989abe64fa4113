// The extension in Firefox (Debian's firefox-esr): the same build source as Chrome, but an event page hosts the
// engine instead of an offscreen document, the bridge runs as a MAIN-world content script, and the panel is a sidebar.
// These are the behaviours an agent would first notice broken there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  badgeText,
  packStatus,
  editorText,
  fixturePages,
  underlinedOffsets,
  updateCount,
  updates,
  sleep,
  waitForSettled,
  waitForUpdate,
  editorSelector,
} from './harness';
import {
  clickSuggestion,
  firefoxPath,
  hasFirefox,
  hoverFindingInFirefox,
  launchFirefox,
  openFixtureInFirefox,
  openExtensionPageInFirefox,
  probe,
  type FirefoxSession,
} from './firefox';
import { DRAFT, PARTICLE, expectNoFrameDrawsOtherText, hasConjunction, isConjunction } from './suite';
import { BROKEN_PACK, BROKEN_TOKEN_PACK, TEAM_PACK } from './team-packs';
import { puppeteerDriver, replay } from './replay';
import { firefoxSuite } from './browser-suite';
import { builtinEngine } from '../helpers';

const IDLE_TIMEOUT_MS = 3_000;

if (!hasFirefox) console.warn(`skipping the Firefox real-browser tests: no Firefox at ${firefoxPath} (apt-get install -y firefox-esr)`);

describe.skipIf(!hasFirefox)('the extension in Firefox', () => {
  const suite = firefoxSuite();

  for (const fixture of fixturePages) {
    it(`${fixture}: underlines 「でも、」 and not 「どなたでも」; a suggestion from the card applies and Ctrl+Z restores the draft`, async () => {
      const page = await suite.fresh(fixture);
      await page.keyboard.type(DRAFT);
      const update = await waitForSettled(probe(page), hasConjunction);
      const conjunction = update.findings.find(isConjunction)!;
      expect(update.findings.filter((f) => f.start < PARTICLE.end && f.end > PARTICLE.start)).toEqual([]);
      const underlines = await underlinedOffsets(probe(page), editorSelector[fixture]);
      expect(underlines).toContainEqual({ start: 0, end: conjunction.end, text: conjunction.text });
      expect(underlines.filter((u) => u.start < PARTICLE.end && u.end > PARTICLE.start)).toEqual([]);

      await hoverFindingInFirefox(page, conjunction);
      const before = await updateCount(probe(page));
      const replacement = await clickSuggestion(page, '恐れ入りますが');
      const fixed = replacement + DRAFT.slice(conjunction.end);
      await expect.poll(() => editorText(probe(page))).toBe(fixed);
      await waitForSettled(probe(page), (u) => !u.findings.some((f) => f.text?.startsWith('でも')));

      await page.focus(editorSelector[fixture]);
      await page.keyboard.down('Control');
      await page.keyboard.press('z');
      await page.keyboard.up('Control');
      await expect.poll(() => editorText(probe(page))).toBe(DRAFT);
    });
  }

  for (const fixture of fixturePages) {
    it(`${fixture}: replays a real session (type, backspace, undo, redo, select-all delete, macro, cut, paste, ticket switch) and stays in sync`, async () => {
      const page = await suite.fresh(fixture);
      await waitForUpdate(probe(page), 0);
      const panel = await openExtensionPageInFirefox(suite.session().browser, page, 'panel');
      suite.keep(panel);
      await replay(puppeteerDriver(page, fixture), probe(panel), fixture, await builtinEngine(), 10_000);
    });
  }

  for (const fixture of fixturePages) {
    it(`${fixture}: no frame shows an underline on other characters: the frame right after each of a burst of deletions, or a ticket switch`, async () => {
      const page = await suite.fresh(fixture);
      await expectNoFrameDrawsOtherText(puppeteerDriver(page, fixture), fixture, {
        editor: () => page.click(editorSelector[fixture]),
        away: () => page.mouse.click(2, 2),
      });
    });
  }

  it('the sidebar panel shows the checklist for the draft and the customer message it used', async () => {
    const page = await suite.fresh('textarea');
    await page.keyboard.type('でも、確認いたします。');
    await waitForSettled(probe(page), hasConjunction);
    const panel = await openExtensionPageInFirefox(suite.session().browser, page, 'panel');
    suite.keep(panel);
    const state = () => panel.evaluate(() => document.querySelector('[data-testid="checklist"] li[data-category="missing-apology"]')?.getAttribute('data-state') ?? null);
    await expect.poll(state).toBe('missing');
    await expect.poll(() => panel.evaluate(() => document.querySelector('[data-testid="customer"]')?.textContent ?? '')).toContain('届きません');
    // The toolbar badge counts the tab's open findings, as of the latest analysis.
    await expect.poll(async () => (await badgeText(probe(panel))) === String((await updates(probe(page))).at(-1)!.findings.length)).toBe(true);
    expect(Number(await badgeText(probe(panel)))).toBeGreaterThan(0);

    await page.bringToFront();
    await page.focus('#reply');
    await page.keyboard.press('End');
    await page.keyboard.type('申し訳ございません。');
    await expect.poll(state, { timeout: 15_000 }).toBe('satisfied');
  });

  describe('with the event page allowed to idle after 3 s (Firefox suspends it after 30 s by default)', () => {
    let idling: FirefoxSession;
    beforeAll(async () => {
      idling = await launchFirefox({ prefs: { 'extensions.background.idle.timeout': IDLE_TIMEOUT_MS } });
    });
    afterAll(async () => {
      await idling?.close();
    });

    it('keeps the engine warm while the agent pauses mid-reply: the next edit gets token rules at once', async () => {
      const page = await openFixtureInFirefox(idling.browser, suite.server(), 'textarea');
      await page.keyboard.type('お問い合わせありがとうございます。');
      await waitForSettled(probe(page), (u) => u.tokenizerReady);
      // A pause long enough for Firefox to suspend an idle event page twice over (which drops the tokenizer).
      await sleep(IDLE_TIMEOUT_MS * 3);
      const before = await updateCount(probe(page));
      await page.keyboard.type('でも、');
      const next = await waitForUpdate(probe(page), before);
      expect(next.tokenizerReady).toBe(true);
      await waitForSettled(probe(page), (u) => u.findings.some((f) => f.category === 'forbidden-phrase' && f.text?.startsWith('でも')));
    });
  });

  describe('with a team pack pushed by IT as managed storage', () => {
    let managed: FirefoxSession;
    beforeAll(async () => {
      managed = await launchFirefox({ managed: { inlinePacks: [TEAM_PACK, BROKEN_PACK, BROKEN_TOKEN_PACK] } });
    });
    afterAll(async () => {
      await managed?.close();
    });

    it('flags the team rule, applies its override of a built-in rule, and refuses the broken pack naming its rule, in the stored status and the options page', async () => {
      const page = await openFixtureInFirefox(managed.browser, suite.server(), 'textarea');
      await page.keyboard.type('でも、弊社で確認いたします。');
      const update = await waitForSettled(probe(page), (u) => u.findings.some((f) => f.rule === 'heisha') && hasConjunction(u));
      expect(update.findings.find((f) => f.rule === 'heisha')).toMatchObject({ text: '弊社', severity: 'warning' });
      // The team lowered the built-in conjunction rule from error to a warning.
      expect(update.findings.find((f) => f.category === 'forbidden-phrase')!.severity).toBe('warning');

      const panel = await openExtensionPageInFirefox(managed.browser, page, 'panel');
      // The status is written once the engine host has compiled the stack (examples included), which may follow the
      // first findings by a moment.
      await expect.poll(async () => (await packStatus(probe(panel))).find((r) => r.key === 'inline:2')?.status, { timeout: 15_000 }).toBe('refused');
      // The pack whose failing example needs tokens is refused too, once the packs were compiled again with them.
      await expect.poll(async () => (await packStatus(probe(panel))).find((r) => r.key === 'inline:3')?.status, { timeout: 15_000 }).toBe('refused');
      const status = await packStatus(probe(panel));
      expect(status.find((r) => r.packId === 'team')).toMatchObject({ status: 'active' });
      expect(status.find((r) => r.key === 'inline:2')?.reason).toContain('never');
      expect(status.find((r) => r.key === 'inline:3')?.reason).toContain('never-conjunction');
      await panel.close();

      // The options page lists the sources with their status, and its playground runs the current configuration.
      const options = await openExtensionPageInFirefox(managed.browser, page, 'options');
      const text = (selector: string) => options.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, selector);
      const attribute = (selector: string, name: string) =>
        options.evaluate(([sel, attr]) => document.querySelector(sel!)?.getAttribute(attr!) ?? null, [selector, name]);
      await expect.poll(() => attribute('[data-testid="packs"] tr[data-pack="team"] td.status', 'data-status')).toBe('active');
      expect(await attribute('[data-testid="packs"] tr[data-key="inline:2"] td.status', 'data-status')).toBe('refused');
      expect(await text('[data-testid="packs"] tr[data-key="inline:2"] [data-testid="reason"]')).toContain('never');
      await options.focus('[data-testid="pg-draft"]');
      await options.keyboard.type('弊社では御社のご要望を承りました。');
      await expect.poll(() => text('[data-testid="pg-findings"] li[data-rule="heisha"][data-pack="team"]')).toContain('当社');
      // A pack's message is text, never markup.
      await expect.poll(() => text('[data-testid="pg-findings"] li[data-rule="markup-in-message"]')).toContain('<b>太字</b>');
      expect(await options.evaluate(() => document.querySelectorAll('[data-testid="pg-findings"] li[data-rule="markup-in-message"] :is(b, img)').length)).toBe(0);
      await options.close();
    });
  });
});
