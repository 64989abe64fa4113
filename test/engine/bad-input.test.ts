// Inputs an agent or a pack author can throw at the engine: each gets a defined result or a clear error.
import { describe, expect, it } from 'vitest';
import { createEngine, loadPackText, formatPackError, describeLimits, LIMITS, TOO_LONG_RULE, type Finding, type PackError } from '../../src/engine/index';
import { pack, tokenizer } from '../helpers';

const PACK = `
id: t
name: test
version: 1.0.0
signals:
  - { id: complaint, label: 苦情, phrases: [届きません] }
rules:
  - id: conj
    kind: morpheme
    category: forbidden-phrase
    severity: error
    message: 「{match}」は避けましょう
    pattern: [{ surface: [でも, ですから], pos: 接続詞 }]
  - id: ryokai
    kind: substitution
    category: keigo
    severity: warning
    message: 「{match}」
    regex: 了解(しました|です)
    replace: [承知いたしました]
  - id: next
    kind: requirement
    category: missing-next-step
    severity: warning
    label: 次の対応
    message: 次の対応がありません
    when: always
    require: [{ phrases: [ご連絡いたします] }]
`;

const spans = (findings: Finding[]) => findings.filter((f) => f.scope === 'span');

describe('drafts an agent can produce', async () => {
  const engine = createEngine({ packs: [await pack(PACK)], tokenizer: await tokenizer });

  it('an empty draft: no findings at all, and the checklist still lists what the reply will need', () => {
    expect(engine.analyze({ draft: '' })).toEqual({
      findings: [],
      checklist: [expect.objectContaining({ rule: 'next', state: 'missing' })],
    });
  });

  it('a whitespace-only draft (spaces, ideographic space, CRLF, tabs) is treated like an empty one', () => {
    const result = engine.analyze({ draft: ' \u3000\r\n\t\n ' });
    expect(result.findings).toEqual([]);
    expect(result.checklist.map((i) => i.state)).toEqual(['missing']);
  });

  it('a real draft that lacks a next step does get the reply-level finding, without a span', () => {
    const finding = engine.analyze({ draft: '承知いたしました。' }).findings.find((f) => f.rule === 'next');
    expect(finding).toMatchObject({ scope: 'reply', message: '次の対応がありません' });
    expect(finding).not.toHaveProperty('start');
  });

  it('a 200,000-character draft finishes, analyses the first 100,000 characters and says it skipped the rest', () => {
    const draft = 'でも、了解しました。'.repeat(20_000);
    expect(draft.length).toBe(200_000);
    const { findings, limits } = engine.analyze({ draft });
    const notice = findings.find((f) => f.rule === TOO_LONG_RULE)!;
    expect(notice).toMatchObject({ scope: 'reply', severity: 'info' });
    expect(notice.message).toContain('100,000');
    expect(notice.message).toContain('200,000');
    const flagged = spans(findings);
    expect(flagged.every((f) => f.end! <= 100_000 && draft.slice(f.start, f.end) === f.text)).toBe(true);
    // Every repetition inside the limit is found (10,000 of them, two findings each), and all but the first
    // LIMITS.maxFindings are dropped, which the result says.
    expect(flagged).toHaveLength(LIMITS.maxFindings);
    expect(limits).toEqual({ draft: { analysedChars: 100_000, totalChars: 200_000 }, droppedFindings: 20_000 - LIMITS.maxFindings });
    expect(describeLimits(limits)).toContain('19,000 件は表示していません');
  });

  it('a 200,000-character draft without any punctuation or line break finishes too', () => {
    const draft = 'あ'.repeat(199_990) + 'でも了解しました';
    const { findings } = engine.analyze({ draft });
    expect(findings.map((f) => f.rule)).toContain(TOO_LONG_RULE);
  });

  it('lone surrogates do not shift offsets: they still index the string exactly as given', () => {
    const draft = '\udc00でも、\ud83d了解しました。\ud800';
    const found = spans(engine.analyze({ draft }).findings);
    expect(found.map((f) => [f.start, f.end, f.text])).toEqual([
      [1, 3, 'でも'],
      [5, 11, '了解しました'],
    ]);
    expect(found.map((f) => draft.slice(f.start, f.end))).toEqual(['でも', '了解しました']);
  });

  it('CRLF, emoji (incl. ZWJ sequences), surrogate pairs and half/full width keep offsets exact', () => {
    const prefix = '😀𠮷ｶﾀｶﾅＡＢＣabc\r\n';
    const draft = `${prefix}ですから、👩‍👩‍👧了解です。\r\n\r\nでも。`;
    const found = spans(engine.analyze({ draft }).findings);
    const starts = [prefix.length, draft.indexOf('了解です'), draft.lastIndexOf('でも')];
    expect(found.map((f) => f.start)).toEqual(starts);
    expect(found.map((f) => draft.slice(f.start, f.end))).toEqual(['ですから', '了解です', 'でも']);
    // 😀 and 𠮷 are two UTF-16 code units each; ｶﾀｶﾅ is half width (one each); CRLF is two.
    expect(prefix.length).toBe(2 + 2 + 4 + 3 + 3 + 2);
  });

  it('a zero-width space, joiner or BOM pasted before a sentence does not hide its first word', () => {
    for (const invisible of ['\u200b', '\u200d', '\u2060', '\ufeff', '\u200b\u200b']) {
      const draft = `確認いたします。${invisible}でも、返品はできません。`;
      const found = spans(engine.analyze({ draft }).findings);
      expect(found.map((f) => [f.start, f.text]), JSON.stringify(invisible)).toEqual([[draft.indexOf('でも'), 'でも']]);
    }
  });

  it('half-width and full-width forms are different text: only the form written in the rule matches', () => {
    const halfWidth = spans(engine.analyze({ draft: 'ﾘｮｳｶｲしました。' }).findings);
    expect(halfWidth).toEqual([]);
  });

  it('a missing draft field is read as an empty draft instead of crashing', () => {
    expect(engine.analyze({} as { draft: string }).findings).toEqual([]);
  });
});

