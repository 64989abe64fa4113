// The QA lead's console (options page) in Chromium, from a fresh profile: packs added by URL, by file and by paste
// (each checked at once; a bad pack refused with line and column and not added), removal, a locked pack and rule
// shown locked with no switch, the playground's underlines, card and checklist, the managed policy it generates
// accepted as managed configuration, and the team report from two CSV exports opened in the browser.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import Ajv from 'ajv';
import { buildOncePerRun, hasChromium, launch, packStatus, repoRoot, type Session } from './harness';
import { heishaRule, TEAM_PACK } from './team-packs';
import { main } from '../../src/cli/main';

const pack = (id: string, version = '1.0.0', extra = '') => `id: ${id}
name: ${id} のパック
version: ${version}
rules:
${heishaRule()}${extra}`;

/** Two schema errors (a severity that does not exist, a misspelt field): each refused at its line and column. */
const BAD_PACK = `id: bad
name: 壊れたパック
version: 1.0.0
rules:
  - id: loud
    kind: phrase
    category: house-style
    severity: loud
    message: m
    phrases: [弊社]
  - id: typo
    kind: phrase
    category: house-style
    severity: info
    message: m
    phrase: [御社]
`;

/** A look-behind regex (RE2 has none) and a failing example. */
const BEHIND_PACK = `id: behind
name: 後読みのパック
version: 1.0.0
rules:
  - id: behind
    kind: phrase
    category: house-style
    severity: info
    message: m
    regex: "(?<=弊)社"
`;

