// `npm run docs:options-screenshots`: the README's screenshots of the QA lead's console (options page) and of the
// team report. Drives the e2e build headless at 1,280 px and writes docs/screenshots/options-*.png: the pack list
// with a pasted pack refused at its line and column, the readable rules, the playground with underlines, the card and
// the checklist, the policy for IT, and a report merged from three agents' (made-up) CSV exports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../build.mjs';
import { loadBuiltHarness } from './start.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = (name) => path.join(root, 'docs/screenshots', `options-${name}.png`);

const TEAM = `id: support-team
name: サポートチームの表記
version: 1.2.0
overrides:
  - { rule: builtin/conjunction-desukara, severity: warning }
rules:
  - id: heisha
    kind: phrase
    category: house-style
    severity: warning
    message: 当チームでは「{match}」ではなく「当社」と書きます。
    description: お客様向けの文書では「当社」に統一しています（表記ガイド 3.1）。
    link: https://intranet.example.co.jp/style#heisha
    phrases: [弊社]
    suggestions: [当社]
    examples:
      flag: [弊社で確認いたします。]
      pass: [当社で確認いたします。]
`;
const BROKEN = `id: draft-rules
name: 作成中のルール
version: 0.1.0
rules:
  - id: kakunin
    kind: phrase
    category: house-style
    severity: strong
    message: 「{match}」
    phrases: [確認させて]
  - id: behind
    kind: phrase
    category: house-style
    severity: info
    message: 「{match}」は避けます
    regex: "(?<=ご)確認"
`;

const h = await loadBuiltHarness();
const session = await h.launch({ viewport: { width: 1280, height: 900 } });
try {
  const page = session.context.pages()[0] ?? (await session.context.newPage());
  await page.goto(`chrome-extension://${session.extensionId}/options.html`);
  await page.locator('[data-testid="packs"] tr[data-key="builtin"] td.status[data-status="active"]').waitFor();
  await page.locator('[data-testid="policy-pending"]').waitFor({ state: 'detached', timeout: 30_000 });
  // Section screenshots: the sticky page header would be painted over them.
  await page.addStyleTag({ content: '.top { position: static; }' });
  await page.locator('[data-testid="add-tab-paste"]').click();
  await page.locator('[data-testid="add-paste"]').fill(TEAM);
  await page.locator('[data-testid="add-paste-submit"]').click();
  await page.locator('[data-testid="packs"] tr[data-pack="support-team"]').waitFor();
  await page.locator('[data-testid="add-paste"]').fill(BROKEN);
  await page.locator('[data-testid="add-paste-submit"]').click();
  await page.locator('[data-testid="add-result"][data-status="refused"]').waitFor();
  // Wait for the page's tokenizer, so that token rules are titled by their own examples too.
  await page.locator('[data-testid="rule-list"] li[data-rule-item="builtin/conjunction-demo-datte"] .rule-title:has-text("でも、")').waitFor({ timeout: 30_000 });
  await page.locator('#packs').screenshot({ path: out('packs') });
  console.log('options-packs: the pack list, a pasted pack refused with its errors at line and column');

  await page.locator('[data-testid="rules-search"]').fill('当社');
  await page.locator('#rules').screenshot({ path: out('rules') });
  await page.locator('[data-testid="rules-search"]').fill('');
  console.log('options-rules: readable rules (Japanese severity, filled message, examples, changed by)');

  await page.locator('[data-testid="pg-customer"]').fill('注文した商品が届きません。何度も問い合わせているのですが。\n山田');
  await page.locator('[data-testid="pg-draft"]').fill('でも、弊社では返品はできません。');
  await page.locator('[data-testid="pg-mirror"] mark').first().waitFor();
  await page.locator('[data-testid="pg-draft"]').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.locator('[data-testid="pg-card"] .kizuki-card').waitFor();
  await page.locator('#playground').screenshot({ path: out('playground') });
  console.log('options-playground: underlines, the card at the caret, the checklist and each finding\'s pack');

  await page.locator('input[data-testid="policy-lock-pack"][data-pack="support-team"]').check();
  await page.locator('[data-testid="policy-lock-rules"]').fill('builtin/conjunction-demo-datte');
  await page.locator('#policy').screenshot({ path: out('policy') });
  console.log('options-policy: the managed policy for IT');

  // The team report from three made-up exports (counts only).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kizuki-shots-'));
  const rules = [['conjunction-demo-datte', 9, 0.5, 0.3], ['dekimasen', 14, 0.7, 0.1], ['ninarimasu-kochira', 11, 0.2, 0.6], ['missing-apology', 6, 0.8, 0.05], ['jargon-cache', 5, 0.3, 0.5], ['yoroshikatta', 4, 0.6, 0.2]];
  const files = [];
  for (let agent = 0; agent < 3; agent++) {
    const lines = ['week,pack,rule,fired,applied,ignored'];
    for (let w = 40; w <= 47; w++) {
      for (const [rule, base, apply, ignore] of rules) {
        const fired = Math.max(0, Math.round(base * (1 + 0.25 * Math.sin(w + agent)) - (w - 40) * 0.4));
        lines.push(`2026-W${w},builtin,${rule},${fired},${Math.round(fired * apply)},${Math.round(fired * ignore)}`);
      }
    }
    const file = path.join(dir, `export-${agent + 1}.csv`);
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    files.push(file);
  }
  const cli = path.join(root, 'dist/tools/cli.mjs');
  await build({ ...nodeBundleOptions, entryPoints: ['src/cli/main.ts'], outfile: cli, loader: { '.yaml': 'text' } });
  const { main } = await import(pathToFileURL(cli).href);
  const report = path.join(dir, 'report.html');
  await main(['stats', 'report', ...files, '-o', report]);
  const reportPage = await session.context.newPage();
  await reportPage.setViewportSize({ width: 1100, height: 1200 });
  await reportPage.goto(pathToFileURL(report).href);
  await reportPage.screenshot({ path: out('report'), fullPage: false });
  console.log('options-report: the team report merged from three CSV exports');
} finally {
  await session.close();
}
