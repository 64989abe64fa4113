// `npm run docs:session-screenshots`: the README's sequence showing the underlines staying in sync with the
// Zendesk-like (CKEditor 5) composer through typing, backspace, undo and a macro. Drives the e2e build headless on
// the fixture page and writes docs/screenshots/session-*.png.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltHarness } from './start.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = (name) => path.join(root, 'docs/screenshots', `session-${name}.png`);

const h = await loadBuiltHarness();
const server = await h.startFixtureServer(h.fixturesDir);
const session = await h.launch({ viewport: { width: 900, height: 520 } });
try {
  const page = await h.openFixture(session.context, server, 'zendesk', session.context.pages()[0]);
  await h.focusEditor(page, 'zendesk');
  const composer = page.locator('.ck-editor').first();

  /** Waits until the page shows an analysis of exactly the editor's current text, then saves the composer. */
  const shoot = async (name, caption) => {
    const text = await h.editorText(page);
    const update = await h.waitForUpdate(page, 0, (u) => u.text === text);
    await page.mouse.move(5, 5);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await composer.screenshot({ path: out(name) });
    const spans = update.findings.filter((f) => f.scope === 'span').map((f) => `「${f.text}」`);
    console.log(`${name}: ${caption} — 「${text}」, underlined: ${spans.join(' ') || 'none'}`);
  };

  await h.typeText(page, 'でも、返品はできません。');
  await shoot('1-typed', 'typed');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
  await shoot('2-backspace', 'four backspaces: the underline on what is left of 「できません」 is gone');
  await page.keyboard.press('Control+z');
  await shoot('3-undo', 'Ctrl+Z: the refusal is back, and so is its underline');
  await page.evaluate(() => window.__fixture.macro('ですから、確認いたします。'));
  await shoot('4-macro', 'a macro inserted through the editor API: checked without a keystroke');
} finally {
  await session.close();
  await server.close();
}
