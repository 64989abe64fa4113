// The check before sending, in Chromium, on every fixture: each fixture's send control records every reply the
// helpdesk sends (window.__sends), and every case states exactly how many replies were sent: none lost, none
// duplicated. The send paths are the helpdesks' own: Zendesk's Submit button and Ctrl+Alt+S, Intercom's send button
// and Ctrl+Enter, a generic page's form submit (its button, or Enter on it).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLEAN, WITH_ERROR, nudgeOf, sendButton } from './send-fixtures';
import { chromiumPath, editorSelector, editorText, focusEditor, hasChromium,
  openPanel, sleep, tabIdOf, typeText, underlinedOffsets, waitForSettled, type FixturePage,
} from './harness';
import { chromiumSuite } from './browser-suite';

interface Sent {
  text: string;
  via: string;
  trusted: boolean;
}

const sends = (page: Page): Promise<Sent[]> => page.evaluate(() => (window.__sends ?? []) as Sent[]);

/** The fixture's keyboard send: the helpdesk's shortcut in the reply box, or Enter on a generic form's send button. */
async function pressSendKey(page: Page, fixture: FixturePage): Promise<void> {
  if (fixture === 'zendesk') await page.keyboard.press('Control+Alt+KeyS');
  else if (fixture === 'intercom') await page.keyboard.press('Control+Enter');
  else {
    await page.locator(sendButton[fixture]).focus();
    await page.keyboard.press('Enter');
  }
}

if (!hasChromium) console.warn(`skipping the send check tests: no Chromium at ${chromiumPath}`);

