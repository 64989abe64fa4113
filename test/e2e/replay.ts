// Replays of an agent's real editing session in one reply box. After every step, what the extension shows (the
// underlines, the panel's findings and the toolbar badge) must come to equal a fresh analyze() of the editor's
// current text; and right after the step, before any new analysis could land, no underline may sit on text that
// changed.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import type { Engine } from '../../src/engine/index';
import { badgeText, editorSelector, editorText, sleep, underlinedOffsets, updates, type Evaluates, type FixturePage } from './harness';
import { probe } from './firefox';

/** What a replay does to a tab, in either browser. */
export interface Driver extends Evaluates {
  /** A key or chord such as "Backspace" or "Control+z", pressed once. */
  press(chord: string): Promise<void>;
  type(text: string): Promise<void>;
  /** Brings the tab to the front and focuses its editor. */
  focusEditor(): Promise<void>;
}

export function playwrightDriver(page: Page, fixture: FixturePage): Driver {
  return {
    // A Playwright Page satisfies Evaluates (see harness.ts) for the plain JSON the probes pass.
    evaluate: (page as Evaluates).evaluate.bind(page),
    press: (chord) => page.keyboard.press(chord),
    type: (text) => page.keyboard.type(text),
    async focusEditor() {
      await page.bringToFront();
      await page.locator(editorSelector[fixture]).focus();
    },
  };
}

export function puppeteerDriver(page: PuppeteerPage, fixture: FixturePage): Driver {
  type Key = Parameters<PuppeteerPage['keyboard']['press']>[0];
  return {
    ...probe(page),
    async press(chord) {
      const keys = chord.split('+') as Key[];
      const key = keys.pop()!;
      for (const m of keys) await page.keyboard.down(m);
      await page.keyboard.press(key);
      for (const m of keys.reverse()) await page.keyboard.up(m);
    },
    type: (text) => page.keyboard.type(text),
    async focusEditor() {
      await page.bringToFront();
      await page.focus(editorSelector[fixture]);
    },
  };
}

declare global {
  interface Window {
    __selectionSeen?: { anchorNode: Node | null; anchorOffset: number; focusNode: Node | null; focusOffset: number };
  }
}

/** Installed in the page: remembers the selection as the last `selectionchange` event found it. */
function watchSelectionEvents(): void {
  if (window.__selectionSeen) return;
  window.__selectionSeen = { anchorNode: null, anchorOffset: 0, focusNode: null, focusOffset: 0 };
  document.addEventListener('selectionchange', () => {
    const { anchorNode, anchorOffset, focusNode, focusOffset } = document.getSelection()!;
    window.__selectionSeen = { anchorNode, anchorOffset, focusNode, focusOffset };
  });
}

/** Whether the last `selectionchange` event was dispatched for the present selection (a textarea edits natively). */
function selectionDelivered(): boolean {
  if (document.activeElement instanceof HTMLTextAreaElement) return true;
  const now = document.getSelection();
  const seen = window.__selectionSeen;
  return !!now && !!seen && now.anchorNode === seen.anchorNode && now.anchorOffset === seen.anchorOffset && now.focusNode === seen.focusNode && now.focusOffset === seen.focusOffset;
}

/**
 * Moves the caret (keys, or a script setting the selection) and waits until the editor knows where it is.
 * CKEditor 5 and ProseMirror copy the DOM selection into their model when `selectionchange` is dispatched, and a loaded
 * renderer can dispatch it after handling the next key, which then acts at the old caret (in CI, a Delete after
 * Ctrl+Home deleted nothing). The page's listener is added after the editor's, so once it has seen the present
 * selection, so has the editor.
 */
export async function moveCaret(driver: Driver, move: () => Promise<void>): Promise<void> {
  await driver.evaluate(watchSelectionEvents, undefined);
  await move();
  await expect.poll(() => driver.evaluate(selectionDelivered, undefined)).toBe(true);
}

/** The customer message every fixture page shows (as the adapters read it: innerText, trimmed). */
export const CUSTOMER = '注文した商品が一週間たっても届きません。何度も問い合わせているのに返事もなく、本当に困っています！！\n山田';

