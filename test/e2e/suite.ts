// The behaviours every reply box must show with the extension loaded, run against one fixture per test file so
// one Chromium serves all of a fixture's tests.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
  badgeText,
  cdp,
  chromiumPath,
  editorSelector,
  editorText,
  focusEditor,
  hasChromium,
  hoverFinding,
  imeCommit,
  imeCompose,
  launch,
  openFixture,
  openPanel,
  sleep,
  stopServiceWorker,
  tabIdOf,
  typeText,
  underlineRect,
  underlinedOffsets,
  updateCount,
  updates,
  waitForSettled,
  waitForUpdate,
  type Finding,
  type FixturePage,
} from './harness';
import { chromiumSuite } from './browser-suite';
import { readMutationLog, startMutationLog } from './mutations';
import { moveCaret, playwrightDriver, replay, type Driver } from './replay';
import { DEBOUNCE_MS } from '../../src/content/scheduler';
import { builtinEngine } from '../helpers';

/** The conjunction at the start must be flagged; the particle inside どなたでも must not. */
export const DRAFT = 'でも、このサービスはどなたでもご利用いただけます。';
/** The finding for the conjunction: the built-in pack's span may take the 、 after it along (so deleting removes both). */
export const isConjunction = (f: { category: string; start: number; text: string }) =>
  f.category === 'forbidden-phrase' && f.start === 0 && f.text.startsWith('でも');
export const hasConjunction = (u: { findings: { category: string; start: number; text: string }[] }) => u.findings.some(isConjunction);
const PARTICLE_START = DRAFT.indexOf('どなたでも');
export const PARTICLE = { start: PARTICLE_START, end: PARTICLE_START + 'どなたでも'.length };

/**
 * Runs a keyboard command (manifest `commands`) the way its shortcut does: the background's command routing sends it
 * to the tab (the e2e build lets the page ask for that routing; see test/e2e/controls.test.ts for the shortcut itself).
 */
export function runCommand(page: Page, command: 'open-card' | 'next-finding' | 'previous-finding'): Promise<void> {
  return page.evaluate((c) => void document.dispatchEvent(new CustomEvent('kizuki:e2e-command', { detail: c })), command);
}

/** The text the agent has selected in the editor (what typing would replace). */
function selectedText(page: Page, fixture: FixturePage): Promise<string> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (el instanceof HTMLTextAreaElement) return el.value.slice(el.selectionStart, el.selectionEnd);
    return document.getSelection()?.toString() ?? '';
  }, editorSelector[fixture]);
}

/** The card's suggestion button whose label contains `label`, and the text it inserts. */
async function suggestionButton(card: Locator, label: string): Promise<{ button: Locator; replacement: string }> {
  const button = card.locator('button[data-suggestion-index]', { hasText: label });
  return { button, replacement: (await button.textContent())!.trim() };
}

/**
 * Installed in the page (passed to evaluate, so both drivers can): records what each underline drawn covers (the
 * textarea overlay's marks, or the highlight ranges), read in the animation frame right after each edit (an input
 * event, or a mutation where the editor handles the key itself, as CKEditor 5 does): after the page's work, before
 * it is painted. `window.__drawnTexts()` reads the same at any time.
 */
function installFrameProbe(selector: string): void {
  const w = window as unknown as { __drawnTexts: () => string[]; __frames: { text: string; drawn: string[] }[] };
  w.__frames = [];
  const editor = document.querySelector(selector) as HTMLElement;
  const textOf = () => (editor instanceof HTMLTextAreaElement ? editor.value : editor.innerText);
  w.__drawnTexts = () => {
    const drawn: string[] = [];
    const overlay = document.querySelector('kizuki-overlay')?.shadowRoot;
    for (const mark of overlay?.querySelectorAll<HTMLElement>('[data-kizuki-mark]') ?? []) {
      if ([...mark.querySelectorAll('i')].some((line) => line.getBoundingClientRect().width > 0)) {
        drawn.push((editor as HTMLTextAreaElement).value.slice(Number(mark.dataset.start), Number(mark.dataset.end)));
      }
    }
    for (const name of ['kizuki-error', 'kizuki-warning', 'kizuki-info']) {
      for (const range of (CSS.highlights.get(name) as unknown as Iterable<AbstractRange> | undefined) ?? []) {
        if (range instanceof Range && [...range.getClientRects()].some((r) => r.width > 0)) drawn.push(range.toString());
      }
    }
    return drawn;
  };
  // Each edit (an input event, or a mutation where the editor handles the key itself, as CKEditor 5 does): what
  // the next frame shows, read in that frame (after the page's work, before it is painted).
  let pending = false;
  const probe = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      w.__frames.push({ text: textOf(), drawn: w.__drawnTexts() });
    });
  };
  editor.addEventListener('input', probe);
  new MutationObserver(probe).observe(editor, { childList: true, characterData: true, subtree: true });
}

