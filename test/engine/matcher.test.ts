import { describe, expect, it } from 'vitest';
import { TokenPattern, type TokenSpec } from '../../src/engine/morpheme';
import { Matcher } from '../../src/engine/matcher';
import type { Token } from '../../src/engine/types';

// Hand-built tokens keep these tests about the matcher alone, independent of the dictionary.
function tok(surface: string, pos = '名詞', extra: Partial<Token> = {}): Token {
  return { surface, pos, pos_detail_1: '*', pos_detail_2: '*', pos_detail_3: '*', conjugated_type: '*', conjugated_form: '*',
    basic_form: surface, reading: '', pronunciation: '', start: 0, end: 0, ...extra };
}
function seq(...tokens: Token[]): Token[] {
  let at = 0;
  return tokens.map((t) => ({ ...t, start: at, end: (at += t.surface.length) }));
}
const matches = (specs: TokenSpec[], tokens: Token[]) => new TokenPattern(specs).findAll(tokens).map((m) => tokens.slice(m.from, m.to).map((t) => t.surface).join('|'));

describe('token patterns', () => {
  it('finds [で, も] in で,で,も (retries after a partial match)', () => {
    const tokens = seq(tok('で', '助詞'), tok('で', '助詞'), tok('も', '助詞'));
    expect(matches([{ surface: 'で' }, { surface: 'も' }], tokens)).toEqual(['で|も']);
  });

  it('retries every start after a partial match: self-overlapping patterns are found too', () => {
    const t = (...surfaces: string[]) => seq(...surfaces.map((x) => tok(x, '助詞')));
    expect(matches([{ surface: 'で' }, { surface: 'で' }, { surface: 'も' }], t('で', 'で', 'で', 'も'))).toEqual(['で|で|も']);
    expect(matches([{ surface: 'a' }, { surface: 'b' }, { surface: 'c' }], t('a', 'b', 'a', 'b', 'c'))).toEqual(['a|b|c']);
    expect(matches([{ surface: 'で' }, { surface: 'も' }], t('で', 'で', 'も', 'で', 'で', 'も'))).toEqual(['で|も', 'で|も']);
  });

  it('matches alternatives, prefixes and negation per field', () => {
    const tokens = seq(tok('書か', '動詞', { conjugated_type: '五段・カ行イ音便', basic_form: '書く' }), tok('させ', '動詞', { basic_form: 'させる' }));
    expect(matches([{ conjugated_type: '五段*' }, { basic_form: ['させる', 'せる'] }], tokens)).toEqual(['書か|させ']);
    expect(matches([{ conjugated_type: '一段*' }, { basic_form: 'させる' }], tokens)).toEqual([]);
    expect(matches([{ pos: '動詞', not: { basic_form: '書く' } }], tokens)).toEqual(['させ']);
  });

  it('supports optional tokens and bounded wildcards', () => {
    const tokens = seq(tok('でも'), tok('、', '記号'), tok('それ'), tok('は'), tok('仕様'));
    expect(matches([{ surface: 'でも' }, { surface: '、', optional: true }, { surface: 'それ' }], tokens)).toEqual(['でも|、|それ']);
    expect(matches([{ surface: 'でも' }, { any: true, min: 0, max: 2 }, { surface: '仕様' }], tokens)).toEqual([]);
    expect(matches([{ surface: 'でも' }, { any: true, min: 1, max: 3 }, { surface: '仕様' }], tokens)).toEqual(['でも|、|それ|は|仕様']);
  });

  it('reports every non-overlapping occurrence', () => {
    const tokens = seq(tok('でも'), tok('あ'), tok('でも'));
    expect(matches([{ surface: 'でも' }], tokens)).toEqual(['でも', 'でも']);
  });

  it('derives anchors from surfaces and basic-form stems, and none from irregular verbs', () => {
    expect(TokenPattern.anchorSets([{ basic_form: 'できる' }, { basic_form: 'ます' }])).toEqual([['でき'], ['ま']]);
    expect(TokenPattern.anchorSets([{ surface: ['でも', 'だって'] }])).toEqual([['でも', 'だって']]);
    expect(TokenPattern.anchorSets([{ basic_form: 'する' }, { pos: '助動詞' }])).toEqual([]);
  });
});

describe('matchers', () => {
  const view = (text: string) => ({ text, tokens: () => null });

  it('finds literal phrases with exact offsets and drops hits inside exceptions', () => {
    const m = new Matcher({ phrases: ['でも'], except: ['どなたでも', 'いつでも'] });
    expect(m.find(view('でも、どなたでもいつでもでも'))!.map((h) => [h.start, h.end])).toEqual([[0, 2], [12, 14]]);
  });

  it('runs regexes in linear time: a catastrophic pattern on a long input returns', () => {
    const m = new Matcher({ regex: '(a+)+$' });
    expect(m.find(view('a'.repeat(20_000) + 'b'))).toEqual([]);
  });

  it('refuses regex syntax that needs backtracking', () => {
    expect(() => new Matcher({ regex: '(a)\\1' })).toThrow(/正規表現/);
    expect(() => new Matcher({ regex: 'でき(?!かね)' })).toThrow(/先読み/);
  });

  it('returns null for token patterns while no tokenizer is ready, unless no anchor occurs', () => {
    const m = new Matcher({ pattern: [{ basic_form: 'できる' }] });
    expect(m.find(view('返品はできません'))).toBeNull();
    expect(m.find(view('承知いたしました'))).toEqual([]);
  });

  it('skips sentences containing an exceptInSentence string', () => {
    const m = new Matcher({ phrases: ['大丈夫です'], exceptInSentence: ['ので'] });
    expect(m.find(view('確認済みですので大丈夫です'))).toEqual([]);
    expect(m.find(view('大丈夫です'))).toHaveLength(1);
  });
});
