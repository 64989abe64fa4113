// `node bench/firefox.bench.mjs`: the measures of bench/browser.bench.mjs in Debian's firefox-esr, driven by
// puppeteer-core over WebDriver BiDi (Playwright cannot drive stock Firefox). The background event page hosts the
// engine there (no offscreen document).
//
//  (a) keystroke → painted frame, textarea fixture (contenteditable editors too with --fixture);
//  (b) cold start in fresh profiles: browser launch → extension installed (Firefox cannot load an unpacked extension
//      at launch: WebDriver BiDi installs it once the browser runs) → 「一応、でも、」 typed → first phrase-rule and
//      token-rule underlines painted;
//  (c) PSS of the whole Firefox (every process of the instance), with and without the extension, same page and draft.
//
// Options: --fixture <name> (repeatable, default textarea), --keys <n> (default 30), --cold <n> (default 3),
// --ext <dir> (an unpacked firefox-e2e build to measure instead of this tree's), --skip <keys|cold|memory>.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { loadHarness } from '../scripts/start.mjs';
import { recordFrames, KeystrokeParts, overPeer } from './frames.mjs';

const args = process.argv.slice(2);
const option = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
const keystrokes = Number(option('--keys')[0] ?? 30);
const coldRuns = Number(option('--cold')[0] ?? 3);
const skip = new Set(option('--skip'));
const firefoxPath = process.env.KIZUKI_FIREFOX ?? '/usr/bin/firefox-esr';
const GECKO_ID = 'kizuki@kizuki.dev';

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: rank(0.5), p95: rank(0.95), max: sorted.at(-1) };
};
const ms = (v) => `${v.toFixed(1)} ms`.padStart(9);
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;

const DRAFT = (() => {
  const sentences = ['お問い合わせいただきありがとうございます。', 'でも、倉庫からの出荷が予定より遅れておりました。', '返品はできません。', 'お届け先のご住所はこちらでよろしかったでしょうか。'];
  let text = '';
  for (let i = 0; text.length < 2000; i++) text += sentences[i % sentences.length];
  return text;
})();


async function launch(extDir) {
  const launchedAt = Date.now();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    extraPrefsFirefox: {
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'extensions.update.enabled': false,
      'browser.search.update': false,
    },
  });
  if (extDir) {
    const id = await browser.installExtension(extDir);
    if (id !== GECKO_ID) throw new Error(`installed ${id}, expected ${GECKO_ID}`);
  }
  return { browser, launchedAt };
}

async function openPage(browser, server, fixture, editor) {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(recordFrames);
  await page.goto(server.url(fixture));
  await page.waitForFunction(() => window.__fixture !== undefined);
  await page.click(editor);
  return page;
}

async function waitForFrame(page, from, accept, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await page.evaluate(() => window.__fixture.getText());
    const frames = await page.evaluate((i) => window.__frames.slice(i), from);
    const hit = frames.find((f) => f.frameAt > 0 && f.text === text && accept(f));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no painted update matched within ${timeout} ms; last: ${JSON.stringify(frames.at(-1) ?? null)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** PSS (kB) of the Firefox instance whose main process is `pid`, and of its extension process. */
function processMemory(pid) {
  const procs = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      procs.push({ pid: Number(entry), ppid, cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // ended meanwhile
    }
  }
  const mine = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) (mine.add(p.pid), (grew = true));
  }
  let total = 0;
  let extension = 0;
  for (const p of procs) {
    if (!mine.has(p.pid)) continue;
    try {
      const pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      total += pss;
      if (/\bextension\b/.test(p.cmdline) && p.cmdline.includes('-contentproc')) extension += pss;
    } catch {
      // ended meanwhile
    }
  }
  return { total, extension };
}

