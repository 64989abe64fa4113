// A QA lead's pack reaching an agent's browser through managed configuration: the policy's inline pack adds a
// house-style rule and lowers a built-in rule's severity, and the extension's engine picks both up without a reload.
// Chrome only lets OS policy write chrome.storage.managed, so the e2e build reads the same policy object from
// storage.local (E2E_MANAGED_KEY) when no real policy is set; parsing, layering and the engine path are the shipped ones.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  buildOncePerRun,
  fixturesDir,
  focusEditor,
  hasChromium,
  launch,
  openFixture,
  openPanel,
  tabIdOf,
  startFixtureServer,
  typeText,
  updateCount,
  waitForSettled,
  waitForUpdate,
  type FixtureServer,
  type Session,
  packStatus,
} from './harness';
import { LIMITS } from '../../src/engine/index';
import { BROKEN_PACK, EXPANSION_PACK, TEAM_PACK, WILDCARD_PACK } from './team-packs';

describe.skipIf(!hasChromium)('a pack pushed through managed configuration, in Chromium', () => {
  let session: Session;
  let server: FixtureServer;
  let extensionPage: Page;

  beforeAll(async () => {
    await buildOncePerRun();
    server = await startFixtureServer(fixturesDir);
    session = await launch();
    extensionPage = await session.context.newPage();
    await extensionPage.goto(`chrome-extension://${session.extensionId}/panel.html`);
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  const setPolicy = (policy: unknown) =>
    extensionPage.evaluate(async (value) => {
      type Local = { set(items: object): Promise<void>; get(key: string): Promise<Record<string, unknown>> };
      await (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local.set({ 'kizuki.e2e.managed': value });
    }, policy);

  it('flags the team rule, applies its override of a built-in rule, and refuses a broken pack without losing the rest', async () => {
    const page = await openFixture(session.context, server, 'textarea');
    await focusEditor(page, 'textarea');
    await typeText(page, 'でも、弊社で確認いたします。');
    const plain = await waitForSettled(page, (u) => u.findings.some((f) => f.category === 'forbidden-phrase'));
    expect(plain.findings.some((f) => f.category === 'house-style')).toBe(false);
    expect(plain.findings.find((f) => f.category === 'forbidden-phrase')!.severity).toBe('error');

    // A new policy reaches the draft on screen without an edit: what is shown follows the engine, not the last keystroke.
    await setPolicy({ inlinePacks: [TEAM_PACK, BROKEN_PACK] });
    const managed = await waitForSettled(page, (u) => u.findings.some((f) => f.category === 'house-style'));
    const heisha = managed.findings.find((f) => f.category === 'house-style')!;
    expect(heisha).toMatchObject({ rule: 'heisha', text: '弊社', severity: 'warning' });
    // The team lowered the built-in conjunction rule to a warning; it still fires.
    expect(managed.findings.find((f) => f.category === 'forbidden-phrase')!.severity).toBe('warning');

    // The panel says which pack each finding came from, and which pack changed a rule.
    const panel = await openPanel(session, await tabIdOf(session, page.url()));
    await expect.poll(() => panel.locator('[data-testid="findings"] li[data-rule="heisha"] [data-testid="finding-pack"]').textContent()).toContain('team');
    // A built-in rule is not named as such (issue 13: only other packs are), but the pack that changed it is.
    const changed = panel.locator('[data-testid="findings"] li[data-category="forbidden-phrase"] [data-testid="finding-pack"]');
    await expect.poll(() => changed.textContent()).toContain('team');
    expect(await changed.textContent()).not.toContain('builtin');
    await panel.close();
    await page.bringToFront();
    await focusEditor(page, 'textarea');
    await page.keyboard.press('End');

    // The status is stored once the host has answered the configure, which may follow the first findings by a moment.
    await expect.poll(async () => (await packStatus(extensionPage)).find((r) => r.packId === 'team')?.status ?? 'none', { timeout: 15_000 }).toBe('active');
    const rows = await packStatus(extensionPage);
    expect(rows.find((r) => r.key === 'builtin')).toMatchObject({ status: 'active', packId: 'builtin' });
    expect(rows.find((r) => r.packId === 'team')).toMatchObject({ status: 'active' });
    const broken = rows.find((r) => r.key === 'inline:2')!;
    expect(broken.status).toBe('refused');
    expect(broken.reason).toContain('never');

    // The options page lists the sources with their status, and its playground runs the current configuration.
    const options = await session.context.newPage();
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    await expect.poll(() => options.locator('[data-testid="packs"] tr[data-pack="team"] td.status').getAttribute('data-status')).toBe('active');
    const brokenRow = options.locator('[data-testid="packs"] tr[data-key="inline:2"]');
    expect(await brokenRow.locator('td.status').getAttribute('data-status')).toBe('refused');
    expect(await brokenRow.locator('[data-testid="reason"]').textContent()).toContain('never');
    await options.locator('[data-testid="pg-draft"]').fill('弊社では御社のご要望を承りました。');
    const pgHeisha = options.locator('[data-testid="pg-findings"] li[data-rule="heisha"][data-pack="team"]');
    await expect.poll(() => pgHeisha.count()).toBe(1);
    // A pack's message is text, never markup.
    const markup = options.locator('[data-testid="pg-findings"] li[data-rule="markup-in-message"]');
    await expect.poll(() => markup.textContent()).toContain('<b>太字</b>');
    expect(await markup.locator('b, img').count()).toBe(0);
    // Switching one rule off (the agent's toggle, layered last) removes its findings; the pack's other rules stay.
    await options.locator('tr[data-pack="team"] [data-testid="rules"] summary').click();
    await options.locator('input[data-rule="team/heisha"]').uncheck();
    await options.locator('[data-testid="pg-draft"]').fill('弊社では御社のご要望を承りました。明日ご連絡いたします。');
    await expect.poll(() => pgHeisha.count()).toBe(0);
    await expect.poll(() => markup.count()).toBe(1);
    await options.locator('input[data-rule="team/heisha"]').check();
    // A pack file tried in the playground runs on top of the configuration without being added to it.
    const trial = 'id: trial-pack\nname: 試作\nversion: 0.1.0\nrules:\n  - { id: uketamawari, kind: phrase, category: house-style, severity: info, message: 試作ルール, phrases: [承りました], examples: { flag: [承りました。] } }\n';
    await options.locator('[data-testid="pg-trial"]').setInputFiles({ name: 'trial.yaml', mimeType: 'text/yaml', buffer: Buffer.from(trial) });
    await expect.poll(() => options.locator('[data-testid="pg-findings"] li[data-pack="trial-pack"]').count()).toBe(1);
    expect(await options.locator('[data-testid="pg-trial-status"]').getAttribute('data-status')).toBe('active');
    expect(await options.locator('[data-testid="packs"] tr[data-pack="trial-pack"]').count()).toBe(0);
    await options.close();
    await page.bringToFront();

    // Taking the policy away restores the built-in behaviour, again without an edit.
    await setPolicy({});
    const restored = await waitForSettled(page, (u) => !u.findings.some((f) => f.category === 'house-style'));
    expect(restored.findings.find((f) => f.category === 'forbidden-phrase')!.severity).toBe('error');
  });

  it('a hostile pack is refused or harmless: coaching goes on in a long sentence and the options page stays usable', async () => {
    const page = await openFixture(session.context, server, 'textarea');
    await focusEditor(page, 'textarea');
    await setPolicy({ inlinePacks: [WILDCARD_PACK, EXPANSION_PACK] });
    // Polled on this policy's own rows: until they land, the previous test's rows (its broken pack was inline:2 too)
    // may still be stored.
    await expect.poll(async () => (await packStatus(extensionPage)).find((r) => r.packId === 'wildcards')?.status ?? 'none', { timeout: 20_000 }).toBe('active');
    const refused = (await packStatus(extensionPage)).find((r) => r.key === 'inline:2');
    expect(refused?.status).toBe('refused');
    expect(refused?.reason).toMatch(/bomb rules\[0\]\.replace\[0\]: 長すぎます/);

    // A 400-character sentence of the kind that froze the engine, then a conjunction the built-in pack flags.
    const long = 'のが'.repeat(197) + '存在';
    await page.locator('#reply').fill(long);
    const before = await updateCount(page);
    const typedAt = Date.now();
    await page.keyboard.press('End');
    await typeText(page, '。でも、確認いたします。');
    const update = await waitForSettled(page, (u) => u.text === long + '。でも、確認いたします。' && u.findings.some((f) => f.category === 'forbidden-phrase'));
    console.log(`hostile packs installed: the conjunction after a 400-character sentence was underlined ${Date.now() - typedAt} ms after typing began`);
    expect(update.findings.some((f) => f.rule === 'wild')).toBe(false);

    const options = await session.context.newPage();
    await options.goto(`chrome-extension://${session.extensionId}/options.html`);
    await expect.poll(() => options.locator('[data-testid="packs"] tr[data-pack="wildcards"] td.status').getAttribute('data-status')).toBe('active');
    await options.locator('[data-testid="pg-draft"]').fill(long + '。でも、確認いたします。');
    await expect.poll(() => options.locator('[data-testid="pg-findings"] li[data-rule="conjunction-demo-datte"]').count()).toBe(1);
    await options.close();
    await setPolicy({});
  });

  it('a draft over the size cap is coached up to the cap, and the panel says so', async () => {
    // Earlier tests' tabs show the same URL: close them, so the panel binds to this one.
    for (const old of session.context.pages()) if (old !== extensionPage) await old.close();
    const page = await openFixture(session.context, server, 'textarea');
    await focusEditor(page, 'textarea');
    // Just over the cap, with a conjunction at the start (coached) and one past the cap (not analysed).
    const filler = 'お問い合わせいただきありがとうございます。'.repeat(Math.ceil(LIMITS.maxDraftChars / 21));
    const draft = 'でも、' + filler + 'でも、確認いたします。';
    await page.locator('#reply').fill(draft);
    const update = await waitForSettled(page, (u) => u.text === draft);
    const spans = update.findings.filter((f) => f.scope === 'span');
    expect(spans.some((f) => f.start === 0 && f.text.startsWith('でも'))).toBe(true);
    expect(spans.every((f) => f.end <= LIMITS.maxDraftChars)).toBe(true);
    const panel = await openPanel(session, await tabIdOf(session, page.url()));
    await expect.poll(() => panel.locator('[data-testid="limits"]').textContent()).toContain(`最初の ${LIMITS.maxDraftChars.toLocaleString('en')} 文字だけを確認しました`);
    await panel.close();
  });

  it('downloads a pack from a subscribed URL named in the policy and uses it', async () => {
    const URL_PACK = TEAM_PACK.replace('id: team', 'id: url-team').replace('name: サポートチームの表記', 'name: URL で配布するパック');
    let requests = 0;
    const packServer: Server = createServer((req, res) => {
      requests++;
      if (req.url !== '/team.yaml') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/yaml; charset=utf-8', etag: '"v1"' }).end(URL_PACK);
    });
    await new Promise<void>((resolve) => packServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(packServer.address() as AddressInfo).port}/team.yaml`;
    try {
      const page = await openFixture(session.context, server, 'textarea');
      await focusEditor(page, 'textarea');
      await setPolicy({ packs: [{ url }] });
      await expect.poll(async () => (await packStatus(extensionPage)).find((r) => r.key === url)?.status ?? 'none', { timeout: 20_000 }).not.toBe('none');
      await typeText(page, '弊社で確認いたします。');
      const update = await waitForSettled(page, (u) => u.findings.some((f) => f.rule === 'heisha'));
      expect(update.findings.find((f) => f.rule === 'heisha')!.text).toBe('弊社');
      // The engine host answers with the pack before the background has stored the status rows it returned: the
      // options page reads them a moment later.
      await expect.poll(async () => (await packStatus(extensionPage)).find((r) => r.key === url), { timeout: 5_000 }).toMatchObject({ status: 'active', packId: 'url-team', version: '1.2.0' });
      expect(requests).toBeGreaterThanOrEqual(1);
    } finally {
      await setPolicy({});
      await new Promise((resolve) => packServer.close(resolve));
    }
  });
});