export interface ReplayStep {
  name: string;
  run(driver: Driver): Promise<void>;
  /** The editor's text after the step, where the step decides it exactly. */
  expect?: string;
  /** The page's script changes the text (no key, no input event). */
  script?: boolean;
}

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Every path by which a reply's text changes that the four fixtures support in both browsers. */
export function replaySteps(fixture: FixturePage): ReplayStep[] {
  const press = (key: string, times = 1) => async (driver: Driver) => {
    for (let i = 0; i < times; i++) await driver.press(key);
  };
  const fixtureCall = (call: 'macro' | 'load', text: string) => async (driver: Driver) => {
    await driver.evaluate(([c, t]) => window.__fixture![c as 'macro' | 'load'](t as string), [call, text]);
  };
  const refusal = '返品はできません。';
  const afterMacro = 'ご不便をおかけし申し訳ございません。でも、確認いたします。';
  return [
    { name: 'typing', run: (d) => d.type('でも、返品はできません。'), expect: 'でも、返品はできません。' },
    // 「できません」 loses 「せん。」 and the 「ま」: the underline on it must go at once.
    { name: 'backspace ×4', run: press('Backspace', 4), expect: 'でも、返品はでき' },
    { name: 'undo', run: press(`${mod}+z`) },
    { name: 'redo', run: press(fixture === 'textarea' || fixture === 'contenteditable' ? `${mod}+Shift+z` : `${mod}+y`) },
    { name: 'select all + Delete', run: async (d) => { await press(`${mod}+a`)(d); await press('Delete')(d); }, expect: '' },
    { name: 'macro (through the editor API)', run: fixtureCall('macro', afterMacro + refusal), script: true, expect: afterMacro + refusal },
    {
      name: 'cut',
      run: async (d) => {
        // Select 「返品はできません。」 (as a mouse drag would) and cut it with the keyboard.
        await moveCaret(d, () => selectLast(d, editorSelector[fixture], refusal.length));
        await press(`${mod}+x`)(d);
      },
      expect: afterMacro,
    },
    {
      name: 'paste',
      run: async (d) => {
        await press(`${mod}+End`)(d);
        await press(`${mod}+v`)(d);
      },
      expect: afterMacro + refusal,
    },
    { name: 'ticket switch (the app replaces the reply)', run: fixtureCall('load', 'ですから、わかりません。'), script: true, expect: 'ですから、わかりません。' },
    { name: 'emptied by the app', run: fixtureCall('load', ''), script: true, expect: '' },
  ];
}

/** Selects the last `count` characters of the editor's text (single-paragraph drafts). */
async function selectLast(driver: Driver, selector: string, count: number): Promise<void> {
  await driver.evaluate(([sel, n]) => {
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

async function shown(page: Driver, panel: Evaluates, fixture: FixturePage): Promise<Shown> {
  return {
    text: await editorText(page),
    underlines: await underlinedOffsets(page, editorSelector[fixture]),
    panel: await panel.evaluate(() => document.querySelectorAll('[data-testid="findings"] li').length, undefined),
    badge: await badgeText(panel),
  };
}

const spanKey = (s: { start: number; end: number }) => `${s.start}-${s.end}`;

/**
 * Runs the steps; after each: (1) at once, every underline covers text that an analysis flagged, at the offsets it
 * now has in the editor (nothing on edited text); (2) within `deadlineMs`, the underlines, the panel's count and the
 * badge equal a fresh analysis of the editor's text.
 */
export async function replay(page: Driver, panel: Evaluates, fixture: FixturePage, engine: Engine, deadlineMs: number): Promise<void> {
  const flaggedTexts = new Set<string>();
  for (const step of replaySteps(fixture)) {
    await page.focusEditor();
    await step.run(page);
    // "At once" is the next frame; a script setting a textarea's value fires nothing and is seen by a 250 ms poll.
    if (fixture === 'textarea' && step.script) await sleep(300);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))), undefined);

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
      if (Date.now() > deadline) {
        const seen = { shown: current, fresh: freshSpans, freshCount: fresh.length };
        throw new Error(`${fixture}: after "${step.name}" the screen never matched a fresh analysis within ${deadlineMs} ms: ${JSON.stringify(seen)}`);
      }
      await sleep(150);
    }
  }
}
