import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEngine, loadPackText } from '../../src/engine/index';
import { parseManagedConfig } from '../../src/distribution/managed';
import { buildConfiguration, collectSources, emptySettings, memoryStore, refreshSubscriptions, SUBSCRIPTIONS_KEY, type AgentSettings } from '../../src/distribution/sources';
import { exportConfiguration, importFile } from '../../src/distribution/config-file';

const BUILTIN = `id: builtin
name: 標準
version: 1.0.0
signals: [{ id: complaint, label: 苦情, phrases: [届きません] }]
rules:
  - { id: muri, kind: phrase, category: negative-expression, severity: error, message: 無理, phrases: [無理です] }
  - { id: ryokai, kind: phrase, category: keigo, severity: warning, message: 了解, phrases: [了解しました] }
`;
const ORG_INLINE = `id: org
name: 組織
version: 1.0.0
overrides: [{ rule: builtin/ryokai, severity: error }]
rules:
  - id: apology
    kind: requirement
    category: missing-apology
    severity: warning
    label: お詫び
    message: お詫びがありません
    when: { any: [complaint] }
    require: [{ phrases: [申し訳] }]
`;
const load = (text: string, file: string, baseSignals: import('../../src/engine/index').CompiledSignal[]) => loadPackText(text, { file, baseSignals });

describe('managed configuration', () => {
  it('reads the policy, dropping bad entries with a reason and keeping the rest', () => {
    const { config, problems } = parseManagedConfig({
      packs: [{ url: 'https://example.invalid/team.yaml', sha256: 'AB'.repeat(32) }, { url: 'not a url' }, { url: 'https://x.invalid/p.yaml', sha256: 'short' }, 'https://example.invalid/b.yaml'],
      inlinePacks: [ORG_INLINE, 42],
      lockedRules: ['builtin/muri'],
      allowAgentPacks: 'no',
      updateIntervalMinutes: 1,
      colour: 'blue',
    });
    expect(config.packs).toEqual([{ url: 'https://example.invalid/team.yaml', sha256: 'ab'.repeat(32) }, { url: 'https://example.invalid/b.yaml' }]);
    expect(config.inlinePacks).toEqual([ORG_INLINE]);
    expect(config.locked.rules).toEqual(['builtin/muri']);
    expect(config.allowAgentPacks).toBe(true);
    expect(config.updateIntervalMinutes).toBe(15);
    expect(problems).toEqual([
      '管理者設定の「colour」は不明な項目です（無視しました）',
      '管理者設定の「allowAgentPacks」は true か false です',
      'packs[1]: URL として読めません: not a url',
      'packs[2]: sha256 は 64 桁の 16 進数です（このパックは使いません）',
      'inlinePacks[1]: パックの YAML/JSON（文字列）が必要です',
    ]);
    expect(parseManagedConfig('nonsense').problems).toHaveLength(1);
    expect(parseManagedConfig(undefined).problems).toEqual([]);
  });

  it('schema/managed.json describes every key the parser reads', () => {
    const schema = JSON.parse(readFileSync('schema/managed.json', 'utf8'));
    const keys = Object.keys(schema.properties).sort();
    const { problems } = parseManagedConfig(Object.fromEntries(keys.map((k) => [k, undefined])));
    expect(problems).toEqual([]);
    expect(keys).toEqual(['allowAgentPacks', 'allowAgentRuleToggles', 'developerMode', 'disableBuiltin', 'inlinePacks', 'lockedPacks', 'lockedRules', 'packs', 'sendCheck', 'updateIntervalMinutes']);
  });
});

