// Skipping the tokenizer for sentences no token pattern could match is what makes analyze() fast; it must
// never change a result. Each pattern below is run over real text twice, with and without the prefilter.
import { describe, expect, it } from 'vitest';
import { Matcher, type MatcherSpec } from '../../src/engine/matcher';
import { TokenPattern } from '../../src/engine/morpheme';
import { nativeRegex, regexAnchors, regexAnchorSets } from '../../src/engine/regex-anchors';
import { splitSentences } from '../../src/engine/text';
import { createReplyGenerator } from '../../bench/texts.mjs';
import { tokenizer } from '../helpers';

const SPECS: Record<string, MatcherSpec> = {
  conjunction: { pattern: [{ surface: ['でも', 'ですから', 'だって'], pos: '接続詞' }] },
  dekimasen: { pattern: [{ basic_form: 'できる', pos: '動詞' }, { basic_form: 'ます' }, { basic_form: 'ん' }], notFollowedBy: [{ surface: ['でしょ', 'か'] }] },
  shirimasen: { pattern: [{ basic_form: '知る', pos: '動詞' }, { basic_form: 'ます' }, { basic_form: 'ん' }] },
  wakarimasen: { pattern: [{ basic_form: ['わかる', '分かる'], pos: '動詞' }, { basic_form: 'ます' }, { basic_form: 'ん' }] },
  priceNinarimasu: { pattern: [{ pos: '名詞', pos_detail_1: ['数', '接尾'] }, { surface: 'に', pos: '助詞', mark: true }, { basic_form: 'なる', mark: true }, { basic_form: 'ます', conjugated_form: '基本形', mark: true }] },
  kochiraNinarimasu: { pattern: [{ surface: ['こちら', 'これ'] }, { surface: ['が', 'は'] }, { any: true, min: 1, max: 4 }, { surface: 'に' }, { basic_form: 'なる' }, { basic_form: 'ます' }] },
  plainDa: { pattern: [{ surface: 'だ', pos: '助動詞', conjugated_form: '基本形', mark: true }, { pos: '記号', pos_detail_1: '句点', optional: true }], notFollowedBy: [{ any: true }] },
  plainDearu: { pattern: [{ surface: 'で', basic_form: 'だ', pos: '助動詞' }, { surface: 'ある' }, { pos: '記号', pos_detail_1: '句点', optional: true }], notFollowedBy: [{ any: true }] },
  // As the built-in pack writes it: the optional ending spelled out, including ！ and ! (not IPADIC 句点).
  plainDaSpelled: { pattern: [{ surface: 'だ', pos: '助動詞', conjugated_form: '基本形', mark: true }, { pos: '記号', surface: ['。', '！', '!', '．'], optional: true }], notFollowedBy: [{ any: true }] },
  plainNai: { pattern: [{ surface: 'ない', pos: ['助動詞', '形容詞'] }, { pos: '記号', pos_detail_1: '句点', optional: true }], notFollowedBy: [{ any: true }] },
  saIre: { pattern: [{ pos: '動詞', conjugated_type: '五段*', conjugated_form: '未然形' }, { basic_form: 'させる', pos_detail_1: '接尾' }] },
  optionalComma: { pattern: [{ surface: 'でも' }, { surface: '、', optional: true }, { basic_form: '大丈夫' }] },
};

// Sentences built to sit right at the edges of the anchors: plain endings before quotes, brackets, spaces,
// several terminators, いただ (contains だ), お知らせ (contains 知), になっております, and so on.
const EDGES = [
  '原因は設定の誤りだ。', '原因は設定の誤りだ', '原因は設定の誤りだ！！', '原因は設定の誤りだ。」', '「最悪だ」とのことです。',
  '原因は設定の誤りだ 　', '仕様である。', '仕様であるので。', 'それは問題ない。', '問題ないです。', 'いただいた件です。',
  'お知らせいたします。', '存じ上げません。', '知りませんでした。', 'わかりません。', '分かりませんでしょうか。',
  '有効になっております。', '合計 3,000 円になります。', '送料は500円になります。', 'こちらが商品になります。', '書かさせていただきます。',
  'でも大丈夫です。', 'でも、大丈夫です。', '返品できませんか。', '返品できません。', 'だって仕様だ。',
  'お送りしなけりゃなりません。', '高かったです。', '確認しましょう。', 'そうはなりません。', '有効にならないです。', '無料になりますか。',
];