function errorsOf(result: Awaited<ReturnType<typeof loadPackText>>): PackError[] {
  if (result.ok) throw new Error('the pack was expected to be refused');
  return result.errors;
}

describe('packs a QA lead can write', async () => {
  const t = await tokenizer;
  const load = (yaml: string, file = 'team.yaml') => loadPackText(yaml, { file, tokenizer: t });
  const rule = (body: string) => `id: team\nname: チーム\nversion: 1.0.0\nrules:\n  - id: r1\n    kind: phrase\n    category: jargon\n    severity: info\n    message: m\n${body}`;

  it('a catastrophic regex (a+)+$ runs in linear time under RE2: a long aaaa…b input returns', async () => {
    const result = await load(rule("    regex: '(a+)+$'\n"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const engine = createEngine({ packs: [result.pack], tokenizer: t });
    // Sentences are cut at 400 characters, so each line is one sentence: 2^300 paths for a backtracking engine.
    expect(engine.analyze({ draft: ('a'.repeat(300) + 'b\n').repeat(100) }).findings).toEqual([]);
    expect(spans(engine.analyze({ draft: 'baaa' }).findings).map((f) => f.text)).toEqual(['aaa']);
  });

  it('a backreference is refused, naming file, rule, field and line', async () => {
    const [error] = errorsOf(await load(rule("    regex: '(でも)\\1'\n")));
    expect(error).toMatchObject({ file: 'team.yaml', rule: 'r1', path: 'rules[0].regex', line: 10 });
    expect(error!.message).toContain('後方参照');
    expect(formatPackError(error!)).toMatch(/^team\.yaml:10 ルール r1 rules\[0\]\.regex: 正規表現/);
  });

  it('lookahead and lookbehind are refused, naming the regex in a list', async () => {
    const [ahead] = errorsOf(await load(rule("    regex: ['了解', 'でき(?!かね)']\n")));
    expect(ahead).toMatchObject({ rule: 'r1', path: 'rules[0].regex[1]', line: 10 });
    expect(ahead!.message).toContain('先読み・後読み');
    const [behind] = errorsOf(await load(rule("    regex: '(?<=お)客様'\n")));
    expect(behind).toMatchObject({ rule: 'r1', path: 'rules[0].regex', line: 10 });
    expect(behind!.message).toContain('先読み・後読み');
  });

  it('an invalid field value is refused with the allowed values', async () => {
    const [error, ...rest] = errorsOf(await load(rule('    phrases: [x]\n').replace('severity: info', 'severity: fatal')));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ file: 'team.yaml', rule: 'r1', path: 'rules[0].severity', line: 8 });
    expect(error!.message).toContain('"error" / "warning" / "info"');
  });

  it('an unknown (misspelt) field is refused', async () => {
    const [error] = errorsOf(await load(rule('    phrase: [x]\n    phrases: [x]\n')));
    expect(error).toMatchObject({ rule: 'r1', path: 'rules[0].phrase', line: 10 });
    expect(error!.message).toContain('未知のフィールド「phrase」');
  });

  it('a failing example is refused, naming file, rule, example path, line and the example itself', async () => {
    const yaml = rule('    phrases: [キャッシュ]\n    examples:\n      flag: [キャッシュを削除してください。]\n      pass:\n        - キャッシュを消します。\n');
    const [error, ...rest] = errorsOf(await load(yaml));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({
      file: 'team.yaml',
      rule: 'r1',
      path: 'rules[0].examples.pass[0]',
      line: 14,
      example: 'キャッシュを消します。',
    });
    expect(formatPackError(error!)).toContain('例: "キャッシュを消します。"');
  });

  it('text that is not YAML, an empty file and a list instead of a pack are refused clearly', async () => {
    const [syntax] = errorsOf(await load('id: x\nrules: [\n'));
    expect(syntax).toMatchObject({ file: 'team.yaml', line: expect.any(Number) });
    expect(syntax!.message).toContain('YAML/JSON として読めません');
    expect(errorsOf(await load(''))[0]!.message).toContain('オブジェクト');
    expect(errorsOf(await load('- a\n- b\n'))[0]!.message).toContain('オブジェクト');
  });

  it('other packs keep working after one pack is refused', async () => {
    const good = await pack(rule('    phrases: [キャッシュ]\n'), 'good.yaml');
    const refused = await load(rule("    regex: '(a)\\1'\n").replace('id: team', 'id: broken'), 'broken.yaml');
    expect(refused.ok).toBe(false);
    const engine = createEngine({ packs: [await pack(PACK), good], tokenizer: t });
    const found = spans(engine.analyze({ draft: 'でも、キャッシュです。' }).findings);
    expect(found.map((f) => `${f.rule}:${f.text}`)).toEqual(['conj:でも', 'r1:キャッシュ']);
  });
});