/** What installFrameProbe recorded, a frame per edit. */
function framesProbed(): { text: string; drawn: string[] }[] {
  return (window as unknown as { __frames: { text: string; drawn: string[] }[] }).__frames;
}

/**
 * The frame check, in either browser: after each of a burst of deletions at the start of the draft, and after the
 * helpdesk loads another ticket's draft into the box by script, every underline drawn in the very next frame covers
 * the text of one of that draft's findings. `clicks` are the agent's: into the editor, and elsewhere in the page.
 */
export async function expectNoFrameDrawsOtherText(driver: Driver, fixture: FixturePage, clicks: { editor(): Promise<void>; away(): Promise<void> }): Promise<void> {
  const draft = 'でも、確認いたします。あいにく返品はできません。';
  await driver.type(draft);
  const first = await waitForSettled(driver, (u) => hasConjunction(u) && u.findings.some((f) => f.text === 'できません'));
  await driver.evaluate(installFrameProbe, editorSelector[fixture]);
  const framesSeen = () => driver.evaluate(framesProbed, undefined);

  // A click, as the agent would: focusing the element alone left CKEditor without a caret once in CI.
  await moveCaret(driver, async () => {
    await clicks.editor();
    await driver.press('Control+Home');
  });
  for (let i = 0; i < 3; i++) {
    const before = (await framesSeen()).length;
    await driver.press('Delete');
    await expect.poll(async () => (await framesSeen()).length).toBeGreaterThan(before);
  }
  const spans = new Set(first.findings.filter((f) => f.scope === 'span').map((f) => f.text));
  for (const frame of await framesSeen()) {
    for (const text of frame.drawn) expect(spans, `a frame after a deletion drew 「${text}」 over ${JSON.stringify(frame.text)}`).toContain(text);
  }

  // The agent clicks (another ticket, a macro) and the helpdesk loads that draft into the same box (a script; a
  // textarea gets no event for it).
  await clicks.away();
  const next = 'お世話になっております。だって、在庫がございません。';
  const atSwitch = await driver.evaluate(
    (text) =>
      new Promise<string[]>((resolve) => {
        (window as unknown as { __fixture: { load(t: string): void } }).__fixture.load(text);
        requestAnimationFrame(() => resolve((window as unknown as { __drawnTexts: () => string[] }).__drawnTexts()));
      }),
    next,
  );
  const settled = await waitForSettled(driver, (u) => u.text === next && u.findings.some((f) => f.text.startsWith('だって')));
  const nextSpans = new Set(settled.findings.filter((f) => f.scope === 'span').map((f) => f.text));
  for (const text of atSwitch) expect(nextSpans, `the frame after the ticket switch drew 「${text}」`).toContain(text);
}

