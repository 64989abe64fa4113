import { describe, expect, it } from 'vitest';
import { createEngine, loadPackText, stackPacks, AGENT_LAYER, type LoadedPack } from '../../src/engine/index';
import { pack, tokenizer } from '../helpers';

const BASE = `
id: base
name: base
version: 1.0.0
rules:
  - id: ryokai
    kind: substitution
    category: keigo
    severity: warning
    message: 「{match}」は社内向けの表現です
    regex: 了解(しました|です)
    replace: [承知いたしました]
  - id: muri
    kind: phrase
    category: negative-expression
    severity: error
    message: 「{match}」は突き放した印象です
    phrases: [無理です]
`;

const ORG = `
id: org
name: org
version: 1.0.0
overrides:
  - { rule: base/ryokai, severity: error, message: '当社では「{match}」を使いません' }
  - { rule: muri, enabled: false }
`;

async function engineFor(...yamls: string[]) {
  const loaded: LoadedPack[] = [];
  for (const y of yamls) loaded.push(await pack(y, 'x.yaml', loaded));
  const { packs, issues } = stackPacks(loaded);
  return { engine: createEngine({ packs, tokenizer: await tokenizer }), issues, loaded };
}

describe('pack layering', () => {
  it('a later pack changes severity and message of an earlier rule and says so on the finding', async () => {
    const { engine, issues } = await engineFor(BASE, ORG);
    expect(issues).toEqual([]);
    const [f] = engine.analyze({ draft: '了解しました。無理です。' }).findings;
    expect(f).toMatchObject({ rule: 'ryokai', pack: 'base', severity: 'error', message: '当社では「了解しました」を使いません', overriddenBy: ['org'] });
    // `muri` was switched off by its bare id.
    expect(engine.analyze({ draft: '無理です。' }).findings).toEqual([]);
  });

  it('without the override layer the base pack behaves as written and the loaded packs are not mutated', async () => {
    const { loaded } = await engineFor(BASE, ORG);
    const plain = createEngine({ packs: [loaded[0]!], tokenizer: await tokenizer });
    const findings = plain.analyze({ draft: '了解しました。無理です。' }).findings;
    expect(findings.map((f) => [f.rule, f.severity, f.overriddenBy])).toEqual([['ryokai', 'warning', undefined], ['muri', 'error', undefined]]);
  });

  it('a team pack can switch back on what the organisation switched off', async () => {
    const TEAM = `
id: team
name: team
version: 1.0.0
overrides: [{ rule: base/muri, enabled: true, severity: info }]
`;
    const { engine } = await engineFor(BASE, ORG, TEAM);
    const [f] = engine.analyze({ draft: '無理です。' }).findings;
    expect(f).toMatchObject({ rule: 'muri', severity: 'info', overriddenBy: ['org', 'team'] });
  });

  it('redefining an earlier id shadows it with a warning naming both packs; an explicit override silences the warning', async () => {
    const SHADOW = `
id: team
name: team
version: 1.0.0
rules:
  - { id: muri, kind: phrase, category: negative-expression, severity: warning, message: 言い換えましょう, phrases: [無理です] }
`;
    const { engine, issues } = await engineFor(BASE, SHADOW);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'warning', pack: 'team', rule: 'muri', path: 'rules[0]' });
    expect(issues[0]!.message).toContain('base');
    const findings = engine.analyze({ draft: '無理です。' }).findings;
    expect(findings.map((f) => `${f.pack}/${f.rule}`)).toEqual(['team/muri']);

    const EXPLICIT = SHADOW + 'overrides: [{ rule: base/muri, enabled: false }]\n';
    const explicit = await engineFor(BASE, EXPLICIT);
    expect(explicit.issues).toEqual([]);
    expect(explicit.engine.analyze({ draft: '無理です。' }).findings.map((f) => `${f.pack}/${f.rule}`)).toEqual(['team/muri']);
  });

  it('an override of a rule that does not exist is reported with its line, not silently ignored', async () => {
    const BAD = `
id: org
name: org
version: 1.0.0
overrides:
  - { rule: base/ryokai, severity: info }
  - { rule: base/no-such-rule, enabled: false }
`;
    const { issues } = await engineFor(BASE, BAD);
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', pack: 'org', path: 'overrides[1]', line: 7, rule: 'base/no-such-rule' })]);
  });

  it('the agent can switch rules and packs off, except what the organisation locked', async () => {
    const loaded = [await pack(BASE, 'b.yaml'), await pack(ORG, 'o.yaml')];
    const t = await tokenizer;
    const toggled = stackPacks(loaded, { toggles: { rules: { 'base/ryokai': { enabled: false } } } });
    expect(createEngine({ packs: toggled.packs, tokenizer: t }).analyze({ draft: '了解しました。' }).findings).toEqual([]);

    const locked = stackPacks(loaded, { toggles: { rules: { 'base/ryokai': { enabled: false } }, disabledPacks: ['base'] }, locked: { rules: ['base/ryokai'] } });
    expect(locked.issues.map((i) => i.pack)).toEqual([AGENT_LAYER]);
    const [f] = createEngine({ packs: locked.packs, tokenizer: t }).analyze({ draft: '了解しました。' }).findings;
    expect(f).toMatchObject({ rule: 'ryokai', severity: 'error' });

    const packOff = stackPacks(loaded, { toggles: { disabledPacks: ['base'] } });
    expect(createEngine({ packs: packOff.packs, tokenizer: t }).analyze({ draft: '了解しました。無理です。' }).findings).toEqual([]);

    // A locked pack cannot be emptied rule by rule either; switching its rule to another severity is still allowed.
    const oneByOne = stackPacks([loaded[0]!], { toggles: { rules: { 'base/ryokai': { enabled: false }, 'base/muri': { severity: 'info' } } }, locked: { packs: ['base'] } });
    expect(oneByOne.issues).toEqual([expect.objectContaining({ pack: AGENT_LAYER, rule: 'base/ryokai' })]);
    const shown = createEngine({ packs: oneByOne.packs, tokenizer: t }).analyze({ draft: '了解しました。無理です。' }).findings;
    expect(shown.map((f) => [f.rule, f.severity])).toEqual([['ryokai', 'warning'], ['muri', 'info']]);
  });

  it('a pack id loaded twice is an error and the second copy is not used', async () => {
    const a = await pack(BASE, 'a.yaml');
    const { packs, issues } = stackPacks([a, a]);
    expect(packs).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error' });
  });

  it('overrides are validated by the schema with field paths', async () => {
    const result = await loadPackText(`id: o\nname: o\nversion: 1.0.0\noverrides:\n  - { rule: base/x, severity: fatal }\n`, { file: 'o.yaml' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ path: 'overrides[0].severity', line: 5 });
  });

  it('a substitution does not flag text that already reads as its replacement', async () => {
    const p = await pack(`id: s\nname: s\nversion: 1.0.0\nrules:\n  - { id: cookie, kind: substitution, category: house-style, severity: warning, message: x, regex: '(?i)cookie', replace: [Cookie] }\n`);
    const engine = createEngine({ packs: [p] });
    expect(engine.analyze({ draft: 'Cookie と cookie' }).findings.map((f) => f.text)).toEqual(['cookie']);
  });
});