describe('effective configuration from managed policy, subscriptions and agent settings', () => {
  it('stacks built-in → inline → URL packs → agent packs, and an inline pack rule fires with its overrides applied', async () => {
    const { config: managed } = parseManagedConfig({ inlinePacks: [ORG_INLINE], lockedRules: ['builtin/ryokai'] });
    const settings: AgentSettings = { ...emptySettings(), toggles: { rules: { 'builtin/ryokai': { enabled: false }, 'builtin/muri': { enabled: false } } } };
    const sources = collectSources({ text: BUILTIN }, managed, settings, {});
    const { packs, rows, issues } = await buildConfiguration(sources, load, { settings, managed });
    expect(rows.map((r) => [r.origin, r.packId, r.status])).toEqual([['builtin', 'builtin', 'active'], ['managed-inline', 'org', 'active']]);
    const engine = createEngine({ packs });
    const result = engine.analyze({ draft: '了解しました。無理です。', customer: '荷物が届きません' });
    // ryokai is locked (the agent's toggle is refused) and raised to error by org; muri was switched off by the agent.
    expect(result.findings.map((f) => [f.rule, f.severity, f.overriddenBy])).toEqual([['ryokai', 'error', ['org']], ['apology', 'warning', undefined]]);
    expect(issues).toEqual([expect.objectContaining({ pack: '@agent', rule: 'builtin/ryokai' })]);
  });

  it('an invalid inline pack is listed as refused with its reason; the others still apply', async () => {
    const { config: managed } = parseManagedConfig({ inlinePacks: ['id: broken\nname: x\nversion: 1.0.0\nrules: [{ id: a }]\n', ORG_INLINE] });
    const { packs, rows } = await buildConfiguration(collectSources({ text: BUILTIN }, managed, emptySettings(), {}), load, { settings: emptySettings(), managed });
    expect(rows[1]).toMatchObject({ key: 'inline:1', status: 'refused', reason: expect.stringContaining('rules[0]') });
    expect(packs.map((p) => p.id)).toEqual(['builtin', 'org']);
  });

  it('agent packs are refused when the policy does not allow them, and switched-off packs are shown as disabled', async () => {
    const settings: AgentSettings = { ...emptySettings(), filePacks: [{ name: 'mine.yaml', text: ORG_INLINE.replace('id: org', 'id: mine'), addedAt: '2026-11-01T00:00:00.000Z' }] };
    const blocked = parseManagedConfig({ allowAgentPacks: false }).config;
    const a = await buildConfiguration(collectSources({ text: BUILTIN }, blocked, settings, {}), load, { settings, managed: blocked });
    expect(a.rows[1]).toMatchObject({ origin: 'agent-file', status: 'refused', reason: expect.stringContaining('個人で追加したパック') });
    const open = parseManagedConfig({}).config;
    const off = { ...settings, toggles: { disabledPacks: ['mine'] } };
    const b = await buildConfiguration(collectSources({ text: BUILTIN }, open, off, {}), load, { settings: off, managed: open });
    expect(b.rows[1]).toMatchObject({ packId: 'mine', status: 'disabled', lastUpdate: '2026-11-01T00:00:00.000Z' });
    expect(createEngine({ packs: b.packs }).analyze({ draft: 'はい', customer: '届きません' }).findings).toEqual([]);
  });

  it('URL subscriptions come from storage; a URL never downloaded is pending, and a refusal with no good version is not loaded', async () => {
    const { config: managed } = parseManagedConfig({ packs: [{ url: 'https://example.invalid/team.yaml' }] });
    const store = memoryStore();
    // The fetch given here fails like a network that cannot reach the host; no request leaves the machine.
    const states = await refreshSubscriptions(store, managed, { fetch: async () => { throw new TypeError('fetch failed'); }, validate: async () => { throw new Error('unused'); } });
    expect(states['https://example.invalid/team.yaml']).toMatchObject({ status: 'refused', reason: 'ダウンロードできません: fetch failed' });
    expect(await store.get(SUBSCRIPTIONS_KEY)).toEqual(states);
    const { rows } = await buildConfiguration(collectSources(null, managed, emptySettings(), states), load, { settings: emptySettings(), managed });
    expect(rows).toEqual([expect.objectContaining({ origin: 'managed-url', status: 'refused' })]);
    const pending = await buildConfiguration(collectSources(null, managed, emptySettings(), {}), load, { settings: emptySettings(), managed });
    expect(pending.rows[0]!.status).toBe('pending');
  });

  it("compiles the built-in pack from the host's own copy when the description carries no text, and says so when there is none", async () => {
    const { config: managed } = parseManagedConfig({ inlinePacks: [ORG_INLINE] });
    const sources = collectSources({}, managed, emptySettings(), {});
    expect(sources[0]).toEqual({ key: 'builtin', origin: 'builtin' });
    const loadBuiltin = () => loadPackText(BUILTIN, { file: 'builtin' });
    const { packs, rows } = await buildConfiguration(sources, load, { settings: emptySettings(), managed, loadBuiltin });
    expect(rows.map((r) => [r.packId, r.status])).toEqual([['builtin', 'active'], ['org', 'active']]);
    // The organisation's requirement reads the built-in pack's complaint signal.
    expect(createEngine({ packs }).analyze({ draft: 'ご連絡ありがとうございます。', customer: '荷物が届きません' }).findings.map((f) => f.rule)).toEqual(['apology']);
    const without = await buildConfiguration(sources, load, { settings: emptySettings(), managed });
    expect(without.rows[0]).toEqual({ key: 'builtin', origin: 'builtin', status: 'refused', reason: '組み込みパックの本体がありません' });
  });

  it('handles a pack of 10,000 rules', async () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => `  - { id: r${i}, kind: phrase, category: c, severity: info, message: m${i}, phrases: [語${i}語] }`).join('\n');
    const big = `id: big\nname: big\nversion: 1.0.0\nrules:\n${rules}\n`;
    expect(big.length).toBeLessThan(1_000_000);
    const { config: managed } = parseManagedConfig({ inlinePacks: [big] });
    const { packs, rows } = await buildConfiguration(collectSources(null, managed, emptySettings(), {}), load, { settings: emptySettings(), managed });
    expect(rows[0]).toMatchObject({ status: 'active', ruleCount: 10_000 });
    expect(createEngine({ packs }).analyze({ draft: 'これは語9999語です' }).findings.map((f) => f.rule)).toEqual(['r9999']);
  });

  it('refuses deeply nested input with a clear reason instead of crashing', async () => {
    const deep = 'id: deep\nname: d\nversion: 1.0.0\nrules: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
    const { config: managed } = parseManagedConfig({ inlinePacks: [deep] });
    const { rows } = await buildConfiguration(collectSources(null, managed, emptySettings(), {}), load, { settings: emptySettings(), managed });
    expect(rows[0]!.status).toBe('refused');
    expect(rows[0]!.reason).toBe('inline:1: 入れ子が深すぎます（32 段まで）');
    const alsoDeep = 'id: deep\nname: d\nversion: 1.0.0\nrules: ' + '['.repeat(40) + ']'.repeat(40) + '\n';
    expect(await loadPackText(alsoDeep, { file: 'd.yaml' })).toEqual({ ok: false, errors: [{ file: 'd.yaml', message: '入れ子が深すぎます（32 段まで）' }] });
  });
});

