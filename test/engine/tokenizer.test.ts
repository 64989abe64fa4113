// The tokenizer adapter on input kuromoji itself mishandles (issue 9): NUL throws inside kuromoji, and two or more
// astral code points in a row make it drop or shift the characters after them.
import { describe, expect, it } from 'vitest';
import { createEngine, type Finding } from '../../src/engine/index';
import { PLACEHOLDER, safeForKuromoji } from '../../src/engine/tokenizer';
import { pack, tokenizer } from '../helpers';

const PACK = `
id: t
name: test
version: 1.0.0
rules:
  - id: dekimasen
    kind: morpheme
    category: negative-expression
    severity: warning
    message: 「{match}」
    pattern: [{ basic_form: できる }, { basic_form: ます }, { basic_form: ん }]
  - id: login
    kind: morpheme
    category: jargon
    severity: info
    message: 「{match}」
    pattern: [{ surface: ログイン }]
`;

const spans = (findings: Finding[]) => findings.filter((f) => f.scope === 'span').map((f) => [f.rule, f.start, f.end, f.text]);

describe('tokenizer adapter', async () => {
  const t = await tokenizer;
  const engine = createEngine({ packs: [await pack(PACK)], tokenizer: t });

  it('the placeholder is a symbol token of its own between any neighbours, so it never changes the words around it', () => {
    for (const text of ['あ〓〓い', '漢〓〓字', 'ABC〓〓DEF', '1〓〓2', 'カタ〓〓カナ', 'でき〓〓ません']) {
      const tokens = t.tokenize(text.replaceAll('〓', PLACEHOLDER));
      const placeholders = tokens.filter((tok) => tok.surface === PLACEHOLDER);
      expect(placeholders).toHaveLength(2);
      expect(placeholders.every((tok) => tok.pos === '記号' && tok.pos_detail_1 === '一般')).toBe(true);
    }
  });

  it('the copy kuromoji sees has the same length, with NUL, controls, astral and lone surrogates replaced', () => {
    const text = '\u0000a\u0001🙏🇯🇵\ud800\tb\u009f';
    const copy = safeForKuromoji(text);
    expect(copy.length).toBe(text.length);
    expect(copy).toBe(`${PLACEHOLDER}a${PLACEHOLDER}${PLACEHOLDER.repeat(6)}${PLACEHOLDER}\tb${PLACEHOLDER}`);
  });

  it('NUL does not throw: "\\u0000わかまん", "a\\u0000" tokenise, surfaces are the original text', () => {
    for (const text of ['\u0000わかまん', 'a\u0000', '\u0000', '\u0000\u0000できません']) {
      const tokens = t.tokenize(text);
      expect(tokens.map((tok) => tok.surface).join('')).toBe(text);
      expect(tokens.every((tok) => text.slice(tok.start, tok.end) === tok.surface)).toBe(true);
    }
    expect(spans(engine.analyze({ draft: '\u0000\u0000できません' }).findings)).toEqual([['dekimasen', 2, 7, 'できません']]);
  });

  it('astral runs (🇯🇵, 😀, 👍🏽, 𠮷𠮷, ZWJ) keep every later token in place and are never split', () => {
    for (const text of ['🇯🇵グイ😀ンできません', '🙏🙏できません', '👍🏽できません', '𠮷𠮷できません', '👨‍👩‍👧できません', '\ud83dできません']) {
      const tokens = t.tokenize(text);
      expect(tokens.map((tok) => tok.surface).join('')).toBe(text);
      for (const tok of tokens) {
        expect(text.slice(tok.start, tok.end)).toBe(tok.surface);
        expect(/^[\udc00-\udfff]/.test(tok.surface) || /[\ud800-\udbff]$/.test(tok.surface)).toBe(tok.surface === '\ud83d');
      }
    }
  });

  it('the minimal case from the issue: findings after 🇯🇵 and 😀 are where they were, the same as without them', () => {
    const plain = 'ログインできません';
    const hostile = '🇯🇵ログ😀インできません';
    expect(spans(engine.analyze({ draft: plain }).findings)).toEqual([['login', 0, 4, 'ログイン'], ['dekimasen', 4, 9, 'できません']]);
    // ログ😀イン is no longer the word ログイン; できません is still found, shifted by the six inserted code units.
    expect(spans(engine.analyze({ draft: hostile }).findings)).toEqual([['dekimasen', 10, 15, 'できません']]);
    const shifted = '🙏🙏👍🏽、ログインできません';
    expect(spans(engine.analyze({ draft: shifted }).findings)).toEqual([['login', 9, 13, 'ログイン'], ['dekimasen', 13, 18, 'できません']]);
  });

  it('a tokenizer that throws on one sentence costs that sentence its token rules, never the reply', () => {
    const broken = { tokenize: (text: string) => (text.includes('壊') ? (() => { throw new Error('boom'); })() : t.tokenize(text)) };
    return pack(PACK).then((p) => {
      const e = createEngine({ packs: [p], tokenizer: broken });
      const result = e.analyze({ draft: '壊れたできません。ログインできません。' });
      expect(spans(result.findings)).toEqual([['login', 9, 13, 'ログイン'], ['dekimasen', 13, 18, 'できません']]);
      expect(result.limits).toEqual({ failedSentences: 1 });
    });
  });
});