/** Keystroke latencies over every fixture: to the painted underline with the extension, to the next frame without. */
async function keystrokeRuns(ext, { h, server, fixtures }) {
  const { browser } = await launch(ext);
  const all = [];
  try {
    for (const fixture of fixtures) {
      const page = await openPage(browser, server, fixture, h.editorSelector[fixture]);
      // BiDi sends one character per call: the draft arrives the way a helpdesk loads a reply (the editor's API).
      await page.evaluate((text) => window.__fixture.load(text), DRAFT);
      if (ext) await waitForFrame(page, 0, (f) => f.tokenizerReady && f.rules.length > 0);
      const latencies = [];
      const parts = new KeystrokeParts();
      const typed = 'ご確認のほどよろしくお願いいたします。';
      for (let i = 0; i < keystrokes; i++) {
        const from = await page.evaluate(() => [window.__frames.length, window.__inputFrames.length]);
        await page.keyboard.sendCharacter(typed[i % typed.length]);
        if (ext) {
          const f = await waitForFrame(page, from[0], () => true);
          latencies.push(f.frameAt - f.inputAt);
          parts.add(f);
        } else {
          await page.waitForFunction((n) => window.__inputFrames.length > n, {}, from[1]);
          latencies.push(await page.evaluate((n) => window.__inputFrames[n], from[1]));
        }
        await new Promise((r) => setTimeout(r, 60));
      }
      const s = stats(latencies);
      all.push(...latencies);
      console.log(`  ${fixture.padEnd(16)} median${ms(s.median)}  p95${ms(s.p95)}  max${ms(s.max)}`);
      if (ext) console.log(`    ${parts.summary(stats)}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return all;
}

async function main() {
  const h = await loadHarness();
  await h.buildAll();
  const extDir = path.resolve(option('--ext')[0] ?? path.join(h.repoRoot, 'dist/firefox-e2e'));
  const fixtures = option('--fixture').length ? option('--fixture') : ['textarea'];
  const server = await h.startFixtureServer(h.fixturesDir);
  console.log(`firefox-esr, extension: ${extDir}`);
  try {
    if (!skip.has('keys')) {
      console.log(`\n(a) keystroke → underline painted, ${keystrokes} keystrokes per fixture at the end of a ${DRAFT.length}-character draft`);
      const withExtension = await keystrokeRuns(extDir, { h, server, fixtures });
      // The peer in the same run: the same keystrokes in a browser without the extension, input → next frame.
      console.log('  peer, the same keystrokes without the extension (input → next frame: what the editor itself costs)');
      const alone = await keystrokeRuns(undefined, { h, server, fixtures });
      const s = stats(withExtension);
      const p = stats(alone);
      console.log(`  ${overPeer(s, p)}`);
    }
    if (!skip.has('cold')) {
      console.log(`\n(b) cold start in ${coldRuns} fresh profiles: launch → extension installed → 「一応、でも、」 typed → underline painted`);
      const runs = [];
      for (let i = 0; i < coldRuns; i++) {
        const { browser, launchedAt } = await launch(extDir);
        try {
          const installed = Date.now() - launchedAt;
          const page = await openPage(browser, server, 'textarea', h.editorSelector.textarea);
          const pageReady = Date.now() - launchedAt;
          await page.keyboard.type('一応、でも、');
          const origin = await page.evaluate(() => performance.timeOrigin);
          const phrase = await waitForFrame(page, 0, (f) => f.rules.includes('ichiou'));
          const token = await waitForFrame(page, 0, (f) => f.rules.includes('conjunction-demo-datte'));
          // The keys go one by one over the driver (page ready → underline includes that typing): also from the last key.
          const r = { installed, pageReady, phrase: origin + phrase.frameAt - launchedAt, token: origin + token.frameAt - launchedAt, fromLastKey: phrase.frameAt - phrase.inputAt };
          runs.push(r);
          console.log(`  run ${i + 1}: extension installed ${ms(r.installed)}, page ready ${ms(r.pageReady)}, phrase rule (一応) ${ms(r.phrase)}, token rule (でも) ${ms(r.token)}; last key → underline ${ms(r.fromLastKey)}`);
          console.log(`         first phrase underline, from the last key: asked ${ms(phrase.sinceInputMs - phrase.processingMs)}, answered ${ms(phrase.processingMs)}, toFrame ${ms(phrase.frameAt - phrase.eventAt)}`);
        } finally {
          await browser.close();
        }
      }
      const med = (k) => stats(runs.map((r) => r[k])).median;
      console.log(`  median: installed ${ms(med('installed'))}, page ready ${ms(med('pageReady'))}, phrase rule ${ms(med('phrase'))}, token rule ${ms(med('token'))}, last key → underline ${ms(med('fromLastKey'))}`);
    }
    if (!skip.has('memory')) {
      console.log('\n(c) memory (PSS of every process of the instance), textarea fixture with the draft typed');
      const measure = async (ext) => {
        const { browser } = await launch(ext);
        try {
          const page = await openPage(browser, server, 'textarea', h.editorSelector.textarea);
          await page.evaluate((text) => window.__fixture.load(text), DRAFT);
          if (ext) await waitForFrame(page, 0, (f) => f.tokenizerReady && f.rules.length > 0);
          await new Promise((r) => setTimeout(r, 3000));
          return processMemory(browser.process().pid);
        } finally {
          await browser.close();
        }
      };
      const withExt = await measure(extDir);
      const without = await measure(undefined);
      console.log(`  with the extension:    whole browser ${mb(withExt.total)}${withExt.extension ? ` (extension process ${mb(withExt.extension)})` : ''}`);
      console.log(`  without the extension: whole browser ${mb(without.total)}`);
      console.log(`  added by the extension: ${mb(withExt.total - without.total)} (×${(withExt.total / without.total).toFixed(2)})`);
    }
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