describe.skipIf(!hasChromium)('the QA lead\'s console in Chromium', () => {
  let session: Session;
  let options: Page;
  let packServer: Server;
  let served = pack('url-team', '1.0.0');
  let base: string;

  beforeAll(async () => {
    await buildOncePerRun();
    packServer = createServer((req, res) => {
      if (req.url !== '/team.yaml') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/yaml; charset=utf-8' }).end(served);
    });
    await new Promise<void>((resolve) => packServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(packServer.address() as AddressInfo).port}`;
    session = await launch({ viewport: { width: 1024, height: 900 } });
    options = await session.context.newPage();
  });

  afterAll(async () => {
    await session?.close();
    await new Promise((resolve) => packServer?.close(resolve));
  });

  const setPolicy = (policy: unknown) =>
    options.evaluate(async (value) => {
      type Local = { set(items: object): Promise<void> };
      await (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local.set({ 'kizuki.e2e.managed': value });
    }, policy);
  const row = (selector: string) => options.locator(`[data-testid="packs"] tr${selector}`);

  it('works from a fresh profile: packs and readable rules without any analysis, no raw template or English label, usable at 1,024 px', async () => {
    const t0 = Date.now();
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    const loaded = Date.now() - t0;
    await options.waitForFunction(() => document.querySelector('[data-testid="packs"] tr[data-key="builtin"] td.status[data-status="active"]'), undefined, { timeout: 30_000, polling: 20 });
    const inPage = await options.evaluate(() => Math.round(performance.now()));
    console.log(`console: page loaded ${loaded} ms after navigating; pack list shown ${Date.now() - t0} ms after navigating (${inPage} ms of the page's own clock) on a fresh profile; load average ${os.loadavg()[0]!.toFixed(1)}`);
    const rules = options.locator('[data-testid="rule-list"]');
    await expect.poll(() => rules.locator('li').count()).toBeGreaterThan(50);
    // Switches appear once the managed policy has been read (it could lock them).
    await expect.poll(() => options.locator('[data-testid="policy-pending"]').count(), { timeout: 30_000 }).toBe(0);
    // Once the page's tokenizer is in, token rules are titled by their own example too.
    await expect.poll(() => rules.locator('li[data-rule-item="builtin/conjunction-demo-datte"] .rule-title').textContent(), { timeout: 20_000 }).toContain('「でも、」');
    const text = (await options.locator('main').textContent())!;
    expect(text).not.toMatch(/\{match\}|\{signals\}|\{name\}/);
    expect(await rules.locator('.sev').allTextContents()).not.toContain('error');
    expect(new Set(await rules.locator('.sev').allTextContents())).toEqual(new Set(['要修正', '注意', '参考']));
    // The engine host stored the pack status with readable titles (the panel's rule names), though nothing was analysed.
    await expect.poll(async () => ((await packStatus(options)).find((r) => r.key === 'builtin') as { rules?: { id: string; title?: string }[] } | undefined)?.rules?.find((r) => r.id === 'conjunction-demo-datte')?.title, { timeout: 30_000 }).toContain('「でも、」');
    // Nothing wider than the window.
    expect(await options.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    // The search box filters by the readable text.
    const all = await rules.locator('li').count();
    await options.locator('[data-testid="rules-search"]').fill('でも、');
    await expect.poll(() => rules.locator('li').count()).toBeLessThan(Math.min(10, all));
    for (const shown of await rules.locator('li').allTextContents()) expect(shown).toContain('でも');
    await options.locator('[data-testid="rules-search"]').fill('');
    await expect.poll(() => rules.locator('li').count()).toBe(all);
  });

  it('adds a pack by paste, by file and by URL, each checked at once; refuses a bad pack at its line and column', async () => {
    // Paste.
    await options.locator('[data-testid="add-tab-paste"]').click();
    await options.locator('[data-testid="add-paste"]').fill(pack('pasted'));
    await options.locator('[data-testid="add-paste-submit"]').click();
    await expect.poll(() => options.locator('[data-testid="add-result"]').getAttribute('data-status')).toBe('added');
    await expect.poll(() => row('[data-pack="pasted"] td.status').getAttribute('data-status')).toBe('active');

    // A bad pack: refused at once, every error at its line and column, not added.
    const t0 = Date.now();
    await options.locator('[data-testid="add-paste"]').fill(BAD_PACK);
    await options.locator('[data-testid="add-paste-submit"]').click();
    await expect.poll(() => options.locator('[data-testid="add-result"]').getAttribute('data-status')).toBe('refused');
    console.log(`console: a bad pack refused ${Date.now() - t0} ms after 確認して追加`);
    const errors = options.locator('[data-testid="add-errors"] li');
    const located = await errors.evaluateAll((items) => items.map((li) => [li.getAttribute('data-line'), li.getAttribute('data-column'), li.textContent]));
    expect(located).toEqual([
      ['8', '15', expect.stringMatching(/^8 行 15 列・ルール loud（rules\[0\]\.severity）/)],
      ['16', '5', expect.stringMatching(/^16 行 5 列・ルール typo（rules\[1\]\.phrase）/)],
    ]);
    expect(await options.locator('[data-testid="add-result"] [data-testid="source"] li.has-error').count()).toBe(2);
    expect(await row('[data-pack="bad"]').count()).toBe(0);
    // A look-behind regex is refused at the regex.
    await options.locator('[data-testid="add-paste"]').fill(BEHIND_PACK);
    await options.locator('[data-testid="add-paste-submit"]').click();
    await expect.poll(() => options.locator('[data-testid="add-errors"] li').first().textContent()).toMatch(/^10 行 12 列・ルール behind.*後読み/);
    // A YAML syntax error has its position too.
    await options.locator('[data-testid="add-paste"]').fill('id: x\nname: y\nrules:\n\t- id: z\n');
    await options.locator('[data-testid="add-paste-submit"]').click();
    await expect.poll(() => options.locator('[data-testid="add-errors"] li').first().textContent()).toMatch(/^4 行 1 列: 字下げにタブは使えません/);

    // File.
    await options.locator('[data-testid="add-tab-file"]').click();
    await options.locator('[data-testid="import"]').setInputFiles({ name: 'team-file.yaml', mimeType: 'text/yaml', buffer: Buffer.from(pack('from-file')) });
    await expect.poll(() => options.locator('[data-testid="add-result"]').getAttribute('data-status')).toBe('added');
    await expect.poll(() => row('[data-pack="from-file"] td.status').getAttribute('data-status')).toBe('active');

    // URL, with an update interval; then a new version on the server, checked now, with its diff.
    await options.locator('[data-testid="add-tab-url"]').click();
    await options.locator('[data-testid="add-url"]').fill(`${base}/team.yaml`);
    await options.locator('[data-testid="add-interval"]').selectOption('60');
    await options.locator('[data-testid="add-url-submit"]').click();
    await expect.poll(() => options.locator('[data-testid="add-result"]').getAttribute('data-status')).toBe('added');
    const urlRow = row(`[data-key="${base}/team.yaml"]`);
    await expect.poll(() => urlRow.locator('td.status').getAttribute('data-status')).toBe('active');
    const settings = await options.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('kizuki.settings'))['kizuki.settings']);
    expect(settings.subscriptions).toEqual([{ url: `${base}/team.yaml`, updateIntervalMinutes: 60 }]);
    served = pack('url-team', '1.1.0', '  - { id: onsha, kind: phrase, category: house-style, severity: info, message: "「{match}」は社外向けではありません", phrases: [御社], examples: { flag: [御社の件] } }\n');
    await urlRow.locator('button[data-action="update"]').click();
    await expect.poll(() => urlRow.locator('[data-testid="update-status"]').textContent(), { timeout: 30_000 }).toMatch(/確認しました|できませんでした/);
    expect(await urlRow.locator('[data-testid="update-status"]').textContent()).toContain('確認しました');
    await expect.poll(() => urlRow.locator('td').nth(2).textContent()).toBe('1.1.0');
    await urlRow.locator('button[data-action="diff"]').click();
    expect(await urlRow.locator('[data-testid="diff"] li[data-kind="added"]').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('1.1.0'), expect.stringContaining('onsha')]));

    // A URL serving a bad pack is not added.
    served = BEHIND_PACK;
    await options.locator('[data-testid="add-url"]').fill(`${base}/team.yaml?again`);
    await options.locator('[data-testid="add-url-submit"]').click();
    await expect.poll(() => options.locator('[data-testid="add-result"]').getAttribute('data-status')).toBe('refused');
  });

  it('removes the agent\'s own packs', async () => {
    const fileRow = row('[data-pack="from-file"]');
    await fileRow.locator('button[data-action="remove"]').click();
    await fileRow.locator('button[data-action="remove-confirm"]').click();
    await expect.poll(() => fileRow.count()).toBe(0);
    const urlRow = row(`[data-key="${base}/team.yaml"]`);
    await urlRow.locator('button[data-action="remove"]').click();
    await urlRow.locator('button[data-action="remove-confirm"]').click();
    await expect.poll(() => urlRow.count()).toBe(0);
    expect(await row('[data-pack="pasted"]').count()).toBe(1);
    expect(await row('[data-key="builtin"] button[data-action="remove"]').count()).toBe(0);
  });

  it('shows a locked pack and a locked rule with a lock and no switch', async () => {
    await setPolicy({ inlinePacks: [TEAM_PACK], lockedPacks: ['team'], lockedRules: ['builtin/conjunction-demo-datte'] });
    await expect.poll(() => row('[data-pack="team"]').getAttribute('data-locked')).toBe('true');
    const team = row('[data-pack="team"]');
    expect(await team.locator('[data-testid="pack-lock"]').count()).toBe(1);
    expect(await team.locator('button[data-action="toggle"]').count()).toBe(0);
    const locked = options.locator('[data-testid="rule-list"] li[data-rule-item="builtin/conjunction-demo-datte"]');
    await expect.poll(() => locked.getAttribute('data-locked')).toBe('true');
    expect(await locked.locator('input[type="checkbox"]').count()).toBe(0);
    expect(await locked.locator('[data-testid="lock"]').count()).toBe(1);
    // A rule of the locked pack has no switch either; an unlocked built-in rule has one.
    expect(await options.locator('[data-testid="rule-list"] li[data-rule-item="team/heisha"] input').count()).toBe(0);
    expect(await options.locator('[data-testid="rule-list"] li[data-rule-item="builtin/dekimasen"] input[type="checkbox"]').count()).toBe(1);
    // The team's override of the built-in rule is shown as a change by that pack.
    expect(await locked.locator('[data-testid="changed-by"]').textContent()).toContain('サポートチームの表記');
    await setPolicy({});
  });

  it('the playground underlines the draft, opens the real card at the caret and shows the checklist and each finding\'s pack', async () => {
    await options.locator('[data-testid="pg-customer"]').fill('注文した商品が届きません。何度も問い合わせています。\n山田');
    await options.locator('[data-testid="pg-draft"]').fill('でも、弊社では返品はできません。');
    const marks = options.locator('[data-testid="pg-mirror"] mark');
    await expect.poll(() => marks.count()).toBeGreaterThanOrEqual(3);
    expect(await marks.first().evaluate((m) => [m.getAttribute('data-start'), m.textContent])).toEqual(['0', 'でも、']);
    // The mark lies exactly under the textarea's text: same box, same first glyph position.
    const [markBox, areaBox] = [await marks.first().boundingBox(), await options.locator('[data-testid="pg-draft"]').boundingBox()];
    expect(Math.abs(markBox!.x - areaBox!.x - 11)).toBeLessThanOrEqual(2);
    expect(await options.locator('[data-testid="pg-checklist"] li[data-rule="missing-apology"]').getAttribute('data-state')).toBe('missing');
    expect(await options.locator('[data-testid="pg-checklist"] li[data-rule="missing-apology"]').textContent()).toContain('届きません');
    await expect.poll(() => options.locator('[data-testid="pg-findings"] li[data-rule="heisha"][data-pack="pasted"] [data-testid="pg-finding-pack"]').textContent()).toContain('pasted のパック');
    // The caret in 「でも」: the card (renderCard from the content script) opens; its first suggestion applies.
    await options.locator('[data-testid="pg-draft"]').focus();
    await options.keyboard.press('Home');
    await options.keyboard.press('ArrowRight');
    const card = options.locator('[data-testid="pg-card"] .kizuki-card');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.locator('.kizuki-severity').first().textContent()).toBe('要修正');
    await card.locator('button[data-suggestion-index="0"]').first().click();
    await expect.poll(() => options.locator('[data-testid="pg-draft"]').inputValue()).toBe('弊社では返品はできません。');
  });

  it('generates the managed policy for this configuration: valid against schema/managed.json and accepted as managed configuration', async () => {
    await options.locator('input[data-testid="policy-lock-pack"][data-pack="pasted"]').check();
    await options.locator('[data-testid="policy-lock-rules"]').fill('builtin/naruhodo');
    expect(await options.locator('[data-testid="policy-schema"]').getAttribute('data-valid')).toBe('true');
    const chrome = JSON.parse((await options.locator('[data-testid="policy-chrome"]').textContent())!);
    const value = chrome['3rdparty'].extensions[session.extensionId];
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schema/managed.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    expect(value).toMatchObject({ lockedPacks: ['pasted'], lockedRules: ['builtin/naruhodo'], allowAgentPacks: true });
    await options.locator('[data-testid="policy-tab-firefox"]').click();
    const firefox = JSON.parse((await options.locator('[data-testid="policy-firefox"]').textContent())!);
    expect(firefox.policies['3rdparty'].Extensions['kizuki@kizuki.dev']).toEqual(value);

    // Read back by the extension as managed configuration (the e2e build's storage.local stand-in), with the
    // agent's own pack removed: the policy now carries it, locked.
    await options.locator('[data-testid="packs"] tr[data-pack="pasted"] button[data-action="remove"]').click();
    await options.locator('[data-testid="packs"] tr[data-pack="pasted"] button[data-action="remove-confirm"]').click();
    await setPolicy(value);
    await expect.poll(() => row('[data-pack="pasted"] td').nth(1).textContent()).toBe('管理者（ポリシー）');
    expect(await row('[data-pack="pasted"]').getAttribute('data-locked')).toBe('true');
    await expect.poll(() => options.locator('[data-testid="rule-list"] li[data-rule-item="builtin/naruhodo"]').getAttribute('data-locked')).toBe('true');
    await options.locator('[data-testid="pg-draft"]').fill('弊社で確認いたします。');
    await expect.poll(() => options.locator('[data-testid="pg-findings"] li[data-rule="heisha"][data-pack="pasted"]').count()).toBe(1);
    await setPolicy({});
  });

  it('merges two agents\' CSV exports into one report that opens in the browser', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kizuki-report-e2e-'));
    writeFileSync(path.join(dir, 'a.csv'), 'week,pack,rule,fired,applied,ignored\r\n2026-W46,builtin,conjunction-demo-datte,5,1,3\r\n2026-W47,builtin,dekimasen,4,3,0\r\n');
    writeFileSync(path.join(dir, 'b.csv'), 'week,pack,rule,fired,applied,ignored\r\n2026-W46,builtin,conjunction-demo-datte,3,0,3\r\n2026-W48,builtin,missing-apology,2,2,0\r\n');
    const out = path.join(dir, 'report.html');
    const io = { stdout: () => {}, stderr: () => {}, readStdin: async () => new Uint8Array(), isTTY: false };
    expect(await main(['stats', 'report', path.join(dir, 'a.csv'), path.join(dir, 'b.csv'), '-o', out], io)).toBe(0);
    const page = await session.context.newPage();
    await page.goto(pathToFileURL(out).href);
    expect(await page.locator('[data-total="fired"]').textContent()).toBe('14');
    const ignored = page.locator('[data-section="most-ignored"] tr[data-rule]').first();
    expect(await ignored.getAttribute('data-rule')).toBe('builtin/conjunction-demo-datte');
    expect(await ignored.locator('.title').textContent()).toContain('「でも、」');
    expect(await page.locator('[data-section="weeks"] tbody tr').count()).toBe(3);
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(3);
    expect(await page.locator('script').count()).toBe(0);
    await page.close();
  });
});
