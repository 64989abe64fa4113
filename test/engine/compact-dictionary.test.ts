// The extension's tokenizer reads the compact dictionary (scripts/build-dictionary.mjs) with its own lattice code;
// it must give exactly kuromoji's IPADIC tokens. Every draft and customer message of the labelled corpus (blind set
// included) and a set of awkward strings are tokenised both ways, and every token field is compared.
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindCorpusDir, readCorpus } from '../../src/node/corpus';
import { sharedTokenizer } from '../../src/node/dictionary';
import { compactDictionaryTokenizer, tokenizerOfCompactDictionary, type Tokenizer } from '../../src/engine/tokenizer';
import { readCompactDictionary, transferablesOf } from '../../src/engine/compact-dictionary';
import { projectRoot } from '../../src/node/packs';

// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a build script in plain JavaScript
import { writeCompactDictionary } from '../../scripts/build-dictionary.mjs';

let stock: Tokenizer;
let compact: Tokenizer;
let fileBytes: Buffer;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kizuki-compact-'));
const copyOfFile = () => fileBytes.buffer.slice(fileBytes.byteOffset, fileBytes.byteOffset + fileBytes.byteLength) as ArrayBuffer;

beforeAll(async () => {
  const file = path.join(tmp, 'kizuki-ipadic.bin');
  await writeCompactDictionary({ root: projectRoot, outFile: file });
  fileBytes = await readFile(file);
  compact = compactDictionaryTokenizer(copyOfFile());
  stock = await sharedTokenizer();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function texts(): string[] {
  const all: string[] = [];
  for (const c of [...readCorpus(), ...readCorpus(blindCorpusDir)]) {
    all.push(c.draft);
    if (c.customer) all.push(c.customer);
  }
  return all;
}

describe('compact dictionary tokenizer', () => {
  it('gives kuromoji’s tokens, field for field, for every draft and customer message of the corpus', () => {
    const all = texts();
    expect(all.length).toBeGreaterThan(500);
    let tokens = 0;
    for (const text of all) {
      const expected = stock.tokenize(text);
      expect(compact.tokenize(text), text).toEqual(expected);
      tokens += expected.length;
    }
    expect(tokens).toBeGreaterThan(20_000);
  });

  it('agrees on unknown words, symbols, Latin, digits, emoji, controls and long unpunctuated runs', () => {
    const awkward = [
      '', '、', '。。。', 'ｱｲｳｴｵ', 'ＡＢＣ１２３', 'abc def 123.45', 'Wi-Fiが繋がらないのでルーターを再起動しました',
      '🙏🙏ありがとうございます👍🏽🇯🇵', '\u0000制御\u0007文字\t入り\r\n改行', 'ΑΒΓδεζ КИРИЛЛИЦА', '〓〓〓', '一二三四五六七八九十',
      'ｷｬｯｼｭをｸﾘｱしてください', '＠＃＄％＾＆＊（）', 'ーーー', 'ぁぃぅぇぉゔ', '𠮷野家で食べた', '\ud800lone\udfffsurrogates',
      'お問い合わせいただきありがとうございます'.repeat(40), 'あ'.repeat(500), 'カタカナカタカナカタカナ'.repeat(30),
      'ご注文番号ABC-1234-XYZについて、2026年11月30日（月）15:30までにご連絡ください。',
    ];
    for (const text of awkward) expect(compact.tokenize(text), JSON.stringify(text)).toEqual(stock.tokenize(text));
  });

  it('is opened in the engine host’s worker and moved to its page: the moved copy tokenises the same', () => {
    const opened = readCompactDictionary(copyOfFile());
    const transfer = transferablesOf(opened);
    // The file's buffer and the four tables summed from its counts (trie children, trie keys, entries, strings).
    expect(transfer).toHaveLength(5);
    const moved = structuredClone(opened, { transfer });
    expect(opened.trieLabels.byteLength).toBe(0); // transferred, not copied
    const tokenizer = tokenizerOfCompactDictionary(moved);
    const sample = texts().filter((_, i) => i % 25 === 0);
    expect(sample.length).toBeGreaterThan(100);
    for (const text of sample) expect(tokenizer.tokenize(text), text).toEqual(stock.tokenize(text));
  });
});
