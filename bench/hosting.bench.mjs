// Where should the engine live? Measures, in headless Chromium with the e2e build loaded:
//  - the offscreen document: time until its tokenizer is ready, round trip page -> worker -> offscreen -> page for a
//    2,000-character draft, and the first reply after the service worker was stopped;
//  - memory (PSS) of the extension process.
// The service worker as a host was measured against it when the offscreen document was chosen (a tokenizer built again
// after every worker stop; README, "Speed in the browser"). Chrome's worker is now built without an engine, so that
// side of the comparison is no longer in the build.
// Run: npm run bench:hosting. Prints figures; asserts nothing.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExtension } from '../scripts/build-extension.mjs';
import { findBrowser } from '../scripts/browsers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extDir = path.join(root, 'dist/chrome-e2e');
const executablePath = findBrowser('chromium').path ?? '/usr/bin/chromium';

const SENTENCES = [
  'お問い合わせいただきありがとうございます。',
  'ご注文の商品がまだ届いていないとのこと、ご不便をおかけしており申し訳ございません。',
  'でも、配送状況を確認したところ、昨日発送済みとなっておりました。',
  '返品できませんが、交換のご案内は可能です。',
  'こちらでよろしかったでしょうか。',
];
let draft = '';
for (let i = 0; draft.length < 2000; i++) draft += SENTENCES[i % SENTENCES.length];
draft = draft.slice(0, 2000);

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x) => `${x.toFixed(1)} ms`;

/** PSS of the profile's extension process(es), MB (Linux /proc). */
function extensionPssMb(profileDir) {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(profileDir) || !cmd.includes('--extension-process')) continue;
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

await buildExtension({ root, e2e: true, log: () => {} });
const profileDir = mkdtempSync(path.join(os.tmpdir(), 'kizuki-hosting-'));
const launchedAt = performance.now();
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath,
  headless: true,
  args: [
    `--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`,
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  ],
});
try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/panel.html?tab=999999`);
  const send = (message) => page.evaluate((m) => chrome.runtime.sendMessage(m), message);

  let status;
  for (;;) {
    status = await send({ target: 'kizuki-engine', type: 'kizuki:host-status' }).catch(() => undefined);
    if (status?.tokenizerReady || status?.error) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyAfterLaunch = performance.now() - launchedAt;
  if (status.error) throw new Error(status.error);
  await new Promise((r) => setTimeout(r, 1000)); // let the build's garbage be collected before measuring memory
  const pssOne = extensionPssMb(profileDir);

  const analyzeMessage = (text) => ({ type: 'kizuki:analyze', draft: text, context: { adapter: 'generic', status: 'ready' }, ignored: [] });
  const roundTrips = [];
  const engineTimes = [];
  for (let i = 0; i < 40; i++) {
    const result = await page.evaluate(async (m) => {
      const start = performance.now();
      const reply = await chrome.runtime.sendMessage(m);
      return { ms: performance.now() - start, engineMs: reply.engineMs, n: reply.findings.length };
    }, analyzeMessage(draft + String(i % 10) + (i >= 10 ? String(i) : '')));
    roundTrips.push(result.ms);
    engineTimes.push(result.engineMs);
  }

  // Stop the worker the way Chrome does when it idles, then time the next request (worker restart + offscreen).
  const browserSession = await context.browser().newBrowserCDPSession();
  const restarts = [];
  for (let i = 0; i < 5; i++) {
    const { targetInfos } = await browserSession.send('Target.getTargets');
    for (const t of targetInfos.filter((t) => t.type === 'service_worker' && t.url.includes(id))) {
      await browserSession.send('Target.closeTarget', { targetId: t.targetId });
    }
    await new Promise((r) => setTimeout(r, 300));
    restarts.push(await page.evaluate(async (m) => {
      const start = performance.now();
      const reply = await chrome.runtime.sendMessage(m);
      return { ms: performance.now() - start, ready: reply.tokenizerReady };
    }, analyzeMessage(draft + 'restart' + i)));
  }

  console.log(`kizuki engine hosting (Chromium ${context.browser()?.version() ?? '?'}, 2,000-character draft)`);
  console.log('offscreen document (chosen):');
  console.log(`  tokenizer ready            ${ms(status.tokenizerMs)} after the document started (${ms(readyAfterLaunch)} after launch)`);
  console.log(`  round trip page->worker->offscreen->page  median ${ms(median(roundTrips))}  p95 ${ms(p95(roundTrips))}  (engine alone: median ${ms(median(engineTimes))})`);
  console.log(`  first reply after the worker was stopped   median ${ms(median(restarts.map((r) => r.ms)))}  max ${ms(Math.max(...restarts.map((r) => r.ms)))}  tokenizer kept: ${restarts.every((r) => r.ready)}`);
  console.log(`  extension process PSS      ${pssOne.toFixed(0)} MB`);
  await browserSession.detach();
} finally {
  await context.close();
  rmSync(profileDir, { recursive: true, force: true });
}
