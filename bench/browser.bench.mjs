// `npm run bench:browser`: what the agent feels, in headless Chromium with the e2e build of the extension.
//
//  (a) keystroke → underline: one character inserted at the end of a ~2,000-character draft in each fixture editor;
//      measured by the page itself, from its own input listener to the first animation frame after the extension's
//      kizuki:updated event for that text (highlights are registered when the event fires; the frame paints them).
//  (b) cold start, in fresh profiles: browser launch → 「一応、でも、」 typed as soon as the page is ready → the first
//      phrase-rule underline (一応, needs no tokens) and the first token-rule underline (でも as a conjunction), both
//      at the next frame; plus the tokenizer-ready time reported by the engine host (offscreen document).
//  (c) memory: PSS of the page's renderer + the extension's processes with the extension, against the same page in a
//      browser launched without it (same run, same draft typed), and the whole browser both ways.
//  (d) CPU while idle: the whole browser's CPU time over 10 s in which the agent leaves a coached reply box alone,
//      against the same page without the extension (work that never stops, such as a frame loop, shows here).
//  (e) CPU while typing: the whole browser's CPU time while the agent types 40 characters at the end of the draft,
//      against the same keys without the extension (repaints the extension causes show here, not in (a)).
//
// Options: --fixture <name> (repeatable), --keys <n> (keystrokes per fixture, default 40), --cold <n> (fresh
// profiles, default 3), --ext <dir> (an unpacked e2e build to measure instead of building this tree's, e.g. an older
// commit's dist/chrome-e2e), --skip <keys|cold|memory|idle|typing> (repeatable), --page-after <ms> (cold start: open the
// page that long after launch, as a helpdesk that takes that long to load would be; default at once).
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { loadHarness } from '../scripts/start.mjs';
import { recordFrames, KeystrokeParts, overPeer } from './frames.mjs';

const args = process.argv.slice(2);
const option = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
const keystrokes = Number(option('--keys')[0] ?? 40);
const coldRuns = Number(option('--cold')[0] ?? 3);
const skip = new Set(option('--skip'));
/** Cold start: open the page this long after launch (a real helpdesk takes seconds to load; the fixture does not). */
const pageAfterMs = Number(option('--page-after')[0] ?? 0);

/** About 2,000 characters of a plausible support reply, in paragraphs, with a few things to flag. */
function draftOf(length) {
  const sentences = [
    'お問い合わせいただきありがとうございます。',
    'ご注文いただいた商品の配送状況について確認いたしました。',
    'でも、倉庫からの出荷が予定より遅れておりました。',
    '現在は配送業者に引き渡し済みで、明日の午前中にお届けの予定です。',
    'お届け先のご住所はこちらでよろしかったでしょうか。',
    'このサービスはどなたでもご利用いただけます。',
    '返品はできません。',
    'ご不明な点がございましたら、お気軽にお問い合わせください。',
  ];
  const paragraphs = [];
  let paragraph = '';
  let total = 0;
  for (let i = 0; total < length; i++) {
    const sentence = sentences[i % sentences.length];
    paragraph += sentence;
    total += sentence.length;
    if (i % 4 === 3) {
      paragraphs.push(paragraph);
      paragraph = '';
      total += 1;
    }
  }
  if (paragraph) paragraphs.push(paragraph);
  return paragraphs;
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: rank(0.5), p95: rank(0.95), max: sorted.at(-1) };
}
const ms = (v) => `${v.toFixed(1)} ms`.padStart(9);
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

async function launch(h, extDir) {
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'kizuki-bench-'));
  const launchedAt = Date.now();
  const extArgs = extDir ? [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`] : [];
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: h.chromiumPath,
    headless: true,
    args: [...chromiumArgs, ...extArgs],
    viewport: { width: 1100, height: 800 },
    locale: 'ja-JP',
  });
  return {
    context,
    profileDir,
    launchedAt,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Page side, before any page script: input times, and each kizuki:updated event with the frame that follows it. */

async function openPage(h, session, server, fixture) {
  const page = await session.context.newPage();
  await page.addInitScript(recordFrames);
  await page.goto(server.url(fixture));
  await page.waitForFunction(() => window.__fixture !== undefined);
  await h.focusEditor(page, fixture);
  return page;
}

/** The first recorded frame (after index `from`) for the editor's current text that satisfies `accept`. */
async function waitForFrame(h, page, from, accept, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await h.editorText(page);
    const frames = await page.evaluate((i) => window.__frames.slice(i), from);
    const hit = frames.find((f) => f.frameAt > 0 && f.text === text && accept(f));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no painted update matched within ${timeout} ms; last: ${JSON.stringify(frames.at(-1) ?? null)}`);
    await h.sleep(10);
  }
}

async function typeDraft(page, paragraphs) {
  for (const [i, p] of paragraphs.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.insertText(p);
  }
}

