// The extension ships the built-in pack parsed at build time (scripts/build-extension.mjs, builtinPackJson) so that the
// engine host skips YAML parsing at start (src/host/packs.ts reads it with JSON.parse). It must be exactly the
// data the engine's own parser gives.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPackData } from '../../src/engine/pack';
import { parsePackText, loadPackText } from '../../src/engine/pack-text';
import { projectRoot } from '../../src/node/packs';
import { blindCorpusDir, readCorpus } from '../../src/node/corpus';
import { sharedTokenizer } from '../../src/node/dictionary';
import { createEngine } from '../../src/engine/index';
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a build script in plain JavaScript
import { builtinPackJson, builtinRegexFactsJson } from '../../scripts/build-extension.mjs';
import { learnRegexFacts, nativeRegex, regexAnchors, regexFactsComputed, type RegexFacts } from '../../src/engine/regex-anchors';

describe('the built-in pack parsed at build time', () => {
  it('is the data parsePackText gives, and compiles to the same rules and signals', async () => {
    const text = readFileSync(path.join(projectRoot, 'rules/builtin.yaml'), 'utf8');
    const parsed = parsePackText(text, 'builtin');
    if (!parsed.ok) throw new Error('built-in pack does not parse');
    const json = (await builtinPackJson(projectRoot)) as string;
    expect(JSON.parse(json)).toEqual(parsed.data);
    const options = { file: 'builtin', tokenizer: null, runExamples: false };
    const fromText = await loadPackText(text, options);
    const fromJson = await loadPackData(JSON.parse(json), options);
    if (!fromText.ok || !fromJson.ok) throw new Error('built-in pack does not compile');
    expect(fromJson.pack.rules.map((r) => [r.id, r.kind, r.severity])).toEqual(fromText.pack.rules.map((r) => [r.id, r.kind, r.severity]));
    expect(fromJson.pack.signals.map((s) => s.id)).toEqual(fromText.pack.signals.map((s) => s.id));
  });
});

describe('the built-in pack loaded as trusted (no schema check, RE2 programs compiled on first use)', () => {
  it('finds exactly what the checked pack finds on every draft of the corpus and the blind set', async () => {
    const text = readFileSync(path.join(projectRoot, 'rules/builtin.yaml'), 'utf8');
    const json = JSON.parse((await builtinPackJson(projectRoot)) as string);
    const tokenizer = await sharedTokenizer();
    const checked = await loadPackText(text, { file: 'builtin', tokenizer, runExamples: false });
    const trusted = await loadPackData(json, { file: 'builtin', tokenizer, runExamples: false, trusted: true });
    if (!checked.ok || !trusted.ok) throw new Error('built-in pack does not compile');
    const engines = [checked, trusted].map((p) => createEngine({ packs: [p.pack], tokenizer }));
    const cases = [...readCorpus(), ...readCorpus(blindCorpusDir)];
    expect(cases.length).toBeGreaterThan(1000);
    for (const c of cases) {
      const [a, b] = engines.map((e) => e.analyze({ draft: c.draft, customer: c.customer }));
      expect(b, c.id).toEqual(a);
    }
  });
});

describe("the built-in pack's regex facts worked out at build time", () => {
  it('are what the engine works out, and cover every regex, so the browser analyses none at start', async () => {
    const facts = JSON.parse((await builtinRegexFactsJson(projectRoot)) as string) as Record<string, RegexFacts>;
    expect(Object.keys(facts).length).toBeGreaterThan(100);
    for (const [source, f] of Object.entries(facts)) expect(f, source).toEqual({ ...regexAnchors(source), native: nativeRegex(source) !== null });
    learnRegexFacts(facts);
    const before = regexFactsComputed();
    const json = JSON.parse((await builtinPackJson(projectRoot)) as string);
    const loaded = await loadPackData(json, { file: 'builtin', tokenizer: null, runExamples: false, trusted: true });
    expect(loaded.ok).toBe(true);
    expect(regexFactsComputed() - before).toBe(0);
    // A source the facts do not know is worked out as before.
    await loadPackData({ ...json, rules: [{ id: 'x', kind: 'phrase', category: 'c', severity: 'info', message: 'm', regex: '未知の(正規)?表現' }], signals: [] }, { file: 'x', tokenizer: null, runExamples: false });
    expect(regexFactsComputed() - before).toBe(1);
  });
});