describe('token-rule prefilter (anchors)', async () => {
  const t = await tokenizer;
  const generator = createReplyGenerator(7);
  const sentences = [
    ...EDGES,
    ...Array.from({ length: 15 }, () => generator.reply(2000)).flatMap((reply) => splitSentences(reply).map((s) => s.text)),
  ];

  it('derives joined, sentence-end and 基本形 anchors', () => {
    expect(TokenPattern.anchorSets(SPECS.priceNinarimasu!.pattern!)).toEqual([['にな'], ['ます']]);
    expect(TokenPattern.anchorSets(SPECS.plainDearu!.pattern!)).toEqual([['である']]);
    expect(TokenPattern.endAnchors(SPECS.plainDa!.pattern!)).toEqual(['だ']);
    expect(TokenPattern.anchorRegexes(SPECS.priceNinarimasu!.pattern!).map(String)).toEqual(['/(?:に)(?:な)[\\s\\S]{0,3}(?:ます)/u']);
    expect(TokenPattern.anchorRegexes([{ surface: 'a.b' }, { basic_form: '書く' }, { surface: '(' }]).map((re) => re.test('a.b書かな(')))
      .toEqual([true]);
    expect(TokenPattern.anchorRegexes([{ surface: 'ご*' }, { surface: 'です' }])).toEqual([]);
    expect(TokenPattern.endAnchors([{ surface: 'だ' }, { pos: '助動詞' }])).toBeNull();
    expect(TokenPattern.endAnchors([{ surface: 'だ' }, { pos: '記号', optional: true }])).toBeNull();
    expect(TokenPattern.endAnchors(SPECS.plainDaSpelled!.pattern!)).toEqual(['だ']);
    expect(TokenPattern.endAnchors([{ surface: 'だ' }, { surface: ['。', 'よ'], optional: true }])).toBeNull();
    expect(TokenPattern.endAnchors([{ surface: 'だ' }, { surface: '!*', optional: true }])).toBeNull();
  });

  it('relies on IPADIC 句点/読点 tokens being punctuation only: true for every code point of the BMP', () => {
    const punctuation = /^[\p{P}\p{Z}\s]+$/u;
    const surfaces = new Set<string>();
    for (let cp = 0x20; cp < 0x10000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      for (const token of t.tokenize(`あ${ch}${ch}あ`)) {
        if (token.pos === '記号' && ['句点', '読点'].includes(token.pos_detail_1)) surfaces.add(token.surface);
      }
    }
    expect([...surfaces].filter((s) => !punctuation.test(s))).toEqual([]);
    expect([...surfaces].sort()).toEqual(['、', '。', '，', '．'].sort());
    expect(TokenPattern.endAnchors([{ surface: 'だ' }, { pos: '記号', pos_detail_1: '空白', optional: true }])).toBeNull();
  });

  for (const [name, spec] of Object.entries(SPECS)) {
    it(`${name}: the same hits with and without the prefilter on ${sentences.length} sentences`, () => {
      const fast = new Matcher(spec);
      const full = new Matcher(spec, { optimise: false });
      let tokenised = 0;
      let hits = 0;
      for (const text of sentences) {
        const view = { text, tokens: () => (tokenised++, t.tokenize(text)) };
        const expected = full.find(view)!;
        expect(fast.find({ text, tokens: () => t.tokenize(text) }), text).toEqual(expected);
        hits += expected.length;
      }
      expect(tokenised).toBe(sentences.length);
      // Every pattern matches somewhere, so the comparison is not only about empty results.
      expect(hits).toBeGreaterThan(0);
    });
  }

  it('the prefilter skips most sentences of ordinary replies', () => {
    const matchers = Object.values(SPECS).map((spec) => new Matcher(spec));
    const generated = sentences.slice(EDGES.length);
    let tokenised = 0;
    for (const text of generated) {
      let tokens: unknown;
      const view = { text, tokens: () => (tokens ??= (tokenised++, t.tokenize(text))) as ReturnType<typeof t.tokenize> };
      for (const m of matchers) m.find(view);
    }
    expect(tokenised / generated.length).toBeLessThan(0.5);
  });
});

