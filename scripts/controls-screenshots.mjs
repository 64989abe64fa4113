// `npm run docs:controls-screenshots`: the README's pictures of the check before sending (the nudge beside the
// Zendesk-like Submit button), the count pill at the composer's corner, and the panel in dark mode. Drives the e2e
// build headless on the fixture pages and writes docs/screenshots/{nudge,pill,panel-dark}.png.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltHarness } from './start.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = (name) => path.join(root, 'docs/screenshots', `${name}.png`);
const DRAFT = 'でも、ご注文の商品は確認中です。';

const h = await loadBuiltHarness();
const server = await h.startFixtureServer(h.fixturesDir);
const session = await h.launch({ viewport: { width: 900, height: 760 } });
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
try {
  const page = await h.openFixture(session.context, server, 'zendesk', session.context.pages()[0]);
  await h.focusEditor(page, 'zendesk');
  await h.typeText(page, DRAFT);
  await h.waitForSettled(page, (u) => u.findings.some((f) => f.severity === 'error'));
  await page.mouse.move(5, 5);
  await frames(page);
  const composer = page.locator('section.composer');
  await composer.screenshot({ path: out('pill') });
  console.log('pill: the count pill at the composer\'s corner');

  await page.locator('[data-test-id="submit_button-button"]').click();
  await page.locator('kizuki-nudge .kizuki-nudge').waitFor({ state: 'visible' });
  await frames(page);
  const box = await composer.boundingBox();
  const nudge = await page.locator('kizuki-nudge .kizuki-nudge').boundingBox();
  const top = Math.max(0, Math.min(box.y, nudge.y) - 8);
  await page.screenshot({ path: out('nudge'), clip: { x: box.x - 8, y: top, width: box.width + 16, height: box.y + box.height + 8 - top } });
  console.log('nudge: the check before sending, beside Submit');
  await page.locator('kizuki-nudge [data-action="back"]').click();

  const panel = await h.openPanel(session, await h.tabIdOf(session, page.url()));
  await panel.setViewportSize({ width: 380, height: 760 });
  await panel.emulateMedia({ colorScheme: 'dark' });
  await panel.locator('[data-testid="findings"] li').first().waitFor();
  await frames(panel);
  await panel.screenshot({ path: out('panel-dark') });
  console.log('panel-dark: the panel with prefers-color-scheme: dark');
} finally {
  await session.close();
  await server.close();
}
