// `npm start`: builds the extension and the demo helpdesk page, serves the page on 127.0.0.1 and opens Chromium
// with the extension loaded. With a display the browser stays open for you to type in; without one ($DISPLAY
// unset, or --headless) it types a sample reply, saves screenshots to dist/screenshots/ (ignored by git) and prints
// the findings and the checklist. `npm run docs:screenshots` is the same run with `--screenshots docs/screenshots`:
// it regenerates the pictures the README shows (underline, card, panel, and the options page with a team pack).
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeBundleOptions } from '../build.mjs';
import { findBrowser, installCommand } from './browsers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The e2e harness is TypeScript; scripts load it bundled (dependencies stay in node_modules). */
export async function loadHarness() {
  const outfile = path.join(root, 'dist/tools/harness.mjs');
  await build({ ...nodeBundleOptions, entryPoints: ['test/e2e/harness.ts'], outfile });
  return import(pathToFileURL(outfile).href);
}

/** Says where Chromium was looked for and how to install it. */
function chromiumMissing() {
  const found = findBrowser('chromium');
  const where = found.from !== 'none' && found.from !== 'search' ? `${found.from}=${found.path} にありません` : '通常の場所にも PATH にもありません';
  return `Chromium が見つかりません（${where}）。次のコマンドでインストールするか、CHROME_PATH でChromium の場所を指定してください:\n  ${installCommand(['chromium', 'fonts'])}`;
}

/** For the screenshot scripts: the harness with the e2e extension and fixture pages built, or exit when Chromium is missing. */
export async function loadBuiltHarness() {
  const h = await loadHarness();
  if (!h.hasChromium) {
    console.error(chromiumMissing());
    process.exit(1);
  }
  await h.buildAll();
  return h;
}

/** A reply with several things to coach, to a customer whose parcel has not arrived. */
export const SAMPLE_REPLY = [
  '山田様',
  'お問い合わせいただきありがとうございます。',
  'でも、ご注文の商品は昨日発送済みです。返品はできません。',
  'お届け先はこちらでよろしかったでしょうか。',
];

async function typeLines(page, lines, type) {
  for (const [i, line] of lines.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await type(page, line);
  }
}

