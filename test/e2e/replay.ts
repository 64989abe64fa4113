// Replays of an agent's real editing session in one reply box. After every step, what the extension shows (the
// underlines, the panel's findings and the toolbar badge) must come to equal a fresh analyze() of the editor's
// current text; and right after the step, before any new analysis could land, no underline may sit on text that
// changed.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Engine } from '../../src/engine/index';
import { badgeText, editorSelector, editorText, sleep, underlinedOffsets, updates, type FixturePage } from './harness';

/** The customer message every fixture page shows (as the adapters read it: innerText, trimmed). */
export const CUSTOMER = '注文した商品が一週間たっても届きません。何度も問い合わせているのに返事もなく、本当に困っています！！\n山田';

export interface ReplayStep {
  name: string;
  run(page: Page): Promise<void>;
  /** The editor's text after the step, where the step decides it exactly. */
  expect?: string;
  /** The page's script changes the text (no key, no input event). */
  script?: boolean;
}

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Every path by which a reply's text changes that the four fixtures support in Chromium. */
export function replaySteps(fixture: FixturePage): ReplayStep[] {
  const press = (key: string, times = 1) => async (page: Page) => {
    for (let i = 0; i < times; i++) await page.keyboard.press(key);
  };
  const fixtureCall = (call: 'macro' | 'load', text: string) => (page: Page) =>
    page.evaluate(([c, t]) => window.__fixture![c as 'macro' | 'load'](t as string), [call, text]);
  const clipboard = (text: string) => (page: Page) => page.evaluate((t) => navigator.clipboard.writeText(t), text);
  return [
    { name: 'typing', run: (page) => page.keyboard.type('でも、返品はできません。'), expect: 'でも、返品はできません。' },
    // 「できません」 loses 「せん。」 and the 「ま」: the underline on it must go at once.
    { name: 'backspace ×4', run: press('Backspace', 4), expect: 'でも、返品はでき' },
    { name: 'undo', run: press(`${mod}+z`) },
    { name: 'redo', run: press(fixture === 'textarea' || fixture === 'contenteditable' ? `${mod}+Shift+z` : `${mod}+y`) },
    { name: 'select all + Delete', run: async (page) => { await press(`${mod}+a`)(page); await press('Delete')(page); }, expect: '' },
    { name: 'macro (through the editor API)', run: fixtureCall('macro', 'ご不便をおかけし申し訳ございません。でも、確認いたします。'), script: true, expect: 'ご不便をおかけし申し訳ございません。でも、確認いたします。' },
    {
      name: 'paste',
      run: async (page) => {
        await clipboard('返品はできません。')(page);
        await page.locator(editorSelector[fixture]).focus();
        await press(`${mod}+End`)(page);
        await press(`${mod}+v`)(page);
      },
      expect: 'ご不便をおかけし申し訳ございません。でも、確認いたします。返品はできません。',
    },
    {
      name: 'cut',
      run: async (page) => {
        // Select 「返品はできません。」 (as a mouse drag would) and cut it with the keyboard.
        await selectLast(page, editorSelector[fixture], '返品はできません。'.length);
        await sleep(100); // editors copy the DOM selection into their model on selectionchange
        await press(`${mod}+x`)(page);
      },
      expect: 'ご不便をおかけし申し訳ございません。でも、確認いたします。',
    },
    { name: 'ticket switch (the app replaces the reply)', run: fixtureCall('load', 'ですから、わかりません。'), script: true, expect: 'ですから、わかりません。' },
    { name: 'emptied by the app', run: fixtureCall('load', ''), script: true, expect: '' },
  ];
}