// (a) ------------------------------------------------------------------------------------------------------------
/**
 * Keystrokes on a 2,000-character draft. With the extension: input → the frame after the underlines were drawn. Without
 * it (the peer): input → the next frame, what the editor itself costs, measured the same way by the same page script.
 */
async function benchKeystrokes(h, session, server, fixture, paragraphs, withExtension = true) {
  const page = await openPage(h, session, server, fixture);
  await typeDraft(page, paragraphs);
  if (withExtension) await waitForFrame(h, page, 0, (f) => f.tokenizerReady && f.rules.length > 0, 60_000);
  const draftLength = (await h.editorText(page)).length;
  await h.sleep(500);
  const typed = 'ご確認のほどよろしくお願いいたします。本日中に改めてご連絡いたします。';
  const latencies = [];
  const editorAlone = [];
  const parts = new KeystrokeParts();
  for (let i = 0; i < keystrokes; i++) {
    const from = await page.evaluate(() => [window.__frames.length, window.__inputFrames.length]);
    await page.keyboard.insertText(typed[i % typed.length]);
    if (withExtension) {
      const f = await waitForFrame(h, page, from[0], () => true);
      latencies.push(f.frameAt - f.inputAt);
      parts.add(f);
    }
    await page.waitForFunction((n) => window.__inputFrames.length > n, from[1]);
    editorAlone.push(await page.evaluate((n) => window.__inputFrames[n], from[1]));
    await h.sleep(60); // keystrokes far enough apart that each gets its own analysis
  }
  await page.close();
  return { draftLength, latencies, editorAlone, parts };
}

// (b) ------------------------------------------------------------------------------------------------------------
async function coldStart(h, server, extDir) {
  const session = await launch(h, extDir);
  try {
    await h.sleep(Math.max(0, session.launchedAt + pageAfterMs - Date.now()));
    const page = await openPage(h, session, server, 'textarea');
    const pageReadyAt = await page.evaluate(() => performance.timeOrigin + performance.now());
    await page.keyboard.insertText('一応、でも、');
    const phrase = await waitForFrame(h, page, 0, (f) => f.rules.includes('ichiou'), 60_000);
    const token = await waitForFrame(h, page, 0, (f) => f.rules.includes('conjunction-demo-datte'), 60_000);
    const origin = await page.evaluate(() => performance.timeOrigin);
    const worker = session.context.serviceWorkers()[0] ?? (await session.context.waitForEvent('serviceworker'));
    const status = await worker.evaluate(() => chrome.runtime.sendMessage({ target: 'kizuki-engine', type: 'kizuki:host-status' })).catch(() => null);
    // The service worker's own marks (ms after launch), where the build has them.
    const marks = await worker
      .evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, performance.timeOrigin + m.startTime]))
      .catch(() => []);
    const workerMarks = { workerStart: Math.round((await worker.evaluate(() => performance.timeOrigin).catch(() => NaN)) - session.launchedAt) };
    for (const [name, t] of marks) workerMarks[name] ??= Math.round(t - session.launchedAt); // the first of each
    return {
      pageReady: pageReadyAt - session.launchedAt,
      phrase: origin + phrase.frameAt - session.launchedAt,
      token: origin + token.frameAt - session.launchedAt,
      // The first phrase underline's own split (the page's clock): typed → analysis asked → answer drawn → frame.
      phraseSplit: { asked: phrase.sinceInputMs - phrase.processingMs, answered: phrase.processingMs, toFrame: phrase.frameAt - phrase.eventAt },
      tokenizerMs: status?.tokenizerMs ?? NaN,
      timings: status?.timings,
      workerMarks,
    };
  } finally {
    await session.close();
  }
}

