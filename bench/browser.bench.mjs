// `npm run bench:browser`: keystroke-to-underline latency on a 2,000-character draft in each fixture editor, with
// the extension loaded in headless Chromium, and the memory of the extension's and the pages' processes.
//
// Per keystroke (one character inserted at the end of the draft, then a wait for the extension's update):
//   processing = the extension's own figure: handler start after the debounce → highlights set (detail.processingMs)
//   total      = the extension's figure: last input event → highlights set, debounce included (detail.sinceInputMs)
//   page total = measured by the page itself: its own input listener → the kizuki:updated event arriving
// Options: --fixture <name> (repeatable), --keys <n> (keystrokes per fixture, default 40).
import { readFileSync, readdirSync } from 'node:fs';
import { loadHarness } from '../scripts/start.mjs';

const args = process.argv.slice(2);
const option = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
const keystrokes = Number(option('--keys')[0] ?? 40);

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

/** Processes of one Chromium (found by its profile dir) with RSS and PSS from /proc, grouped by role. */
function processMemory(profileDir) {
  const procs = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Chromium's children rewrite their title, so cmdline may be one space-separated string: search it whole.
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
  const groups = {};
  for (const pid of mine) {
    const { cmdline } = procs.get(pid);
    const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser';
    const role = type === 'renderer' ? (cmdline.includes('--extension-process') ? 'extension renderer' : 'page renderer') : type;
    let rss = 0;
    let pss = 0;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss = Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pss = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      continue;
    }
    const g = (groups[role] ??= { count: 0, rssKb: 0, pssKb: 0 });
    g.count++;
    g.rssKb += rss;
    g.pssKb += pss;
  }
  return groups;
}

function printMemory(title, groups) {
  console.log(`\n${title}`);
  if (!groups) return console.log('  (browser process not found)');
  for (const [role, g] of Object.entries(groups).sort()) {
    console.log(`  ${role.padEnd(20)} ${String(g.count).padStart(2)} proc  RSS ${(g.rssKb / 1024).toFixed(0).padStart(5)} MB  PSS ${(g.pssKb / 1024).toFixed(0).padStart(5)} MB`);
  }
}

async function benchFixture(h, session, server, fixture, paragraphs) {
  const page = await h.openFixture(session.context, server, fixture);
  await h.focusEditor(page, fixture);
  for (const [i, p] of paragraphs.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.insertText(p);
  }
  const draftLength = (await h.editorText(page)).length;
  // The first full analysis (cold sentence cache) is reported separately from keystrokes.
  const first = await h.waitForUpdate(page, 0, (u) => u.findings.length > 0, 60_000);
  await h.sleep(500);
  const typed = 'ご確認のほどよろしくお願いいたします。本日中に改めてご連絡いたします。';
  const rows = [];
  let last = first;
  for (let i = 0; i < keystrokes; i++) {
    const before = await h.updateCount(page);
    await page.keyboard.insertText(typed[i % typed.length]);
    const u = await h.waitForUpdate(page, before, () => true, 30_000);
    last = u;
    const lastInput = await page.evaluate(() => window.__lastInputAt ?? 0);
    rows.push({ processing: u.processingMs, total: u.sinceInputMs, pageTotal: u.receivedAt - lastInput });
    // Keystrokes far enough apart that each gets its own analysis.
    await h.sleep(60);
  }
  // Findings on the final draft (the first full analysis may have run before the tokenizer was ready).
  return { page, draftLength, first, rows, findings: last.findings.length };
}

async function main() {
  const h = await loadHarness();
  if (!h.hasChromium) throw new Error(`Chromium not found at ${h.chromiumPath}`);
  const fixtures = option('--fixture').length ? option('--fixture') : ['textarea', 'contenteditable', 'zendesk', 'intercom'];
  await h.buildAll();
  const server = await h.startFixtureServer(h.fixturesDir);
  const session = await h.launch();
  const paragraphs = draftOf(2000);
  try {
    console.log(`Chromium ${session.context.browser()?.version() ?? ''}, ${keystrokes} keystrokes per fixture, one at a time at the end of the draft`);
    const all = { processing: [], total: [], pageTotal: [] };
    for (const [index, fixture] of fixtures.entries()) {
      const r = await benchFixture(h, session, server, fixture, paragraphs);
      const s = { processing: stats(r.rows.map((x) => x.processing)), total: stats(r.rows.map((x) => x.total)), pageTotal: stats(r.rows.map((x) => x.pageTotal)) };
      for (const k of Object.keys(all)) all[k].push(...r.rows.map((x) => x[k]));
      console.log(`\n${fixture}: ${r.draftLength}-char draft, ${r.findings} findings; first full analysis ${r.first.processingMs.toFixed(1)} ms processing`);
      console.log(`  processing (input → highlights, no debounce)   median${ms(s.processing.median)}  p95${ms(s.processing.p95)}  max${ms(s.processing.max)}`);
      console.log(`  total (last input → highlights, extension)     median${ms(s.total.median)}  p95${ms(s.total.p95)}  max${ms(s.total.max)}`);
      console.log(`  total (input → update event, page clock)       median${ms(s.pageTotal.median)}  p95${ms(s.pageTotal.p95)}  max${ms(s.pageTotal.max)}`);
      if (index === 0) printMemory('memory with 1 fixture tab open:', processMemory(session.profileDir));
    }
    const s = { processing: stats(all.processing), total: stats(all.total), pageTotal: stats(all.pageTotal) };
    console.log(`\nall fixtures (${all.processing.length} keystrokes): processing p95 ${s.processing.p95.toFixed(1)} ms (target ≤ 30), total p95 ${s.total.p95.toFixed(1)} ms (target ≤ 250), page-clock total p95 ${s.pageTotal.p95.toFixed(1)} ms`);
    printMemory(`memory with ${fixtures.length} fixture tabs open:`, processMemory(session.profileDir));
  } finally {
    await session.close();
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