describe.skipIf(!hasChromium)('the check before sending (Chromium)', () => {
  const suite = chromiumSuite();

  async function draft(fixture: FixturePage, text: string, accept = (u: { findings: { severity: string }[] }) => true): Promise<Page> {
    const page = await suite.fresh(fixture);
    await typeText(page, text);
    // With the tokenizer (see firefox-controls.test.ts: a send during the analysis made when it arrives waits 300 ms).
    await waitForSettled(page, (u) => u.text === text && u.tokenizerReady && accept(u));
    return page;
  }
  const hasError = (u: { findings: { severity: string }[] }) => u.findings.some((f) => f.severity === 'error');

  for (const fixture of ['zendesk', 'intercom', 'textarea', 'contenteditable'] as const) {
    describe(fixture, () => {
      it('a clean draft is sent at once, by the agent\'s own click, with no nudge', async () => {
        const page = await draft(fixture, CLEAN, (u) => u.findings.length === 0);
        await page.locator(sendButton[fixture]).click();
        const via = fixture === 'zendesk' || fixture === 'intercom' ? 'button' : 'form';
        await expect.poll(() => sends(page)).toEqual([{ text: CLEAN, via, trusted: true }]);
        expect(await nudgeOf(page).count()).toBe(0);
      });

      it('a draft with an error is nudged; 「このまま送信」 sends it exactly once', async () => {
        const page = await draft(fixture, WITH_ERROR, hasError);
        await page.locator(sendButton[fixture]).click();
        const nudge = nudgeOf(page);
        await nudge.waitFor({ state: 'visible', timeout: 10_000 });
        await expect.poll(() => nudge.textContent()).toContain('「でも、」');
        expect(await sends(page)).toEqual([]);
        await nudge.locator('button[data-action="send"]').click();
        await expect.poll(async () => (await sends(page)).map((s) => s.text)).toEqual([WITH_ERROR]);
        await nudge.waitFor({ state: 'detached', timeout: 10_000 });
        await sleep(300);
        expect((await sends(page)).length).toBe(1);
      });

      it('a double click with an error is one send; a double click on a clean draft too', async () => {
        let page = await draft(fixture, WITH_ERROR, hasError);
        await page.locator(sendButton[fixture]).dblclick();
        await nudgeOf(page).waitFor({ state: 'visible', timeout: 10_000 });
        await sleep(200);
        expect(await sends(page)).toEqual([]);
        await nudgeOf(page).locator('button[data-action="send"]').click();
        await expect.poll(async () => (await sends(page)).length).toBe(1);

        page = await draft(fixture, CLEAN, (u) => u.findings.length === 0);
        await page.locator(sendButton[fixture]).dblclick();
        await expect.poll(async () => (await sends(page)).map((s) => s.text)).toEqual([CLEAN]);
        await sleep(300);
        expect((await sends(page)).length).toBe(1);
      });

      it('the keyboard send pressed twice with an error is one nudge and one send', async () => {
        const page = await draft(fixture, WITH_ERROR, hasError);
        await pressSendKey(page, fixture);
        await pressSendKey(page, fixture);
        const nudge = nudgeOf(page);
        await nudge.waitFor({ state: 'visible', timeout: 10_000 });
        expect(await sends(page)).toEqual([]);
        expect(await editorText(page)).toBe(WITH_ERROR); // the second press typed nothing either
        await nudge.locator('button[data-action="send"]').click();
        await expect.poll(async () => (await sends(page)).map((s) => [s.text, s.via])).toEqual([[WITH_ERROR, fixture === 'zendesk' || fixture === 'intercom' ? 'shortcut' : 'form']]);
        await sleep(300);
        expect((await sends(page)).length).toBe(1);
      });

      it('a draft fixed while the nudge is open: the nudge says so and sends the fixed reply once', async () => {
        const page = await draft(fixture, WITH_ERROR, hasError);
        await page.locator(sendButton[fixture]).click();
        const nudge = nudgeOf(page);
        await nudge.waitFor({ state: 'visible', timeout: 10_000 });
        // The item leads to the fix: the span is selected in the editor, so typing replaces it.
        await nudge.locator('button.kizuki-nudge-item').first().click();
        await expect.poll(() => page.evaluate((sel) => {
          const el = document.querySelector(sel);
          return el instanceof HTMLTextAreaElement ? el.value.slice(el.selectionStart, el.selectionEnd) : document.getSelection()?.toString();
        }, editorSelector[fixture])).toBe('でも、');
        await page.keyboard.press('Delete');
        await waitForSettled(page, (u) => u.text === CLEAN && !hasError(u));
        await expect.poll(() => nudge.getAttribute('data-open')).toBe('0');
        expect(await sends(page)).toEqual([]);
        await nudge.locator('button[data-action="send"]').click();
        await expect.poll(async () => (await sends(page)).map((s) => s.text)).toEqual([CLEAN]);
        await sleep(300);
        expect((await sends(page)).length).toBe(1);
      });

      it('a draft the helpdesk replaces while the nudge is open (another ticket) is not sent from that nudge', async () => {
        const page = await draft(fixture, WITH_ERROR, hasError);
        await page.locator(sendButton[fixture]).click();
        const nudge = nudgeOf(page);
        await nudge.waitFor({ state: 'visible', timeout: 10_000 });
        const other = '佐藤様、お問い合わせいただいた件は本日中に担当より折り返しご連絡いたします。';
        await page.evaluate((text) => window.__fixture!.load(text), other);
        await waitForSettled(page, (u) => u.text === other);
        await nudge.waitFor({ state: 'detached', timeout: 10_000 });
        await sleep(300);
        expect(await sends(page)).toEqual([]);
        expect(await editorText(page)).toBe(other);
      });

      it('an error thrown inside kizuki still sends exactly once, untouched', async () => {
        const page = await draft(fixture, WITH_ERROR, hasError);
        await page.evaluate(() => (document.documentElement.dataset.kizukiE2eThrow = 'send-guard'));
        await page.locator(sendButton[fixture]).click();
        await expect.poll(async () => (await sends(page)).map((s) => [s.text, s.trusted])).toEqual([[WITH_ERROR, true]]);
        expect(await nudgeOf(page).count()).toBe(0);
      });
    });
  }

  it('「戻って直す」 holds the send back on purpose; the fixed reply is then sent once', async () => {
    const page = await draft('zendesk', WITH_ERROR, hasError);
    await page.locator(sendButton.zendesk).click();
    const nudge = nudgeOf(page);
    await nudge.waitFor({ state: 'visible', timeout: 10_000 });
    await nudge.locator('button[data-action="back"]').click();
    await nudge.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await sends(page)).toEqual([]);
    // Back in the editor with the span selected: delete it and send.
    await page.keyboard.press('Delete');
    await waitForSettled(page, (u) => u.text === CLEAN && !hasError(u));
    await page.locator(sendButton.zendesk).click();
    await expect.poll(async () => (await sends(page)).map((s) => [s.text, s.trusted])).toEqual([[CLEAN, true]]);
  });

  it('an internal note is never held', async () => {
    const page = await suite.fresh('zendesk', { focus: false });
    await page.evaluate(() => (document.querySelector('[data-test-id="omnichannel-channel-switcher-button"]')!.textContent = '社内メモ'));
    await focusEditor(page, 'zendesk');
    await typeText(page, WITH_ERROR);
    await expect.poll(() => editorText(page)).toBe(WITH_ERROR);
    await sleep(300);
    await page.locator(sendButton.zendesk).click();
    await expect.poll(async () => (await sends(page)).map((s) => [s.text, s.trusted])).toEqual([[WITH_ERROR, true]]);
    expect(await nudgeOf(page).count()).toBe(0);
  });

  it('switching the box to an internal note takes the count away with the underlines', async () => {
    const page = await draft('zendesk', WITH_ERROR, hasError);
    const pill = page.locator('kizuki-pill .kizuki-pill');
    await expect.poll(() => pill.count()).toBe(1);
    await page.evaluate(() => (document.querySelector('[data-test-id="omnichannel-channel-switcher-button"]')!.textContent = '社内メモ'));
    await expect.poll(() => underlinedOffsets(page, editorSelector.zendesk)).toEqual([]);
    await expect.poll(() => pill.count()).toBe(0);
  });

  it('a draft whose analysis has not come back within 300 ms is sent unchecked, once', async () => {
    const page = await suite.fresh('textarea', { focus: false });
    // The e2e build's analysis delay, raised before the box is coached, so the send comes before any analysis.
    await page.evaluate(() => (document.documentElement.dataset.kizukiDebounceMs = '20000'));
    await focusEditor(page, 'textarea');
    await typeText(page, WITH_ERROR);
    await page.locator(sendButton.textarea).click();
    await expect.poll(async () => (await sends(page)).map((s) => s.text)).toEqual([WITH_ERROR]);
    expect(await nudgeOf(page).count()).toBe(0);
  });

  it('counts the nudges and what followed them (counts only) in the agent\'s statistics', async () => {
    const page = await draft('intercom', WITH_ERROR, hasError);
    const panel = await openPanel(suite.session(), await tabIdOf(suite.session(), page.url()));
    suite.keep(panel);
    const count = (rule: string) => panel.evaluate(async (r) => {
      type Local = { get(key: string): Promise<Record<string, unknown>> };
      const local = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local;
      const stats = ((await local.get('kizuki.stats'))['kizuki.stats'] ?? { weeks: {} }) as { weeks: Record<string, Record<string, number[]>> };
      return Object.values(stats.weeks).reduce((n, rules) => n + (rules[r]?.[0] ?? 0), 0);
    }, rule);
    const before = { nudged: await count('kizuki/send-nudge'), anyway: await count('kizuki/send-anyway') };
    await page.bringToFront();
    await page.locator(sendButton.intercom).click();
    await nudgeOf(page).waitFor({ state: 'visible', timeout: 10_000 });
    await nudgeOf(page).locator('button[data-action="send"]').click();
    await expect.poll(async () => (await sends(page)).length).toBe(1);
    await expect.poll(() => count('kizuki/send-nudge')).toBe(before.nudged + 1);
    await expect.poll(() => count('kizuki/send-anyway')).toBe(before.anyway + 1);
  });
});