// (c) ------------------------------------------------------------------------------------------------------------
/** The processes of one Chromium (found by its profile dir) from /proc: pid, command line and role. */
function instanceProcesses(profileDir) {
  const procs = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      procs.set(Number(entry), { pid: Number(entry), ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  const browser = [...procs.values()].find((p) => p.cmdline.includes(`--user-data-dir=${profileDir}`) && !p.cmdline.includes('--type='));
  if (!browser) return null;
  const mine = new Set([browser.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs.values()) if (!mine.has(p.pid) && mine.has(p.ppid)) (mine.add(p.pid), (grew = true));
  }
  return [...mine].map((pid) => {
    const { cmdline } = procs.get(pid);
    const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser';
    return { pid, role: type === 'renderer' ? (cmdline.includes('--extension-process') ? 'extension' : 'page') : 'other' };
  });
}

/** PSS (kB) of one Chromium's processes, by role. */
function processMemory(profileDir) {
  const processes = instanceProcesses(profileDir);
  if (!processes) return null;
  const roles = {};
  for (const { pid, role } of processes) {
    try {
      const pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      roles[role] = (roles[role] ?? 0) + pss;
    } catch {
      // ended meanwhile
    }
  }
  return { page: roles.page ?? 0, extension: roles.extension ?? 0, total: (roles.page ?? 0) + (roles.extension ?? 0) + (roles.other ?? 0) };
}

/**
 * A fresh browser (with the extension if `extDir`) with `fixture` open and the draft typed (and analysed with
 * tokens), `settleMs` later: what `measure(session)` reads.
 */
async function withDraftTyped(h, server, extDir, fixture, paragraphs, settleMs, measure) {
  const session = await launch(h, extDir);
  try {
    const page = await openPage(h, session, server, fixture);
    await typeDraft(page, paragraphs);
    if (extDir) await waitForFrame(h, page, 0, (f) => f.tokenizerReady && f.rules.length > 0, 60_000);
    await h.sleep(settleMs);
    return await measure(session, page);
  } finally {
    await session.close();
  }
}

function memoryOf(h, server, extDir, paragraphs) {
  // 3 s: the dictionary load's garbage goes before /proc is read.
  return withDraftTyped(h, server, extDir, 'zendesk', paragraphs, 3000, (session) => processMemory(session.profileDir));
}

// (d) ------------------------------------------------------------------------------------------------------------
/** CPU time (ms, user + system) of one Chromium's processes so far. */
function cpuMsOf(profileDir) {
  const processes = instanceProcesses(profileDir);
  if (!processes) throw new Error('browser process not found in /proc');
  let ticks = 0;
  for (const { pid } of processes) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // ended meanwhile
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const IDLE_MS = 10_000;
/** The whole browser's CPU over IDLE_MS while the agent leaves a coached reply box alone (draft typed, tab visible). */
function idleCpuOf(h, server, extDir, fixture, paragraphs) {
  // 4 s: past the extension's frame watch after the last key, and the start's own work.
  return withDraftTyped(h, server, extDir, fixture, paragraphs, 4000, async (session) => {
    const before = cpuMsOf(session.profileDir);
    await h.sleep(IDLE_MS);
    return cpuMsOf(session.profileDir) - before;
  });
}

// (e) ------------------------------------------------------------------------------------------------------------
const TYPING_KEYS = 40;
const TYPING_GAP_MS = 150;
/**
 * The whole browser's CPU while the agent types TYPING_KEYS characters, one every TYPING_GAP_MS, at the end of the
 * draft: what the editor, the extension's analyses and every repaint they cause cost together.
 */
function typingCpuOf(h, server, extDir, fixture, paragraphs) {
  return withDraftTyped(h, server, extDir, fixture, paragraphs, 4000, async (session, page) => {
    const typed = 'ご確認のほどよろしくお願いいたします。本日中に改めてご連絡いたします。';
    const before = cpuMsOf(session.profileDir);
    for (let i = 0; i < TYPING_KEYS; i++) {
      await page.keyboard.insertText(typed[i % typed.length]);
      await h.sleep(TYPING_GAP_MS);
    }
    // The last key's analysis and frames.
    await h.sleep(500);
    return cpuMsOf(session.profileDir) - before;
  });
}

async function main() {
  const h = await loadHarness();
  if (!h.hasChromium) throw new Error(`Chromium not found at ${h.chromiumPath}`);
  const fixtures = option('--fixture').length ? option('--fixture') : ['textarea', 'contenteditable', 'zendesk', 'intercom'];
  await h.buildAll();
  const extDir = path.resolve(option('--ext')[0] ?? h.e2eExtensionDir);
  const server = await h.startFixtureServer(h.fixturesDir);
  const paragraphs = draftOf(2000);
  console.log(`extension: ${extDir}`);
  try {
    if (!skip.has('keys')) {
      const session = await launch(h, extDir);
      try {
        console.log(`\n(a) keystroke → underline painted (input event → next frame after kizuki:updated), ${keystrokes} keystrokes per fixture`);
        const all = [];
        for (const fixture of fixtures) {
          const r = await benchKeystrokes(h, session, server, fixture, paragraphs);
          const s = stats(r.latencies);
          all.push(...r.latencies);
          console.log(`  ${fixture.padEnd(16)} ${r.draftLength} chars  median${ms(s.median)}  p95${ms(s.p95)}  max${ms(s.max)}`);
          console.log(`    ${r.parts.summary(stats)}`);
        }
        const s = stats(all);
        console.log(`  ${'all'.padEnd(16)} ${String(all.length).padStart(4)} keys   median${ms(s.median)}  p95${ms(s.p95)}  max${ms(s.max)}`);
        // The peer in the same run: the same keystrokes in a browser without the extension, input → next frame.
        const peer = await launch(h, undefined);
        try {
          console.log('  peer, the same keystrokes without the extension (input → next frame: what the editor itself costs)');
          const alone = [];
          for (const fixture of fixtures) {
            const r = await benchKeystrokes(h, peer, server, fixture, paragraphs, false);
            const p = stats(r.editorAlone);
            alone.push(...r.editorAlone);
            console.log(`  ${fixture.padEnd(16)} ${r.draftLength} chars  median${ms(p.median)}  p95${ms(p.p95)}  max${ms(p.max)}`);
          }
          const p = stats(alone);
          console.log(`  ${'all'.padEnd(16)} ${String(alone.length).padStart(4)} keys   median${ms(p.median)}  p95${ms(p.p95)}  max${ms(p.max)}`);
          console.log(`  ${overPeer(s, p)}`);
        } finally {
          await peer.close();
        }
      } finally {
        await session.close();
      }
    }
    if (!skip.has('cold')) {
      console.log(`\n(b) cold start in ${coldRuns} fresh profiles: browser launch → ${pageAfterMs ? `page opened after ${pageAfterMs} ms → ` : ''}「一応、でも、」 typed at once → underline painted`);
      const runs = [];
      for (let i = 0; i < coldRuns; i++) {
        const r = await coldStart(h, server, extDir);
        runs.push(r);
        console.log(`  run ${i + 1}: page ready ${ms(r.pageReady)}, phrase rule (一応) ${ms(r.phrase)}, token rule (でも) ${ms(r.token)} (${ms(r.phrase - r.pageReady)} after page ready); tokenizer ready in the host ${ms(r.tokenizerMs)}`);
        const split = Object.entries(r.phraseSplit).map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toFixed(0) : '?'} ms`).join(', ');
        console.log(`         first phrase underline, from typing: ${split}`);
        if (r.timings) console.log(`         host steps (ms after host start): ${JSON.stringify(r.timings)}`);
        console.log(`         service worker (ms after launch): ${JSON.stringify(r.workerMarks)}`);
      }
      const med = (k) => stats(runs.map((r) => r[k])).median;
      const afterReady = stats(runs.map((r) => r.phrase - r.pageReady)).median;
      console.log(`  median: page ready ${ms(med('pageReady'))}, phrase rule ${ms(med('phrase'))}, token rule ${ms(med('token'))}, page ready → first underline ${ms(afterReady)}, tokenizer ready ${ms(med('tokenizerMs'))}`);
    }
    if (!skip.has('memory')) {
      console.log('\n(c) memory (PSS) with the zendesk fixture and the 2,000-character draft typed');
      const withExt = await memoryOf(h, server, extDir, paragraphs);
      const without = await memoryOf(h, server, undefined, paragraphs);
      if (!withExt || !without) throw new Error('browser process not found in /proc');
      console.log(`  with the extension:    page ${mb(withExt.page)} + extension ${mb(withExt.extension)} = ${mb(withExt.page + withExt.extension)}; whole browser ${mb(withExt.total)}`);
      console.log(`  without the extension: page ${mb(without.page)}; whole browser ${mb(without.total)}`);
      const added = withExt.page + withExt.extension - without.page;
      console.log(`  added by the extension: ${mb(added)} (page + extension processes; ×${((withExt.page + withExt.extension) / without.page).toFixed(2)}), whole browser +${mb(withExt.total - without.total)} (×${(withExt.total / without.total).toFixed(2)})`);
    }
    if (!skip.has('idle')) {
      console.log(`\n(d) CPU of the whole browser over ${IDLE_MS / 1000} s while the agent leaves the reply box alone (draft typed, tab visible)`);
      for (const fixture of ['textarea', 'zendesk']) {
        const withExt = await idleCpuOf(h, server, extDir, fixture, paragraphs);
        const without = await idleCpuOf(h, server, undefined, fixture, paragraphs);
        console.log(`  ${fixture.padEnd(16)} with the extension ${withExt} ms, without ${without} ms: ${withExt - without >= 0 ? '+' : ''}${withExt - without} ms (${((100 * (withExt - without)) / IDLE_MS).toFixed(1)} % of a core)`);
      }
    }
    if (!skip.has('typing')) {
      console.log(`\n(e) CPU of the whole browser while the agent types ${TYPING_KEYS} characters, one every ${TYPING_GAP_MS} ms, at the end of the draft`);
      for (const fixture of ['textarea', 'zendesk']) {
        const withExt = await typingCpuOf(h, server, extDir, fixture, paragraphs);
        const without = await typingCpuOf(h, server, undefined, fixture, paragraphs);
        console.log(`  ${fixture.padEnd(16)} with the extension ${withExt} ms, without ${without} ms: +${withExt - without} ms (${((withExt - without) / TYPING_KEYS).toFixed(1)} ms a keystroke; ×${(withExt / without).toFixed(2)})`);
      }
    }
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
