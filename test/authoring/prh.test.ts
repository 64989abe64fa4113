import { describe, expect, it } from 'vitest';
import { importPrh, resolveRelative } from '../../src/authoring/prh';
import { createEngine, loadPackData, loadPackText } from '../../src/engine/index';

const files: Record<string, string> = {
  'dict/main.yml': `
version: 1
imports:
  - path: common/base.yml
    ignoreRules: [{ expected: ウェブ }]
rules:
  - expected: jQuery
    specs:
      - { from: jquery, to: jQuery }
      - { from: ＪＱＵＥＲＹ, to: jQuery }
  - expected: サーバー
    pattern: /サーバ(?!ー)/
    prh: 長音を省略しません
    specs: [{ from: サーバを再起動, to: サーバーを再起動 }, { from: サーバー, to: サーバー }]
  - expected: ソフトウェア
    pattern: /(日経)?ソフトウエア/
    regexpMustEmpty: $1
    specs: [{ from: 広義のソフトウエア, to: 広義のソフトウェア }, { from: 日経ソフトウエア, to: 日経ソフトウエア }]
  - expected: （$1）
    pattern: /\\(([^)]+)\\)/
    specs: [{ from: (そのとおり), to: （そのとおり） }]
  - expected: $1$1
    pattern: /(a)\\1/
  - expected: 問い合わせ
    pattern: 問合せ
    specs: [{ from: 問合せ, to: 問い合わせ }, { from: 問合せと問合せ, to: 問い合わせと問い合わせ }]
  - expected: 申し込み
    pattern: 申込み
    specs: [{ from: 申込み, to: 申込 }]
`,
  'dict/common/base.yml': `
version: 1
rules:
  - expected: ウェブ
    pattern: Web
  - expected: メール
    patterns: [Eメール, eメール]
`,
};
const readFile = async (p: string) => {
  const text = files[p];
  if (text === undefined) throw new Error('ファイルが見つかりません');
  return text;
};

async function convert(file = 'dict/main.yml') {
  return importPrh(files[file]!, file, { readFile, packId: 'house' });
}

describe('prh import', () => {
  it('converts rules, imports and specs into a pack that loads with its examples passing', async () => {
    const result = await convert();
    expect(result.errors).toEqual([]);
    const loaded = await loadPackText(result.yaml, { file: 'house.yaml' });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    // imported メール came first; ignored ウェブ is gone; the unsupported and failing rules were left out.
    expect(loaded.pack.rules.map((r) => r.replace?.[0]?.text)).toEqual(['メール', 'jQuery', 'サーバー', 'ソフトウェア', '（$1）', '問い合わせ']);
    expect(loaded.pack.rules.every((r) => r.kind === 'substitution')).toBe(true);
  });

  it('the converted rules behave as prh: case and width variants, lookahead and regexpMustEmpty idioms, captures', async () => {
    const result = await convert();
    const loaded = await loadPackData(result.pack, { file: 'house' });
    if (!loaded.ok) throw new Error('not loaded');
    const engine = createEngine({ packs: [loaded.pack] });
    const texts = (draft: string) => engine.analyze({ draft }).findings.map((f) => `${f.text}→${f.suggestions[0]?.text}`);
    expect(texts('JQUERY と jQuery と ｊｑｕｅｒｙ')).toEqual(['JQUERY→jQuery', 'ｊｑｕｅｒｙ→jQuery']);
    expect(texts('サーバーとサーバ')).toEqual(['サーバ→サーバー']);
    expect(texts('日経ソフトウエアのソフトウエア')).toEqual(['ソフトウエア→ソフトウェア']);
    expect(texts('(注意)')).toEqual(['(注意)→（注意）']);
    expect(texts('Eメールで')).toEqual(['Eメール→メール']);
    expect(texts('Webで')).toEqual([]);
    const [f] = engine.analyze({ draft: 'サーバ' }).findings;
    expect(f!.description).toBe('長音を省略しません');
    expect(f!.message).toBe('「サーバ」は「サーバー」と書きます。');
  });

  it('reports rules it cannot convert safely or whose specs do not hold, with file, index and reason', async () => {
    const { skipped } = await convert();
    expect(skipped).toEqual([
      expect.objectContaining({ file: 'dict/main.yml', index: 4, expected: '$1$1', reason: expect.stringContaining('後方参照') }),
      expect.objectContaining({ file: 'dict/main.yml', index: 6, expected: '申し込み', reason: expect.stringContaining('specs が成り立ちません') }),
    ]);
  });

  it('specs become flag examples with the fixed text, and unchanged specs become pass examples', async () => {
    const { pack } = await convert();
    const rules = pack.rules as { replace: string[]; examples?: { flag?: unknown[]; pass?: unknown[] } }[];
    const server = rules.find((r) => r.replace[0] === 'サーバー')!;
    expect(server.examples).toEqual({ flag: [{ draft: 'サーバを再起動', fixed: 'サーバーを再起動' }], pass: ['サーバー'] });
    // Two replacements in one spec: kept as a flag example without `fixed` (which checks one finding only).
    const toiawase = rules.find((r) => r.replace[0] === '問い合わせ')!;
    expect(toiawase.examples!.flag).toEqual([{ draft: '問合せ', fixed: '問い合わせ' }, { draft: '問合せと問合せ' }]);
  });

  it('bad input is reported, not thrown: missing import, import cycle, not a dictionary', async () => {
    files['dict/cycle.yml'] = 'version: 1\nimports: [cycle.yml]\nrules: [{ expected: A }]\n';
    files['dict/missing.yml'] = 'version: 1\nimports: [nope.yml]\nrules: []\n';
    expect((await convert('dict/cycle.yml')).errors[0]!.message).toContain('循環');
    expect((await convert('dict/missing.yml')).errors[0]!.message).toContain('nope.yml');
    const notDict = await importPrh('- just\n- a list\n', 'x.yml', { readFile, packId: 'x' });
    expect(notDict.errors[0]!.message).toContain('prh の辞書ではありません');
  });

  it('resolves import paths relative to the importing file', () => {
    expect(resolveRelative('a/b/c.yml', '../d.yml')).toBe('a/d.yml');
    expect(resolveRelative('c.yml', './x/d.yml')).toBe('x/d.yml');
    expect(resolveRelative('/abs/c.yml', 'd.yml')).toBe('/abs/d.yml');
  });
});
