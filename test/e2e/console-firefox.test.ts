// The console's managed policy, end to end in Firefox (Debian's firefox-esr): generated on the options page of one
// Firefox (with a pack the lead pasted, locked, and a locked rule), then given to a second Firefox as a real managed
// storage manifest (~/.mozilla/managed-storage/kizuki@kizuki.dev.json, as IT would), whose options page shows the
// pack from the policy, locked, with no switch, and whose playground runs its rule.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import Ajv from 'ajv';
import { buildOncePerRun, fixturesDir, repoRoot, startFixtureServer, type FixtureServer } from './harness';
import { heishaRule } from './team-packs';
import { firefoxPath, hasFirefox, launchFirefox, openExtensionPageInFirefox, openFixtureInFirefox, type FirefoxSession } from './firefox';

const TEAM = `id: lead-team
name: リードのチームパック
version: 1.0.0
rules:
${heishaRule()}`;

if (!hasFirefox) console.warn(`skipping the Firefox console test: no Firefox at ${firefoxPath}`);

describe.skipIf(!hasFirefox)('the console\'s managed policy in Firefox', () => {
  let server: FixtureServer;
  const sessions: FirefoxSession[] = [];

  beforeAll(async () => {
    await buildOncePerRun();
    server = await startFixtureServer(fixturesDir);
  });
  afterAll(async () => {
    for (const s of sessions) await s.close();
    await server?.close();
  });

  const text = (page: Page, selector: string) => page.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, selector);
  const attr = (page: Page, selector: string, name: string) => page.evaluate(([sel, a]) => document.querySelector(sel!)?.getAttribute(a!) ?? null, [selector, name]);
  const openOptions = async (session: FirefoxSession) => {
    const page = await openFixtureInFirefox(session.browser, server, 'textarea');
    return openExtensionPageInFirefox(session.browser, page, 'options');
  };

  it('generates a policy that validates against schema/managed.json and is read back from a managed storage manifest', async () => {
    const lead = await launchFirefox();
    sessions.push(lead);
    const options = await openOptions(lead);
    await options.waitForSelector('[data-testid="packs"] tr[data-key="builtin"] td.status[data-status="active"]');
    await options.click('[data-testid="add-tab-paste"]');
    await options.focus('[data-testid="add-paste"]');
    await options.evaluate((value) => {
      const area = document.querySelector<HTMLTextAreaElement>('[data-testid="add-paste"]')!;
      area.value = value;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, TEAM);
    await options.click('[data-testid="add-paste-submit"]');
    await expect.poll(() => attr(options, '[data-testid="add-result"]', 'data-status'), { timeout: 20_000 }).toBe('added');
    await expect.poll(() => attr(options, 'input[data-testid="policy-lock-pack"][data-pack="lead-team"]', 'data-pack')).toBe('lead-team');
    await options.click('input[data-testid="policy-lock-pack"][data-pack="lead-team"]');
    await options.evaluate(() => {
      const area = document.querySelector<HTMLTextAreaElement>('[data-testid="policy-lock-rules"]')!;
      area.value = 'builtin/conjunction-demo-datte';
      area.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await options.click('[data-testid="policy-tab-firefox-storage"]');
    await expect.poll(() => text(options, '[data-testid="policy-firefox-storage"]')).toContain('conjunction-demo-datte');
    expect(await attr(options, '[data-testid="policy-schema"]', 'data-valid')).toBe('true');
    const manifest = JSON.parse((await text(options, '[data-testid="policy-firefox-storage"]'))!);
    expect(manifest).toMatchObject({ name: 'kizuki@kizuki.dev', type: 'storage' });
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(path.join(repoRoot, 'schema/managed.json'), 'utf8')));
    expect(validate(manifest.data), JSON.stringify(validate.errors)).toBe(true);
    expect(manifest.data).toMatchObject({ inlinePacks: [TEAM], lockedPacks: ['lead-team'], lockedRules: ['builtin/conjunction-demo-datte'] });
    await lead.close();
    sessions.splice(sessions.indexOf(lead), 1);

    // An agent's Firefox with that policy as managed storage.
    const agent = await launchFirefox({ managed: manifest.data });
    sessions.push(agent);
    const agentOptions = await openOptions(agent);
    await expect.poll(() => attr(agentOptions, '[data-testid="packs"] tr[data-pack="lead-team"]', 'data-locked'), { timeout: 20_000 }).toBe('true');
    expect(await text(agentOptions, '[data-testid="packs"] tr[data-pack="lead-team"] td:nth-child(2)')).toBe('管理者（ポリシー）');
    expect(await agentOptions.$$eval('[data-testid="packs"] tr[data-pack="lead-team"] button[data-action="toggle"]', (b) => b.length)).toBe(0);
    const locked = '[data-testid="rule-list"] li[data-rule-item="builtin/conjunction-demo-datte"]';
    expect(await attr(agentOptions, locked, 'data-locked')).toBe('true');
    expect(await agentOptions.$$eval(`${locked} input`, (i) => i.length)).toBe(0);
    await agentOptions.focus('[data-testid="pg-draft"]');
    await agentOptions.keyboard.type('弊社で確認いたします。');
    await expect.poll(() => text(agentOptions, '[data-testid="pg-findings"] li[data-rule="heisha"][data-pack="lead-team"]'), { timeout: 20_000 }).toContain('当社');
    await expect.poll(() => agentOptions.$$eval('[data-testid="pg-mirror"] mark', (m) => m.map((x) => x.textContent))).toContain('弊社');
  });
});
