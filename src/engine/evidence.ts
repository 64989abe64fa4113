// A customer signal's evidence, quoted in the checklist's reasons (「届いたのに」というご不満): the match widened to
// whole words with their endings, so that a match on a grammatical piece (たのに, のに。, 壊れ, たされました) reads as
// the customer's own phrase (届いたのに, 壊れていました, 待たされました), not as a fragment.
import type { Token } from './types';

/** Longer than this, the widened phrase is a clause rather than a quote: the match is kept as it was. */
const MAX_EVIDENCE_CHARS = 20;
const TRAILING_PUNCTUATION = /[。、，,．.…・\s]+$/u;
const SURU_VERBS = new Set(['する', 'できる', '出来る', 'いたす', '致す', 'なさる', 'される']);

/** Whether `token` belongs to the word before it: an ending, particle, auxiliary, suffix, or する after a verbal noun. */
function leansOnPrevious(token: Token, previous: Token | undefined): boolean {
  if (!previous || previous.pos === '記号' || token.pos === '記号') return false;
  if (token.pos === '助詞' || token.pos === '助動詞') return true;
  if (token.pos_detail_1 === '非自立' || token.pos_detail_1 === '接尾') return true;
  if (token.pos === '動詞' && SURU_VERBS.has(token.basic_form) && previous.pos === '名詞') return true;
  // A compound noun (商品到着, 配送遅延) is one word.
  return token.pos === '名詞' && previous.pos === '名詞' && previous.pos_detail_1 !== '非自立';
}

/**
 * The phrase to quote for a match [start, end) of `text`, given its tokens: from the start of the word the match
 * begins in (with a prefix such as ご) to the end of the endings that follow it, without trailing punctuation.
 */
export function readableEvidence(text: string, start: number, end: number, tokens: readonly Token[]): string {
  const match = text.slice(start, end);
  let first = tokens.findIndex((t) => t.start <= start && start < t.end);
  let last = tokens.findIndex((t) => t.start < end && end <= t.end);
  if (first < 0 || last < 0 || last < first) return match;
  while (first > 0 && leansOnPrevious(tokens[first]!, tokens[first - 1])) first--;
  if (first > 0 && tokens[first - 1]!.pos === '接頭詞') first--;
  while (last + 1 < tokens.length && tokens[last + 1]!.pos !== '名詞' && leansOnPrevious(tokens[last + 1]!, tokens[last])) last++;
  const phrase = text.slice(tokens[first]!.start, tokens[last]!.end);
  const trimmed = phrase.replace(TRAILING_PUNCTUATION, '') || phrase;
  return trimmed.length <= MAX_EVIDENCE_CHARS ? trimmed : match.replace(TRAILING_PUNCTUATION, '') || match;
}