const REGEXES = [
  '(いた|致)?しかねます|できかねます|対応して(おりません|いません)|難しい状況です',
  '(かねます|できません|おりません|状況です)が、[^。]*(いたします|いただけます|できます|ございます)',
  '(円|[0-9０-９])からお預かり',
  'お召し上がりになられ|[おご][^、。！？!?\\s のをがはでとにへ]{1,7}?になられ',
  '了解(しました|いたしました|です)',
  'なるほど(ですね|です)?',
  '本日|明日|翌営業日|[0-9０-９一二三四五六七八九十]+ ?(日|時|分|営業日|月)|時まで|午前|午後',
  'ブラウザー? ?[（(]',
  '\\bAPI\\b',
  '(?i)\\bcookie\\b|クッキー',
  '(?i)(cookie|session)s? ?[（(]',
  'です|でし|ます|まし|ませ',
  '(確認|連絡|案内|手配|返金|送付|発送)(いた|致)?し(ます|ましょう)|させていただきます|(予定|見込み)(です|でございます)',
  'ください|いただけますでしょうか|をお願い(いたし|申し上げ|し)|のほど(、)?(よろしく)?お願い|(でしょうか|ますか)[。？?]',
  '[\\p{Han}\\p{Katakana}ーA-Za-z]{1,8}[ 　]?様',
  '(\\p{Han}{1,4})(?:[ 　]?\\p{Han}{1,4})?と申します',
  'ご注文番号 \\d{8}',
  'a{2}b|x*y+z',
  '(で)?(も)?',
  '^(でも|ですから)、?|(です|ます)。$',
];

describe('regex prefilter (literals a regex cannot match without)', async () => {
  const generator = createReplyGenerator(11);
  const sentences = [
    '返品はいたしかねますが、交換はいかがでしょうか。', '返品はできませんが、交換はできます。', '3,000円からお預かりします。', 'ご覧になられましたか。', 'Cookie（クッキー）を削除してください。', 'COOKIE を', 'ＣＯＯＫＩＥ', 'SESSIONS (x)', 'ſeſſion（セッション）', 'cooKie(',
    'API の設定です。', 'APIs です', 'ブラウザー（閲覧ソフト）', 'なるほどですね。', '山田 太郎と申します。', '山田様', 'aab', 'xyz', 'yz', 'ご注文番号 12345678 です', '😀で😀も𠮷でも', 'でも、😀です。',
    ...Array.from({ length: 15 }, () => generator.reply(2000)).flatMap((reply) => splitSentences(reply).map((s) => s.text)),
  ];

  it('derives the literals, and none where a flag or unknown syntax could change their meaning', () => {
    expect(regexAnchorSets('了解(しました|です)')).toEqual([['了解しました', '了解です']]);
    expect(regexAnchorSets('(円|[0-9０-９])からお預かり')).toEqual([['からお預かり']]);
    expect(regexAnchorSets('(いた|致)?しかねます')).toEqual([['しかねます', 'いたしかねます', '致しかねます']]);
    expect(regexAnchorSets('(かねます|できません)が、[^。]*(いたします|できます)')).toEqual([['かねますが、', 'できませんが、'], ['いたします', 'できます']]);
    expect(regexAnchorSets('(?i)cookie')).toEqual([]);
    expect(regexAnchors('(?i)\\bCookie\\b|クッキー')).toEqual({ sets: [['cookie', 'クッキー']], foldCase: true });
    expect(regexAnchors('(?i)Ärger')).toEqual({ sets: [], foldCase: true });
    expect(regexAnchorSets('x*|y')).toEqual([]);
    expect(regexAnchorSets('\\x{3042}')).toEqual([]);
  });

  it('runs loop-free literal regexes on the built-in engine, and everything else on RE2', () => {
    expect(nativeRegex('了解(しました|です)')).toBeInstanceOf(RegExp);
    expect(nativeRegex('(いた|致)?しかねます|^でも、?')).toBeInstanceOf(RegExp);
    expect(nativeRegex('(a+)+$')).toBeNull();
    expect(nativeRegex('[おご].になられ')).toBeNull();
    expect(nativeRegex('\\bAPI\\b')).toBeNull();
    // 2^10 paths through ten optional groups: bounded, but too many to take the fast path.
    expect(nativeRegex('(a)?'.repeat(10) + 'b')).toBeNull();
  });

  for (const source of REGEXES) {
    it(`${source}: the same hits with and without the prefilter`, () => {
      const fast = new Matcher({ regex: source });
      const full = new Matcher({ regex: source }, { optimise: false });
      let hits = 0;
      for (const text of sentences) {
        const view = { text, tokens: () => null };
        const expected = full.find(view)!;
        expect(fast.find(view), text).toEqual(expected);
        hits += expected.length;
      }
      expect(hits).toBeGreaterThan(0);
    });
  }
});
