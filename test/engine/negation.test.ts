import { describe, expect, it } from 'vitest';
import { Matcher } from '../../src/engine/matcher';
import { tokenizer } from '../helpers';

async function find(words: string[], text: string): Promise<string[]> {
  const t = await tokenizer;
  const matcher = new Matcher({ negated: words });
  const hits = matcher.find({
    text,
    tokens: () => t.tokenize(text),
    readingOf: (word) => t.tokenize(word).map((token) => token.reading).join(''),
  });
  return (hits ?? []).map((h) => h.captures[0]!);
}

describe('negated matcher (a word followed by a negation in any form)', () => {
  it('finds plain, polite, past, ず and ておりません forms of one entry', async () => {
    for (const [text, match] of [
      ['商品が届かない。', '届かない'],
      ['商品が届きません。', '届きません'],
      ['商品が届きませんでした。', '届きませんでした'],
      ['商品が届かなかった。', '届かなかった'],
      ['商品が届かず困っています。', '届かず'],
      ['商品が届いておりません。', '届いておりません'],
      ['商品が届いていないです。', '届いていないです'],
      ['商品が届いてない。', '届いてない'],
    ]) expect(await find(['届く'], text!), text).toEqual([match]);
  });

  it('matches kana and kanji spellings of the same word, and a 五段 verb through its potential form', async () => {
    expect(await find(['届く'], 'とどかないです。')).toEqual(['とどかないです']);
    expect(await find(['わかる'], '使い方が分からない。')).toEqual(['分からない']);
    expect(await find(['使う'], 'クーポンが使えません。')).toEqual(['使えません']);
    expect(await find(['信じる'], '信じられません。')).toEqual(['信じられません']);
  });

  it('finds a noun with the problem as its predicate', async () => {
    expect(await find(['ログイン'], 'ログインができません。')).toEqual(['ログインができません']);
    expect(await find(['ログイン'], 'ログインできなくなりました。')).toEqual(['ログインできなく']);
    expect(await find(['連絡'], 'ずっと連絡がない。')).toEqual(['連絡がない']);
    expect(await find(['返信'], '返信がありません。')).toEqual(['返信がありません']);
    expect(await find(['対応'], '何も対応してくれない。')).toEqual(['対応してくれない']);
  });

  it('ignores the word without a negation, requests, questions and conditions', async () => {
    for (const text of ['商品が届きました。', '商品が届いています。', '削除しないでください。', '届かなければキャンセルします。',
      '確認していただけませんか。', 'データが消えないか心配です。', '効かない薬です。', '消えないように保存しました。']) {
      expect(await find(['届く', '確認', '消える', '削除', '聞く'], text), text).toEqual([]);
    }
  });

  it('reads a hedged report (〜ないようです) as a report, unlike 〜ないように', async () => {
    expect(await find(['届く'], '請求書がまだ届いていないようです。')).toEqual(['届いていない']);
    expect(await find(['届く'], '届いていないようで、困っています。')).toEqual(['届いていない']);
    expect(await find(['反映'], '昨日の入金分が反映されていないようなのですが…')).toEqual(['反映されていない']);
    expect(await find(['届く'], '届いていないようなんですが。')).toEqual(['届いていない']);
  });
});