export function describeFixture(fixture: FixturePage): void {
  if (!hasChromium) console.warn(`skipping the ${fixture} real-browser tests: no Chromium at ${chromiumPath} (apt-get install -y chromium)`);
  describe.skipIf(!hasChromium)(`${fixture} fixture in Chromium with the extension`, () => {
    const suite = chromiumSuite();

    it('underlines 「でも、」 at the start of the reply and not the でも inside 「どなたでも」', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, DRAFT);
      const update = await waitForSettled(page, hasConjunction);
      expect(update.findings.filter((f) => f.start < PARTICLE.end && f.end > PARTICLE.start)).toEqual([]);
      const conjunction = update.findings.find(isConjunction)!;

      const underlines = await underlinedOffsets(page, editorSelector[fixture]);
      expect(underlines).toContainEqual({ start: 0, end: conjunction.end, text: conjunction.text });
      expect(underlines.filter((u) => u.start < PARTICLE.end && u.end > PARTICLE.start)).toEqual([]);
    });

    it('applies a suggestion from the card into the editor, and Ctrl+Z restores the draft', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, DRAFT);
      const update = await waitForSettled(page, hasConjunction);
      const finding = update.findings.find(isConjunction)!;

      const card = await hoverFinding(page, finding);
      await expect.poll(() => card.textContent()).toContain('でも');
      const before = await updateCount(page);
      const { button, replacement } = await suggestionButton(card, '恐れ入りますが');
      await button.click();

      const fixed = replacement + DRAFT.slice(finding.end);
      expect(fixed.startsWith('恐れ入りますが')).toBe(true);
      await expect.poll(() => editorText(page)).toBe(fixed);
      expect((await page.locator('kizuki-ui [data-role="apply-status"]').allTextContents()).join('')).not.toContain('できませんでした');
      // The extension re-analyses the editor's new content: the conjunction is gone.
      await waitForSettled(page, (u) => !u.findings.some((f) => f.text?.startsWith('でも')));

      await page.locator(editorSelector[fixture]).focus();
      await page.keyboard.press('Control+z');
      await expect.poll(() => editorText(page)).toBe(DRAFT);
    });

    it('of two identical underlines, a suggestion fixes the one whose card was opened, and a double click applies it once', async () => {
      const page = await suite.fresh(fixture);
      const text = 'お問い合わせありがとうございます。でも、確認いたします。でも、返品はできません。';
      const conjunctions = (u: { findings: Finding[] }) => u.findings.filter((f) => f.category === 'forbidden-phrase' && f.text.startsWith('でも'));
      await typeText(page, text);
      const update = await waitForSettled(page, (u) => u.text === text && conjunctions(u).length === 2);
      const second = conjunctions(update)[1]!;
      expect(second.start).toBe(text.lastIndexOf('でも'));
      const card = await hoverFinding(page, second);
      const { button, replacement } = await suggestionButton(card, '恐れ入りますが');
      await button.dblclick();
      const fixed = text.slice(0, second.start) + replacement + text.slice(second.end);
      await expect.poll(() => editorText(page)).toBe(fixed);
      // The second click of the double click changed nothing, and nothing arrives later.
      await sleep(400);
      expect(await editorText(page)).toBe(fixed);
      await page.locator(editorSelector[fixture]).focus();
      await page.keyboard.press('Control+z');
      await expect.poll(() => editorText(page)).toBe(text);
    });

    it('keys typed while a suggestion is applied are all kept, where the agent was typing', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, DRAFT);
      const update = await waitForSettled(page, hasConjunction);
      const finding = update.findings.find(isConjunction)!;
      const card = await hoverFinding(page, finding);
      const { button, replacement } = await suggestionButton(card, '恐れ入りますが');
      const box = (await button.boundingBox())!;
      // The agent goes on typing at the end of the draft and clicks the suggestion mid-word.
      const typed = 'ご理解ください';
      const typing = page.keyboard.type(typed, { delay: 8 });
      await sleep(20);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await typing;
      await expect.poll(() => editorText(page)).toBe(replacement + DRAFT.slice(finding.end) + typed);
      // Nothing typed arrives later, out of place.
      await sleep(300);
      expect(await editorText(page)).toBe(replacement + DRAFT.slice(finding.end) + typed);
    });

    it('opens the card from the keyboard (the open-card command at the caret): Escape returns to the editor, Enter applies', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, DRAFT);
      const update = await waitForSettled(page, hasConjunction);
      const finding = update.findings.find(isConjunction)!;
      const card = page.locator('kizuki-ui .kizuki-card');
      const focusInCard = () => page.evaluate(() => document.querySelector('kizuki-ui')?.shadowRoot?.activeElement?.className ?? null);
      const focusInEditor = (selector: string) => page.evaluate((sel) => !!document.activeElement?.closest(sel), selector);

      // The caret inside 「でも」, no mouse involved.
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      await runCommand(page, 'open-card');
      await card.waitFor({ state: 'visible', timeout: 10_000 });
      await expect.poll(focusInCard).toContain('kizuki-suggestion');
      await page.keyboard.press('Escape');
      await card.waitFor({ state: 'hidden', timeout: 10_000 });
      await expect.poll(() => focusInEditor(editorSelector[fixture])).toBe(true);

      await runCommand(page, 'open-card');
      await card.waitFor({ state: 'visible', timeout: 10_000 });
      const first = (await card.locator('button.kizuki-suggestion').first().textContent())!;
      expect(first).toContain('削除');
      await page.keyboard.press('Enter');
      await expect.poll(() => editorText(page)).toBe(DRAFT.slice(finding.end));
    });

    it('"Ignore" on the card hides that finding for this draft and leaves the others', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, 'でも、返品はできません。');
      const update = await waitForSettled(page, hasConjunction);
      const others = update.findings.filter((f) => f.scope === 'span' && !isConjunction(f)).length;
      expect(others).toBeGreaterThan(0);

      const card = await hoverFinding(page, update.findings.find(isConjunction)!);
      const before = await updateCount(page);
      await card.locator('button[data-action="ignore"]').click();
      const after = await waitForSettled(page, (u) => !hasConjunction(u));
      expect(after.findings.filter((f) => f.scope === 'span').length).toBe(others);
      expect((await underlinedOffsets(page, editorSelector[fixture])).some((u) => u.start === 0)).toBe(false);
      // The editor's text is untouched: ignoring is not a fix.
      expect(await editorText(page)).toBe('でも、返品はできません。');

      // The agent's own record counts it (counts only): fired and ignored for that rule this week.
      const conjunction = update.findings.find(isConjunction)!;
      const panel = await openPanel(suite.session(), await tabIdOf(suite.session(), page.url()));
      suite.keep(panel);
      const row = panel.locator(`[data-testid="stats"] tr[data-rule="builtin/${conjunction.rule}"]`);
      await expect.poll(async () => (await row.locator('td').allTextContents()).slice(1).map(Number)).toEqual([
        expect.any(Number), expect.any(Number), 1,
      ]);
      const [fired] = (await row.locator('td').allTextContents()).slice(1).map(Number);
      expect(fired).toBeGreaterThanOrEqual(1);
      expect(await panel.locator('[data-testid="stats"]').textContent()).not.toContain('返品');
    });

    it('"Ignore" holds for this draft only: the next ticket\'s draft, loaded into the same box, is coached in full', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, 'でも、確認いたします。');
      const update = await waitForSettled(page, hasConjunction);
      const card = await hoverFinding(page, update.findings.find(isConjunction)!);
      await card.locator('button[data-action="ignore"]').click();
      await waitForSettled(page, (u) => !hasConjunction(u));
      // The helpdesk switches tickets: another draft replaces this one, starting with the same words.
      const next = 'でも、別のチケットへの返信です。返品はできません。';
      await page.evaluate((text) => (window as unknown as { __fixture: { load(t: string): void } }).__fixture.load(text), next);
      const fresh = await waitForSettled(page, (u) => u.text === next && u.findings.some((f) => f.text.startsWith('できません')));
      expect(hasConjunction(fresh)).toBe(true);
      await expect.poll(async () => (await underlinedOffsets(page, editorSelector[fixture])).some((u) => u.start === 0)).toBe(true);
    });

    it('never changes the editor DOM: with the extension the editor sees only the mutations typing makes without it', async () => {
      // Same steps in a browser without the extension: what typing itself does to this editor.
      const control = await launch({ extension: false });
      let withoutExtension;
      let pointer = { x: 0, y: 0 };
      const page = await suite.fresh(fixture);
      try {
        await startMutationLog(page, editorSelector[fixture]);
        await typeText(page, DRAFT);
        const update = await waitForSettled(page, hasConjunction);
        const card = await hoverFinding(page, update.findings.find(isConjunction)!);
        pointer = card.point;
        await page.mouse.move(5, 5);
        await sleep(500);

        const plain = await openFixture(control.context, suite.server(), fixture);
        await focusEditor(plain, fixture);
        await startMutationLog(plain, editorSelector[fixture]);
        await typeText(plain, DRAFT);
        await sleep(1000);
        await plain.mouse.move(pointer.x, pointer.y);
        await plain.mouse.move(5, 5);
        await sleep(500);
        withoutExtension = await readMutationLog(plain, editorSelector[fixture]);
      } finally {
        await control.close();
      }
      const withExtension = await readMutationLog(page, editorSelector[fixture]);

      expect(withExtension.html).toBe(withoutExtension.html);
      const typingMakes = new Set(withoutExtension.signatures);
      expect(withExtension.signatures.filter((s) => !typingMakes.has(s))).toEqual([]);
      // Nothing of the extension's own ends up inside the editor either.
      expect(withExtension.html).not.toMatch(/kizuki/i);
    });

    it('shows the checklist for the draft in the panel, using the customer message on the page', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, 'でも、確認いたします。');
      const typed = await waitForSettled(page, hasConjunction);
      const conjunctionRule = typed.findings.find(isConjunction)!.rule;
      const tabId = await tabIdOf(suite.session(), page.url());
      const panel = await openPanel(suite.session(), tabId);
      suite.keep(panel);

      const apology = panel.locator('[data-testid="checklist"] li[data-category="missing-apology"]');
      // The complaint on the page (an undelivered parcel, anger) makes an apology required.
      await expect.poll(() => apology.getAttribute('data-state')).toBe('missing');
      await expect.poll(() => panel.locator(`[data-testid="findings"] li[data-rule="${conjunctionRule}"]`).count()).toBe(1);
      const customer = panel.locator('[data-testid="customer"]');
      await expect.poll(() => customer.textContent()).toContain('届きません');
      // The toolbar badge counts the tab's open findings (span and reply-level), as of the latest analysis.
      await expect.poll(async () => (await badgeText(panel)) === String((await updates(page)).at(-1)!.findings.length)).toBe(true);
      expect(Number(await badgeText(panel))).toBeGreaterThan(0);

      // Adding the apology to the draft flips the item to satisfied.
      await page.bringToFront();
      const before = await updateCount(page);
      await focusEditor(page, fixture);
      await page.keyboard.press('End');
      await typeText(page, '申し訳ございません。');
      await waitForSettled(page, (u) => JSON.stringify(u.checklist).includes('satisfied'));
      await expect.poll(() => apology.getAttribute('data-state')).toBe('satisfied');
    });

    it('analyses nothing while an IME composition is open, and the committed text once it ends', async () => {
      const page = await suite.fresh(fixture);
      const ime = await cdp(suite.session().context, page);
      // Focusing the empty editor is analysed once; wait for it (a fixed sleep was a race on a loaded machine), then
      // give any stray second analysis time to land before counting.
      await waitForUpdate(page, 0);
      await sleep(300);
      const before = await updateCount(page);
      for (const step of ['で', 'でも', 'でも、', 'でも、そ', 'でも、それは']) {
        await imeCompose(ime, step);
        await sleep(100);
      }
      // Several debounce periods with the composition open.
      await sleep(800);
      expect(await updateCount(page)).toBe(before);
      expect(await underlinedOffsets(page, editorSelector[fixture])).toEqual([]);

      await imeCommit(ime, 'でも、それは');
      await waitForSettled(page, hasConjunction);
      expect(await editorText(page)).toBe('でも、それは');
      await ime.detach();
    });

    it('a suggestion clicked while an IME composition is open is refused and changes nothing; after the commit it applies', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, DRAFT);
      const update = await waitForSettled(page, hasConjunction);
      const finding = update.findings.find(isConjunction)!;
      const ime = await cdp(suite.session().context, page);
      await imeCompose(ime, 'かくにん');
      await sleep(200);
      const card = await hoverFinding(page, finding);
      const { button, replacement } = await suggestionButton(card, '恐れ入りますが');
      await button.click();
      await expect.poll(async () => (await page.locator('kizuki-ui [data-role="apply-status"]').allTextContents()).join('')).toContain('変換中の文字を確定してから');
      await sleep(300);
      expect(await editorText(page)).not.toContain('恐れ入りますが');
      await imeCommit(ime, '確認');
      await ime.detach();
      const committed = await waitForSettled(page, (u) => u.text === DRAFT + '確認' && hasConjunction(u));
      const again = await hoverFinding(page, committed.findings.find(isConjunction)!);
      await (await suggestionButton(again, '恐れ入りますが')).button.click();
      await expect.poll(() => editorText(page)).toBe(replacement + DRAFT.slice(finding.end) + '確認');
    });

    it('「できません」: the card lists all three findings most severe first; each insertion keeps the refusal, selects 〇〇 and one Ctrl+Z undoes it', async () => {
      const page = await suite.fresh(fixture);
      const draft = '返品はできません。';
      await typeText(page, draft);
      const update = await waitForSettled(page, (u) => u.findings.some((f) => f.category === 'missing-alternative'));
      const onSpan = update.findings.filter((f) => f.scope === 'span' && f.text === 'できません');
      expect(onSpan.map((f) => f.severity).sort()).toEqual(['info', 'warning', 'warning']);

      for (const [label, added] of [
        ['代替案を添える', '代替案として、〇〇の方法はいかがでしょうか。'],
        ['要望を活かすことを伝える', 'いただいたご要望は、今後の改善の参考とさせていただきます。'],
      ] as const) {
        const card = await hoverFinding(page, onSpan[0]!);
        // Every finding on the span, most severe first, each with its own buttons.
        await expect.poll(() => card.locator('.kizuki-finding').count()).toBe(3);
        const severities = await card.locator('.kizuki-finding').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.severity));
        expect(severities).toEqual(['warning', 'warning', 'info']);
        // ProseMirror's history joins edits less than 500 ms apart into one undo step; an agent reads the card first.
        await sleep(600);
        await card.locator('button.kizuki-suggestion', { hasText: label }).click();
        // The card says so while it stays open (2.5 s), then closes by itself.
        await expect.poll(() => page.locator('kizuki-ui [data-role="apply-status"]').allTextContents(), { interval: 50 }).toEqual([expect.stringContaining('反映しました')]);
        await expect.poll(() => editorText(page)).toBe(draft + added);
        if (added.includes('〇〇')) await expect.poll(() => selectedText(page, fixture)).toBe('〇〇');
        await page.locator(editorSelector[fixture]).focus();
        await page.keyboard.press('Control+z');
        await expect.poll(() => editorText(page)).toBe(draft);
        await page.mouse.move(5, 5);
        // The card showing 「反映しました」 closes by itself; the next round opens a fresh one.
        await page.locator('kizuki-ui .kizuki-card').waitFor({ state: 'hidden', timeout: 10_000 });
        await waitForSettled(page, (u) => u.text === draft && u.findings.some((f) => f.category === 'missing-alternative'));
      }
    });

    it('the card follows its text when the page scrolls, never covers it, and closes once the text leaves the view', async () => {
      const page = await suite.fresh(fixture);
      await page.evaluate(() => (document.body.style.minHeight = '3000px'));
      await typeText(page, DRAFT);
      const finding = (await waitForSettled(page, hasConjunction)).findings.find(isConjunction)!;
      const card = await hoverFinding(page, finding);
      const cardBox = async () => (await card.boundingBox())!;
      const spanBox = async () => (await underlineRect(page, finding))!;
      const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      const before = { card: await cardBox(), span: await spanBox() };
      expect(overlaps(before.card, before.span)).toBe(false);

      await page.mouse.move(before.card.x + 10, before.card.y + 10); // keep the card open while scrolling
      await page.evaluate(() => scrollBy(0, 40));
      await expect.poll(async () => Math.round((await spanBox()).y)).toBe(Math.round(before.span.y - 40));
      await expect.poll(async () => Math.round((await cardBox()).y - (await spanBox()).y)).toBe(Math.round(before.card.y - before.span.y));
      expect(overlaps(await cardBox(), await spanBox())).toBe(false);

      await page.evaluate(() => scrollBy(0, 2000));
      await card.waitFor({ state: 'hidden', timeout: 10_000 });
    });

    it('an underline stays under its text when the reply box narrows or its font grows, with no edit', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, 'お問い合わせいただき、誠にありがとうございます。あいにく返品はできません。');
      const isRefusal = (f: { text: string }) => f.text === 'できません';
      const finding = (await waitForSettled(page, (u) => u.findings.some(isRefusal))).findings.find(isRefusal)!;
      const rect = async () => (await underlineRect(page, finding))!;
      const before = await rect();
      const restyle = (change: Record<string, string>) =>
        page.evaluate(({ selector, change }) => Object.assign((document.querySelector(selector) as HTMLElement).style, change), { selector: editorSelector[fixture], change });
      // Twice the font: the underline is twice as wide (the textarea overlay re-measures its mirror).
      const fontSize = await page.evaluate((selector) => parseFloat(getComputedStyle(document.querySelector(selector)!).fontSize), editorSelector[fixture]);
      await restyle({ fontSize: `${fontSize * 2}px` });
      await expect.poll(async () => Math.round(((await rect()).width / before.width) * 10) / 10, { timeout: 5_000 }).toBeGreaterThanOrEqual(1.7);
      const large = await rect();
      // A box so narrow the refusal wraps onto a later line: the underline follows it down.
      await restyle({ width: '220px' });
      await expect.poll(async () => (await rect()).y, { timeout: 5_000 }).toBeGreaterThan(large.y + 10);
    });

    it('no frame shows an underline on other characters: the frame right after a ticket switch or each of a burst of deletions', async () => {
      const page = await suite.fresh(fixture);
      await expectNoFrameDrawsOtherText(playwrightDriver(page, fixture), fixture, {
        editor: () => page.locator(editorSelector[fixture]).click(),
        away: () => page.mouse.click(2, 2),
      });
    });

    it('a keystroke that changes no finding makes the extension write nothing to the page and register no new highlight', async () => {
      // In Chromium, any change to the page's DOM and any newly registered highlight make the next frame repaint every
      // underlined piece of the editor's text: in the Zendesk fixture 12-13 raster tasks (about 10 ms) a time.
      const page = await suite.fresh(fixture);
      const draft = 'でも、確認いたします。あいにく返品はできません。\n';
      await typeText(page, draft);
      const before = await waitForSettled(page, (u) => hasConjunction(u) && u.findings.some((f) => f.text === 'できません'));
      await sleep(300);
      // What the extension wrote since the watch (re)started, and whether its highlights are the same objects.
      const sinceWatched = () =>
        page.evaluate(() => {
          const w = window as unknown as { __outside: string[]; __highlights: unknown[] };
          const now = ['kizuki-error', 'kizuki-warning', 'kizuki-info'].map((name) => CSS.highlights.get(name));
          return { outside: w.__outside, sameHighlights: now.every((h, i) => h === w.__highlights[i]) };
        });
      const restartWatch = () =>
        page.evaluate(() => {
          const w = window as unknown as { __outside: string[]; __highlights: unknown[] };
          w.__outside = [];
          w.__highlights = ['kizuki-error', 'kizuki-warning', 'kizuki-info'].map((name) => CSS.highlights.get(name));
        });
      await restartWatch();
      await page.evaluate((selector) => {
        const editor = document.querySelector(selector)!;
        const w = window as unknown as { __outside: string[] };
        // The extension's own nodes: its hosts (the pill, the card, the overlay) and what is in their shadow roots. The
        // page writes its own (the editor's toolbar, the fixture's counters); those are not the extension's.
        const ours = (node: Node): boolean => {
          const host = (node.getRootNode() as ShadowRoot).host;
          return host ? host.nodeName.startsWith('KIZUKI-') : node.nodeName.startsWith('KIZUKI-');
        };
        // The textarea's overlay copies the field's text (its mirror changes with every keystroke by design).
        const expected = (node: Node) => editor instanceof HTMLTextAreaElement && node.getRootNode() === document.querySelector('kizuki-overlay')?.shadowRoot;
        const record = (records: MutationRecord[]) => {
          for (const r of records) {
            const touched = [r.target, ...r.addedNodes, ...r.removedNodes];
            if (!touched.some(ours) || expected(r.target)) continue;
            w.__outside.push(`${r.type} on ${r.target.nodeName}${r.attributeName ? ` [${r.attributeName}]` : ''} in ${(r.target.getRootNode() as ShadowRoot).host?.nodeName ?? 'the document'}`);
          }
        };
        const options = { subtree: true, childList: true, attributes: true, characterData: true };
        new MutationObserver(record).observe(document, options);
        // Inside the hosts' shadow roots (open in the e2e build).
        for (const host of document.querySelectorAll('*')) if (host.shadowRoot && host.nodeName.startsWith('KIZUKI-')) new MutationObserver(record).observe(host.shadowRoot, options);
      }, editorSelector[fixture]);
      const from = await updateCount(page);
      await page.keyboard.insertText('承');
      const after = await waitForUpdate(page, from, (u) => u.text.endsWith('承'));
      const spans = (u: typeof before) => u.findings.map((f) => `${f.rule}:${f.start}-${f.end}`).sort();
      expect(spans(after)).toEqual(spans(before));
      await sleep(300);
      expect(await sinceWatched()).toEqual({ outside: [], sameHighlights: true });

      // Before a finding in its own sentence: the underline after the caret moves with the text, and is not redrawn.
      const at = draft.indexOf('あいにく');
      await restartWatch();
      await moveCaret(playwrightDriver(page, fixture), async () => {
        await page.keyboard.press('Control+Home');
        for (let i = 0; i < at; i++) await page.keyboard.press('ArrowRight');
      });
      const from2 = await updateCount(page);
      await page.keyboard.insertText('今');
      const moved = await waitForUpdate(page, from2, (u) => u.text.includes('今あいにく'));
      const shifted = before.findings.map((f) => `${f.rule}:${f.start >= at ? f.start + 1 : f.start}-${f.end > at ? f.end + 1 : f.end}`).sort();
      expect(spans(moved)).toEqual(shifted);
      expect(moved.findings.some((f) => f.text === 'できません' && f.start > at)).toBe(true);
      await sleep(300);
      expect(await sinceWatched()).toEqual({ outside: [], sameHighlights: true });
    });

    it('inserts a missing apology from the panel after the greeting; one Ctrl+Z removes it', async () => {
      const page = await suite.fresh(fixture);
      const draft = 'お問い合わせありがとうございます。配送状況を確認のうえ、本日中にご連絡いたします。';
      await typeText(page, draft);
      await waitForSettled(page, (u) => u.text === draft);
      const panel = await openPanel(suite.session(), await tabIdOf(suite.session(), page.url()));
      suite.keep(panel);
      const apology = panel.locator('[data-testid="checklist"] li[data-category="missing-apology"]');
      await expect.poll(() => apology.getAttribute('data-state')).toBe('missing');
      await sleep(600); // see above: edits less than 500 ms apart are one undo step in ProseMirror
      await apology.locator('[data-testid="insert"]').first().click();
      const withApology = 'お問い合わせありがとうございます。ご不便をおかけしており、申し訳ございません。配送状況を確認のうえ、本日中にご連絡いたします。';
      await expect.poll(() => editorText(page)).toBe(withApology);
      await expect.poll(() => apology.getAttribute('data-state')).toBe('satisfied');
      await page.bringToFront();
      await page.locator(editorSelector[fixture]).focus();
      await page.keyboard.press('Control+z');
      await expect.poll(() => editorText(page)).toBe(draft);
      await expect.poll(() => apology.getAttribute('data-state')).toBe('missing');
    });

    it('two items inserted from the panel in quick succession both go in (the second waits for the analysis of the first)', async () => {
      await suite.closeTabs();
      const page = await suite.session().context.newPage();
      suite.keep(page);
      // The analysis after the first insert held back 800 ms, so the second click always comes before it.
      await page.addInitScript(() => {
        document.addEventListener('DOMContentLoaded', () => (document.documentElement.dataset.kizukiDebounceMs = '800'));
      });
      await openFixture(suite.session().context, suite.server(), fixture, page);
      await focusEditor(page, fixture);
      const draft = 'お問い合わせありがとうございます。返品は承ります。';
      await typeText(page, draft);
      await waitForSettled(page, (u) => u.text === draft);
      const panel = await openPanel(suite.session(), await tabIdOf(suite.session(), page.url()));
      suite.keep(panel);
      const item = (category: string) => panel.locator(`[data-testid="checklist"] li[data-category="${category}"]`);
      await expect.poll(() => item('missing-apology').getAttribute('data-state')).toBe('missing');
      await expect.poll(() => item('missing-next-step').getAttribute('data-state')).toBe('missing');
      const apologyText = (await item('missing-apology').locator('.insert q').first().textContent())!.trim();
      const nextStepText = (await item('missing-next-step').locator('.insert q').first().textContent())!.trim();
      await item('missing-apology').locator('[data-testid="insert"]').first().click();
      await item('missing-next-step').locator('[data-testid="insert"]').first().click();
      // The draft, then what the panel said of each insert: a failure shows why an item did not go in.
      const draftAndStatus = async () => `${await editorText(page)}\n(panel: ${(await panel.locator('[data-testid="insert-status"]').allTextContents()).join(' / ')})`;
      await expect.poll(draftAndStatus).toContain(apologyText.replace(/^「|」$/g, ''));
      await expect.poll(draftAndStatus).toContain(nextStepText.replace(/^「|」$/g, '').replace(/〇〇.*$/, ''));
      await expect.poll(() => item('missing-apology').getAttribute('data-state')).toBe('satisfied');
      expect(await panel.locator('[data-testid="checklist"]').textContent()).not.toContain('もう不足していません');
    });

    for (const debounceMs of [undefined, 3000]) {
      const label = debounceMs ? `with the analysis delayed to ${debounceMs / 1000} s` : 'at normal speed';
      it(`replays a real session (type, backspace, undo, redo, select-all delete, macro, cut, paste, ticket switch) and stays in sync ${label}`, async () => {
        await suite.closeTabs();
        const page = await suite.session().context.newPage();
        suite.keep(page);
        // Set before the content script starts (document_idle), on the element it reads.
        if (debounceMs) {
          await page.addInitScript((ms) => {
            document.addEventListener('DOMContentLoaded', () => (document.documentElement.dataset.kizukiDebounceMs = String(ms)));
          }, debounceMs);
        }
        await openFixture(suite.session().context, suite.server(), fixture, page);
        await focusEditor(page, fixture);
        const first = await waitForUpdate(page, 0);
        // The raised delay really is in force (the replay must not pass by timing alone).
        expect(first.debounceMs).toBe(debounceMs ?? DEBOUNCE_MS);
        const panel = await openPanel(suite.session(), await tabIdOf(suite.session(), page.url()));
        suite.keep(panel);
        await replay(playwrightDriver(page, fixture), panel, fixture, await builtinEngine(), (debounceMs ?? 0) + 10_000);
      });
    }

    it('still coaches the next edit after the service worker was stopped', async () => {
      const page = await suite.fresh(fixture);
      await typeText(page, 'お問い合わせありがとうございます。');
      await waitForUpdate(page, 0);

      // Returns once the worker target is gone (throws otherwise). No second look afterwards: any message from a page
      // may legitimately start a fresh worker at once, which is exactly what the next edit relies on.
      await stopServiceWorker(suite.session().context, suite.session().extensionId);

      const before = await updateCount(page);
      await typeText(page, 'でも、こちらでよろしかったでしょうか。');
      // A token rule (the conjunction needs kuromoji) and a phrase rule (manual keigo) both come back.
      const conjunctionAfterGreeting = (u: { findings: { category: string; text: string }[] }) =>
        u.findings.some((f) => f.category === 'forbidden-phrase' && f.text?.startsWith('でも'));
      const update = await waitForSettled(page, (u) => conjunctionAfterGreeting(u) && u.findings.some((f) => f.category === 'keigo' && f.text?.includes('よろしかった')));
      expect(update.findings.map((f) => f.category)).toEqual(expect.arrayContaining(['forbidden-phrase', 'keigo']));
    });
  });
}