/** Selects the last `count` characters of the editor's text (single-paragraph drafts). */
function selectLast(page: Page, selector: string, count: number): Promise<void> {
  return page.evaluate(([sel, n]) => {
    const root = document.querySelector(sel as string)!;
    if (root instanceof HTMLTextAreaElement) {
      root.setSelectionRange(root.value.length - (n as number), root.value.length);
      return;
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.replace(/\u2060/g, '')) texts.push(node as Text);
    let left = n as number;
    const last = texts[texts.length - 1]!;
    const range = document.createRange();
    range.setEnd(last, last.data.length);
    for (let i = texts.length - 1; i >= 0; i--) {
      const t = texts[i]!;
      if (t.data.length >= left) {
        range.setStart(t, t.data.length - left);
        break;
      }
      left -= t.data.length;
    }
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
  }, [selector, count] as const);
}

interface Shown {
  text: string;
  underlines: { start: number; end: number; text: string }[];
  panel: number;
  badge: string;
}

async function shown(page: Page, panel: Page, fixture: FixturePage): Promise<Shown> {
  return {
    text: await editorText(page),
    underlines: await underlinedOffsets(page, editorSelector[fixture]),
    panel: await panel.locator('[data-testid="findings"] li').count(),
    badge: await badgeText(panel),
  };
}

const spanKey = (s: { start: number; end: number }) => `${s.start}-${s.end}`;

/**
 * Runs the steps; after each: (1) at once, every underline covers text that an earlier analysis flagged, at the
 * offsets it now has in the editor (nothing on edited text); (2) within `deadlineMs`, the underlines, the panel's
 * count and the badge equal a fresh analysis of the editor's text.
 */
export async function replay(page: Page, panel: Page, fixture: FixturePage, engine: Engine, deadlineMs: number): Promise<void> {
  const flaggedTexts = new Set<string>();
  for (const step of replaySteps(fixture)) {
    await page.bringToFront();
    await page.locator(editorSelector[fixture]).focus();
    await step.run(page);
    // "At once" is the next frame; a script setting a textarea's value fires nothing and is seen by a 250 ms poll.
    const scriptSetsTextarea = fixture === 'textarea' && step.script === true;
    if (scriptSetsTextarea) await sleep(300);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

    const now = await shown(page, panel, fixture);
    // At normal speed the new analysis may already have landed: its findings count as flagged too.
    for (const u of await updates(page)) for (const f of u.findings) if (f.text) flaggedTexts.add(f.text);
    if (step.expect !== undefined) expect(now.text, `${fixture}: text after ${step.name}`).toBe(step.expect);
    for (const u of now.underlines) {
      expect(u.text, `${fixture}: underline at ${spanKey(u)} right after ${step.name}`).toBe(now.text.slice(u.start, u.end));
      expect(flaggedTexts.has(u.text), `${fixture}: 「${u.text}」 underlined right after ${step.name} was never flagged`).toBe(true);
    }
    // 「でき」 is what is left of 「できません」: nothing may stay on it.
    if (step.name === 'backspace ×4') expect(now.underlines.filter((u) => u.text.startsWith('でき'))).toEqual([]);

    const deadline = Date.now() + deadlineMs;
    let last: { shown: Shown; fresh: string[]; freshCount: number } | undefined;
    for (;;) {
      const current = await shown(page, panel, fixture);
      const fresh = engine.analyze({ draft: current.text, customer: CUSTOMER }).findings;
      const freshSpans = fresh.filter((f) => f.scope === 'span').map((f) => spanKey({ start: f.start!, end: f.end! })).sort();
      const ok =
        JSON.stringify(current.underlines.map(spanKey).sort()) === JSON.stringify(freshSpans) &&
        current.panel === fresh.length &&
        current.badge === (fresh.length > 0 ? String(fresh.length) : '') &&
        (await editorText(page)) === current.text;
      if (ok) break;
      last = { shown: current, fresh: freshSpans, freshCount: fresh.length };
      if (Date.now() > deadline) {
        throw new Error(`${fixture}: after "${step.name}" the screen never matched a fresh analysis within ${deadlineMs} ms: ${JSON.stringify(last)}`);
      }
      await sleep(150);
    }
  }
}
