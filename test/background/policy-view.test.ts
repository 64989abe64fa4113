// The send check mode the content scripts follow, as the background derives it from the policy and the packs' status
// rows (the engine host reads each pack's `sendCheck`; the service worker parses no pack itself).
import { describe, expect, it } from 'vitest';
import { createEngine, loadPackText } from '../../src/engine/index';
import { buildConfiguration, emptySettings, memoryStore, SETTINGS_KEY, type AgentSettings } from '../../src/distribution/sources';
import { describeConfiguration } from '../../src/distribution/configuration';
import { policyView } from '../../src/background/policy-view';

const pack = (id: string, sendCheck?: string) => `id: ${id}\nname: ${id}\nversion: 1.0.0\n${sendCheck ? `sendCheck: ${sendCheck}\n` : ''}rules:\n  - { id: r, kind: phrase, category: c, severity: error, message: m, phrases: [無理です] }\n`;

async function viewFor(policy: unknown, settings: AgentSettings) {
  const store = memoryStore();
  await store.set(SETTINGS_KEY, settings);
  const config = await describeConfiguration(policy, store);
  const { rows, packs } = await buildConfiguration(config.sources, (text, file, baseSignals) => loadPackText(text, { file, baseSignals }), {
    settings: config.settings,
    managed: config.managed,
    loadBuiltin: () => loadPackText(pack('builtin', 'off'), { file: 'builtin' }),
  });
  expect(createEngine({ packs }).analyze({ draft: '無理です' }).findings.length).toBeGreaterThan(0);
  return policyView(config, rows);
}

describe('the send check mode', () => {
  const agentPacks = (...texts: string[]): AgentSettings => ({ ...emptySettings(), filePacks: texts.map((text, i) => ({ name: `p${i}.yaml`, text, addedAt: '2026-11-30T00:00:00Z' })) });

  it("follows the organisation's last pack that declares one, over the agent's packs; the built-in pack never decides", async () => {
    expect(await viewFor({ inlinePacks: [pack('org1', 'confirm'), pack('org2')] }, agentPacks(pack('mine', 'off')))).toMatchObject({ sendCheck: 'confirm', sendCheckFrom: 'pack:org1' });
    expect(await viewFor({ inlinePacks: [pack('org1')] }, agentPacks(pack('a', 'confirm'), pack('b', 'off')))).toMatchObject({ sendCheck: 'off', sendCheckFrom: 'pack:b' });
    expect(await viewFor({}, agentPacks(pack('plain')))).toMatchObject({ sendCheck: 'nudge', sendCheckFrom: 'default' });
  });

  it('follows the managed policy over any pack, and ignores a refused pack', async () => {
    expect(await viewFor({ sendCheck: 'off', inlinePacks: [pack('org1', 'confirm')] }, emptySettings())).toMatchObject({ sendCheck: 'off', sendCheckFrom: 'policy' });
    const refused = pack('bad', 'confirm').replace('phrases: [無理です]', 'phrases: []');
    expect(await viewFor({}, agentPacks(pack('ok', 'off'), refused))).toMatchObject({ sendCheck: 'off', sendCheckFrom: 'pack:ok' });
  });
});

it('describes the same configuration for the same storage, and another after a change', async () => {
  const store = memoryStore();
  const a = await describeConfiguration(undefined, store);
  expect((await describeConfiguration(undefined, store)).key).toBe(a.key);
  await store.set(SETTINGS_KEY, { ...emptySettings(), filePacks: [{ name: 'x.yaml', text: pack('x'), addedAt: '2026-11-30T00:00:00Z' }] });
  expect((await describeConfiguration(undefined, store)).key).not.toBe(a.key);
});