async function main() {
  const h = await loadHarness();
  if (!h.hasChromium) {
    console.error(chromiumMissing());
    process.exitCode = 1;
    return;
  }
  const headless = !process.env.DISPLAY || process.argv.includes('--headless');
  console.log('building the e2e extension (dist/chrome-e2e/) and the demo page (dist/fixtures/)…');
  await h.buildAll();
  const server = await h.startFixtureServer(h.fixturesDir);
  const session = await h.launch({ headless, viewport: { width: 1100, height: 760 } });
  const page = await h.openFixture(session.context, server, 'demo', session.context.pages()[0]);
  console.log(`demo page: ${server.url('demo')}  (extension id ${session.extensionId})`);

  if (!headless) {
    console.log('Chromium is open: type a reply in the composer. Close the browser (or Ctrl+C) to stop.');
    const stop = async () => {
      await session.close().catch(() => {});
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    session.context.once('close', stop);
    return;
  }

  try {
    await demoHeadless(h, session, server, page);
  } finally {
    await session.close();
    await server.close();
  }
}

/** Where the screenshots go: `--screenshots DIR`, else dist/screenshots/ (never the tracked docs/screenshots/). */
function screenshotDir() {
  const i = process.argv.indexOf('--screenshots');
  return path.resolve(root, i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : 'dist/screenshots');
}

async function demoHeadless(h, session, server, page) {
  const shots = screenshotDir();
  await mkdir(shots, { recursive: true });
  await h.focusEditor(page, 'zendesk');
  await typeLines(page, SAMPLE_REPLY, h.typeText);
  // The conjunction (a token rule) and the manual keigo (a phrase rule) both underlined: the demo is ready.
  const isConjunction = (f) => f.category === 'forbidden-phrase' && f.text?.startsWith('でも');
  const ready = (u) => u.findings.some(isConjunction) && u.findings.some((f) => f.text?.includes('よろしかった'));
  const update = await h.waitForUpdate(page, 0, ready);
  // Let the last redraw settle before the picture.
  await h.sleep(300);
  await page.mouse.move(5, 5);

  const composer = page.locator('main');
  await composer.screenshot({ path: path.join(shots, 'underline.png') });

  const finding = update.findings.find(isConjunction);
  await h.hoverFinding(page, finding);
  await h.sleep(200);
  await composer.screenshot({ path: path.join(shots, 'card.png') });
  await page.mouse.move(5, 5);

  const tabId = await h.tabIdOf(session, page.url());
  const panel = await h.openPanel(session, tabId);
  await panel.setViewportSize({ width: 400, height: 720 });
  await panel.locator('[data-testid="checklist"] li').first().waitFor({ timeout: 15_000 });
  await h.sleep(300);
  await panel.screenshot({ path: path.join(shots, 'panel.png') });

  const text = await h.editorText(page);
  console.log('\nreply typed into the demo composer (CKEditor 5):');
  for (const line of text.split('\n')) console.log(`  ${line}`);
  console.log(`\nfindings (${update.findings.length}):`);
  for (const f of update.findings) {
    const where = f.scope === 'reply' ? '（返信全体）' : `${f.start}-${f.end} 「${f.text}」`;
    console.log(`  ${f.severity.padEnd(7)} ${f.rule.padEnd(28)} ${where}`);
  }
  // Each part of a checklist row on its own (its text nodes run together otherwise): mark, label, state, reason,
  // and the suggestions of a missing item on their own line.
  const items = await panel.locator('[data-testid="checklist"] li').evaluateAll((lis) =>
    lis.map((li) => {
      const part = (selector) => li.querySelector(selector)?.textContent?.trim() ?? '';
      const suggestions = [...li.querySelectorAll('.insert q')].map((q) => `「${q.textContent?.trim() ?? ''}」`);
      const head = `${part('.mark')} ${part('.label')}（${part('.item-state')}） ${part('.reason')}`;
      return suggestions.length ? `${head}\n      提案: ${suggestions.join(' / ')}` : head;
    }),
  );
  console.log(`\nchecklist (panel):`);
  for (const item of items) console.log(`  ${item}`);
  await panel.close();

  await optionsWithTeamPack(h, session, page, shots);
  console.log(`\nprocessing ${update.processingMs.toFixed(1)} ms, since last input ${update.sinceInputMs.toFixed(1)} ms`);
  console.log(`screenshots: ${['underline', 'card', 'panel', 'options'].map((n) => path.relative(process.cwd(), path.join(shots, `${n}.png`))).join(', ')}`);
}

/**
 * The options page as a QA lead sees it after IT pushed a team pack and a broken one (the e2e build reads the managed
 * policy from storage.local, as the managed-pack test does), with the playground run on a sample draft.
 */
async function optionsWithTeamPack(h, session, page, shots) {
  const { TEAM_PACK, BROKEN_PACK } = await loadTeamPacks();
  const options = await session.context.newPage();
  await options.setViewportSize({ width: 900, height: 760 });
  await options.goto(`chrome-extension://${session.extensionId}/options.html`);
  await options.evaluate(async (value) => {
    await globalThis.chrome.storage.local.set({ 'kizuki.e2e.managed': value });
  }, { inlinePacks: [TEAM_PACK, BROKEN_PACK] });
  // The options page lists the packs of the last analysis: one more line in the demo reply, under the team's rules.
  await page.bringToFront();
  await h.focusEditor(page, 'zendesk');
  await page.keyboard.press('End');
  const before = await h.updateCount(page);
  await page.keyboard.press('Enter');
  await h.typeText(page, '弊社で確認いたします。');
  await h.waitForUpdate(page, before, (u) => u.findings.some((f) => f.rule === 'heisha'));
  await options.bringToFront();
  await options.reload();
  await options.locator('[data-testid="packs"] [data-testid="reason"]').first().waitFor({ timeout: 30_000 });
  await options.locator('[data-testid="pg-customer"]').fill('注文した商品が届きません。何度も問い合わせています！！');
  await options.locator('[data-testid="pg-draft"]').fill('でも、弊社では配送状況がわかりません。');
  await options.locator('[data-testid="pg-findings"] li').first().waitFor({ timeout: 30_000 });
  await h.sleep(300);
  await options.screenshot({ path: path.join(shots, 'options.png') });
  await options.close();
}

async function loadTeamPacks() {
  const outfile = path.join(root, 'dist/tools/team-packs.mjs');
  await build({ ...nodeBundleOptions, entryPoints: ['test/e2e/team-packs.ts'], outfile });
  return import(pathToFileURL(outfile).href);
}

const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
