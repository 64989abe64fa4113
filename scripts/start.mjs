// `npm start`: builds the extension and the demo helpdesk page, serves the page on 127.0.0.1 and opens Chromium
// with the extension loaded. With a display the browser stays open for you to type in; without one ($DISPLAY
// unset, or --headless) it types a sample reply, saves screenshots to docs/screenshots/ and prints the findings.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeBundleOptions } from '../build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The e2e harness is TypeScript; scripts load it bundled (dependencies stay in node_modules). */
export async function loadHarness() {
  const outfile = path.join(root, 'dist/tools/harness.mjs');
  await build({ ...nodeBundleOptions, entryPoints: ['test/e2e/harness.ts'], outfile });
  return import(pathToFileURL(outfile).href);
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
    console.error(`Chromium が見つかりません (${h.chromiumPath})。apt-get install -y chromium でインストールしてください。`);
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

async function demoHeadless(h, session, server, page) {
  const shots = path.join(root, 'docs/screenshots');
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
  const items = await panel.locator('[data-testid="checklist"] li').evaluateAll((lis) =>
    lis.map((li) => `${li.getAttribute('data-category')} = ${li.getAttribute('data-state')}  ${li.textContent?.trim() ?? ''}`),
  );
  console.log(`\nchecklist (panel):`);
  for (const item of items) console.log(`  ${item}`);
  console.log(`\nprocessing ${update.processingMs.toFixed(1)} ms, since last input ${update.sinceInputMs.toFixed(1)} ms`);
  console.log(`screenshots: ${['underline', 'card', 'panel'].map((n) => `docs/screenshots/${n}.png`).join(', ')}`);
}

const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
