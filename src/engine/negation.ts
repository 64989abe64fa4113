// `negated` matchers: a word, by its dictionary form, followed by a negation in any form, so one entry 届く finds
// 届かない, 届きません, 届かなかった, 届かず, 届いていない, 届いておりません and 届いてない, and one entry ログイン finds
// ログインできない, ログインができません and ログインが出来ませんでした. A noun may also have the problem as its predicate
// (連絡がない, 返信がありません, 返事が来ない). Kana and kanji spellings of the same word match each other (届く finds
// とどかない, わかる finds 分からない), and a 五段 verb's potential form counts as the verb (使う finds 使えない).
import type { Token } from './types';

/** Tokens allowed between the word and its negation. */
const BRIDGE_VERBS = new Set(['する', 'できる', '出来る', 'いる', 'おる', 'いく', '行く', 'くる', '来る', 'てる', 'れる', 'られる',
  'せる', 'させる', 'ある', 'しまう', 'ちゃう', 'なる', 'もらえる', '貰える', 'くれる', '下さる', 'くださる', 'いただける', '頂ける']);
const BRIDGE_PARTICLES = new Set(['が', 'は', 'も', 'を', 'すら', 'さえ', 'て', 'で', 'に', 'まで']);
/** Particles that may only follow a noun (が, は …), not a verb (て, で). */
const NOUN_PARTICLES = new Set(['が', 'は', 'も', 'を', 'すら', 'さえ', 'に', 'まで']);
const MAX_BRIDGE = 5;

const GODAN_POTENTIAL: Record<string, string> = { う: 'え', く: 'け', ぐ: 'げ', す: 'せ', つ: 'て', ぬ: 'ね', ぶ: 'べ', む: 'め', る: 'れ' };

/** Katakana to hiragana (readings are katakana in IPADIC). */
export function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

const KANA_ONLY = /^[\u3041-\u309f\u30a0-\u30ffー]+$/;

/**
 * The reading of a token's dictionary form, from its surface reading: 分から (ワカラ) → わかる. The surface and the
 * dictionary form share a stem; the reading keeps the surface's kana ending, which is swapped for the dictionary
 * form's. Null when that cannot be done (irregular verbs such as 来る).
 */
export function basicReading(token: Token): string | null {
  const surface = token.surface;
  const basic = token.basic_form;
  if (!basic || basic === '*' || !token.reading || token.reading === '*') return null;
  let common = 0;
  while (common < surface.length && common < basic.length && surface[common] === basic[common]) common++;
  const surfaceEnd = surface.slice(common);
  const basicEnd = basic.slice(common);
  const reading = toHiragana(token.reading);
  if (!KANA_ONLY.test(surfaceEnd + basicEnd || 'あ')) return null;
  const endKana = toHiragana(surfaceEnd);
  if (!reading.endsWith(endKana) || (common === 0 && !KANA_ONLY.test(surface))) return null;
  return reading.slice(0, reading.length - endKana.length) + toHiragana(basicEnd);
}

export interface NegationHit {
  /** Token index range [from, to). */
  from: number;
  to: number;
}

export class NegationMatcher {
  private readonly lemmas: Set<string>;
  /** Kana spellings of the lemmas, filled in by `learnReadings` when a tokenizer is available. */
  private readonly kana = new Set<string>();
  /** The entries written in kana (and their potential forms), which kanji spellings are compared with. */
  private readonly kanaEntries = new Set<string>();
  private readingsLearnt = false;

  constructor(readonly words: string[]) {
    this.lemmas = new Set<string>();
    for (const word of words) {
      this.lemmas.add(word);
      const potential = potentialOf(word);
      if (potential) this.lemmas.add(potential);
      if (!KANA_ONLY.test(word)) continue;
      for (const kana of [toHiragana(word), potential && toHiragana(potential)]) {
        if (!kana) continue;
        this.kana.add(kana);
        this.kanaEntries.add(kana);
      }
    }
  }