describe('export and import of the configuration', () => {
  it('round-trips the agent settings; managed entries are reported, not imported', async () => {
    const { config: managed } = parseManagedConfig({ inlinePacks: [ORG_INLINE], lockedRules: ['builtin/muri'] });
    const settings: AgentSettings = {
      subscriptions: [{ url: 'https://example.invalid/mine.yaml' }],
      filePacks: [{ name: 'x.yaml', text: 'id: x', addedAt: '2026-11-02T00:00:00.000Z' }],
      toggles: { disabledPacks: ['org'], rules: { 'builtin/ryokai': { enabled: false } } },
    };
    const { rows } = await buildConfiguration(collectSources({ text: BUILTIN }, managed, settings, {}), load, { settings, managed });
    const text = exportConfiguration(managed, settings, rows, new Date('2026-11-23T00:00:00Z'));
    const exported = JSON.parse(text);
    expect(exported.layers.map((l: { source: string }) => l.source)).toEqual(['builtin', 'inline:1', 'https://example.invalid/mine.yaml', 'file:x.yaml']);
    expect(exported.managed.lockedRules).toEqual(['builtin/muri']);
    const back = importFile('config.json', text);
    expect(back).toEqual({ ok: true, kind: 'configuration', settings, notes: [expect.stringContaining('managed')] });
  });

  it('a dropped pack file is recognised as a pack; other files get a clear error', () => {
    expect(importFile('team.yaml', BUILTIN)).toMatchObject({ ok: true, kind: 'pack', name: 'team.yaml' });
    expect(importFile('notes.txt', 'ただのメモ')).toMatchObject({ ok: false, error: expect.stringContaining('パックでも設定ファイルでもありません') });
    expect(importFile('bad.yaml', 'a: [')).toMatchObject({ ok: false });
    expect(importFile('old.json', '{"format":"kizuki-config","version":9}')).toMatchObject({ ok: false, error: expect.stringContaining('version 9') });
  });
});
