import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { DEFAULT_MANAGED, parseManagedConfig } from '../../src/distribution/managed';
import { chromePolicyFile, firefoxPoliciesFile, googleAdminPolicy, policyFromConfiguration, TOGGLES_PACK_ID } from '../../src/distribution/policy';
import { loadPackText, stackPacks } from '../../src/engine/index';
import { builtinPack } from '../helpers';

const schema = JSON.parse(readFileSync(new URL('../../schema/managed.json', import.meta.url), 'utf8'));
const TEAM = 'id: team\nname: チーム\nversion: 1.0.0\nrules:\n  - { id: heisha, kind: phrase, category: house-style, severity: warning, message: 「{match}」→当社, phrases: [弊社], examples: { flag: [弊社です。] } }\n';

describe('the managed policy generated for the current configuration', () => {
  const policy = policyFromConfiguration(
    { ...DEFAULT_MANAGED, packs: [{ url: 'https://intranet.example/org.yaml' }] },
    {
      subscriptions: [{ url: 'https://intranet.example/team.yaml', sha256: 'a'.repeat(64), updateIntervalMinutes: 60 }],
      filePacks: [{ name: 'team.yaml', text: TEAM, addedAt: '2026-11-30T00:00:00Z' }],
      toggles: { rules: { 'builtin/naruhodo': { enabled: false }, 'builtin/ichiou': { severity: 'warning' } } },
    },
    () => undefined,
    { lockedPacks: ['team'], lockedRules: ['builtin/conjunction-demo-datte'], allowAgentPacks: false, allowAgentRuleToggles: true, updateIntervalMinutes: 120, includeToggles: true },
  );

  it('validates against schema/managed.json and reads back without a problem', () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(policy), JSON.stringify(validate.errors)).toBe(true);
    const { config, problems } = parseManagedConfig(policy);
    expect(problems).toEqual([]);
    expect(config.packs.map((p) => p.url)).toEqual(['https://intranet.example/org.yaml', 'https://intranet.example/team.yaml']);
    expect(config.locked).toEqual({ packs: ['team'], rules: ['builtin/conjunction-demo-datte'] });
    expect(config.allowAgentPacks).toBe(false);
  });

  it('carries the lead\'s rule switches as an override pack that loads and applies', async () => {
    const inline = policy.inlinePacks!;
    expect(inline[0]).toBe(TEAM);
    const toggles = await loadPackText(inline[1]!, { file: 'inline:2' });
    expect(toggles.ok).toBe(true);
    if (!toggles.ok) return;
    expect(toggles.pack.id).toBe(TOGGLES_PACK_ID);
    const stacked = stackPacks([await builtinPack(), toggles.pack]);
    const rule = (id: string) => stacked.packs[0]!.rules.find((r) => r.id === id)!;
    expect(rule('naruhodo').enabled).toBe(false);
    expect(rule('ichiou').severity).toBe('warning');
  });

  it('wraps the value as each browser takes it', () => {
    expect(JSON.parse(chromePolicyFile('abc', policy))['3rdparty'].extensions.abc).toEqual(policy);
    expect(JSON.parse(firefoxPoliciesFile('kizuki@kizuki.dev', policy)).policies['3rdparty'].Extensions['kizuki@kizuki.dev']).toEqual(policy);
    expect(JSON.parse(googleAdminPolicy(policy)).lockedRules).toEqual({ Value: ['builtin/conjunction-demo-datte'] });
  });
});