  /** Learns the reading of every word once (readingOf tokenises a word), so kana spellings match kanji entries. */
  learnReadings(readingOf: (word: string) => string | null): void {
    if (this.readingsLearnt) return;
    this.readingsLearnt = true;
    for (const word of this.words) {
      const reading = readingOf(word);
      if (!reading) continue;
      this.kana.add(toHiragana(reading));
      const potential = potentialOf(toHiragana(reading));
      if (potential) this.kana.add(potential);
    }
  }

  private isWord(token: Token): boolean {
    if (token.pos === '記号' || token.pos === '助詞' || token.pos === '助動詞') return false;
    if (this.lemmas.has(token.basic_form)) return true;
    // Only spelling variants: a kana token against any entry, or any token against a kana entry; never two kanji
    // spellings that merely sound alike (効く / 聞く).
    if (KANA_ONLY.test(token.basic_form)) return this.kana.has(toHiragana(token.basic_form));
    const reading = basicReading(token);
    return reading !== null && this.kanaEntries.has(reading);
  }

  findAll(tokens: Token[]): NegationHit[] {
    const hits: NegationHit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (!this.isWord(tokens[i]!)) continue;
      const end = negationAfter(tokens, i);
      if (end < 0) continue;
      hits.push({ from: i, to: end });
      i = end - 1;
    }
    return hits;
  }
}

function potentialOf(word: string): string | null {
  const last = word[word.length - 1]!;
  const e = GODAN_POTENTIAL[last];
  return e && word.length > 1 ? word.slice(0, -1) + e + 'る' : null;
}

const isNegation = (t: Token) =>
  (t.basic_form === 'ない' && (t.pos === '助動詞' || t.pos === '形容詞')) ||
  (t.pos === '助動詞' && (t.basic_form === 'ぬ' || t.basic_form === 'ん'));

/** The end (exclusive) of a negation of the word at `at`, or -1. */
function negationAfter(tokens: Token[], at: number): number {
  const noun = tokens[at]!.pos === '名詞';
  let j = at + 1;
  for (let bridged = 0; j < tokens.length && bridged <= MAX_BRIDGE; j++, bridged++) {
    const t = tokens[j]!;
    if (isNegation(t)) return finish(tokens, j);
    if (t.pos === '助詞' && BRIDGE_PARTICLES.has(t.basic_form)) {
      if (NOUN_PARTICLES.has(t.basic_form) && !(noun && j === at + 1)) return -1;
      continue;
    }
    if (t.pos === '動詞' && BRIDGE_VERBS.has(t.basic_form)) continue;
    if (t.pos === '助動詞' && t.basic_form === 'ます') continue;
    return -1;
  }
  return -1;
}

/** Past and polite endings belong to the match (届かなかった, 届きませんでした); a conditional or a request is no negation. */
function finish(tokens: Token[], neg: number): number {
  const t = tokens[neg]!;
  if (t.conjugated_form.startsWith('仮定')) return -1; // 届かなければ
  const next = tokens[neg + 1];
  // 〜できませんか / 消えないか不安: a request or a doubt, not a report.
  if (next && next.surface === 'か' && next.pos === '助詞') return -1;
  // 〜しないでください / 〜ないように / 〜ない場合: asking or supposing, not reporting.
  if (next && ((next.surface === 'で' && tokens[neg + 2]?.basic_form.match(/^(くださる|下さる|ほしい|欲しい|いただく|頂く)$/)) ||
      ['場合', 'なら', 'ように'].includes(next.surface))) return -1;
  // 届かないように (so that) is no report; 届いていないようです / 反映されていないようなのですが (it seems) is one, hedged.
  const seems = ['です', 'だ', 'でし', 'でござい', 'で'].includes(tokens[neg + 2]?.surface ?? '') ||
    (tokens[neg + 2]?.surface === 'な' && ['の', 'ん'].includes(tokens[neg + 3]?.surface ?? ''));
  if (next && next.surface === 'よう' && !seems) return -1;
  let end = neg + 1;
  while (end < tokens.length && tokens[end]!.pos === '助動詞' && ['た', 'です', 'ん'].includes(tokens[end]!.basic_form) && end - neg <= 3) end++;
  return end;
}
