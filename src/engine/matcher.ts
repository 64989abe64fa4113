// Compiled "what to look for": literal phrases, RE2 regexes (linear time, so a pack can never freeze the page)
// or token patterns, plus the exceptions that keep near-misses (どなたでも) from being flagged.
import { RE2JS } from 're2js';
import { TokenPattern, withoutTrailingPunctuation, type TokenSpec } from './morpheme';
import { foldCase, nativeRegExp, regexFacts, type AnchorSets } from './regex-anchors';
import type { Token } from './types';
import { LIMITS } from './limits';
import { NegationMatcher } from './negation';

export interface MatcherSpec {
  phrases?: string[];
  regex?: string | string[];
  pattern?: TokenSpec[];
  /** Words (dictionary forms) that match only when negated, in any form: 届く → 届かない, 届いておりません … */
  negated?: string[];
  notFollowedBy?: TokenSpec[];
  notPrecededBy?: TokenSpec[];
  except?: string[];
  exceptInSentence?: string[];
  exceptWithin?: string | string[];
}

/** A sentence as matchers see it: its text, and its tokens on demand (null while no tokenizer is ready). */
export interface SentenceView {
  text: string;
  tokens(): Token[] | null;
  /** The reading of a word (katakana), when a tokenizer is available: lets `negated` match kana spellings. */
  readingOf?(word: string): string | null;
}

export interface Hit {
  /** Offsets relative to the sentence. */
  start: number;
  end: number;
  /** $0 is the whole match; $1.. regex groups or the Nth pattern token's surface. */
  captures: string[];
}

export class MatcherCompileError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class Matcher {
  readonly needsTokens: boolean;
  private readonly phrases: string[];
  /** RE2 programs, compiled at construction, or on first use with `trusted` (see the constructor). */
  private readonly regexes: Lazy<RE2JS>[];
  /** Per regex: literals a sentence must contain for it to match (see regex-anchors.ts). */
  private readonly regexAnchors: { sets: AnchorSets; foldCase: boolean }[];
  /** Per regex: the same regex on the built-in engine when provably safe and equivalent (much faster than RE2 in JS). */
  private readonly nativeRegexes: (RegExp | null)[];
  private readonly pattern: TokenPattern | null;
  private readonly negated: NegationMatcher | null;
  /** The pattern can only match a sentence containing one string of every set (see TokenPattern.anchorSets). */
  private readonly tokenAnchors: string[][];
  /** ... and match all of these (stems followed by the next token: see TokenPattern.anchorRegexes). */
  private readonly tokenAnchorRegexes: RegExp[];
  /** The pattern can only match a sentence ending (before punctuation and spaces) with one of these. */
  private readonly endAnchors: string[] | null;
  private readonly patternLength: number;
  private readonly notFollowedBy: TokenPattern | null;
  private readonly notPrecededBy: TokenPattern | null;
  private readonly notPrecededLength: number;
  private readonly except: string[];
  private readonly exceptInSentence: string[];
  private readonly exceptWithin: Lazy<RE2JS>[];

  /**
   * `optimise: false` tokenises every sentence and runs every regex on RE2: the reference behaviour that tests
   * compare the fast paths (anchors, regex literals, native regexes) against. `trusted`: the regexes were checked
   * when the pack was built (the built-in pack, tested in `npm test`), so each RE2 program is compiled when first
   * needed: most never are, since a literal or a native regex answers first, and compiling them all was over half of
   * the engine's start in the browser.
   */
  constructor(
    spec: MatcherSpec,
    private readonly options: { optimise?: boolean; trusted?: boolean } = {},
  ) {
    for (const field of ['pattern', 'notFollowedBy', 'notPrecededBy'] as const) {
      const length = spec[field]?.length ?? 0;
      if (length > LIMITS.maxPatternTokens) {
        throw new MatcherCompileError(field, `トークンが多すぎます（${length} 個、上限 ${LIMITS.maxPatternTokens} 個）。パターンを分けてください`);
      }
    }
    this.phrases = spec.phrases ?? [];
    const regexSources = spec.regex === undefined ? [] : Array.isArray(spec.regex) ? spec.regex : [spec.regex];
    const compile = (source: string, field: string): Lazy<RE2JS> => lazy(() => compileRegex(source, field), !options.trusted);
    this.regexes = regexSources.map((source, i) => compile(source, Array.isArray(spec.regex) ? `regex[${i}]` : 'regex'));
    const facts = regexSources.map(regexFacts);
    this.regexAnchors = facts.map(({ sets, foldCase }) => ({ sets, foldCase }));
    this.nativeRegexes = regexSources.map((source, i) => (options.optimise === false || !facts[i]!.native ? null : nativeRegExp(source)));
    this.pattern = spec.pattern ? new TokenPattern(spec.pattern) : null;
    this.patternLength = spec.pattern?.length ?? 0;
    if (!spec.pattern && (spec.notFollowedBy || spec.notPrecededBy)) {
      throw new MatcherCompileError(spec.notFollowedBy ? 'notFollowedBy' : 'notPrecededBy', 'pattern と一緒に使ってください');
    }
    this.negated = spec.negated && spec.negated.length > 0 ? new NegationMatcher(spec.negated) : null;
    if (this.phrases.length === 0 && this.regexes.length === 0 && !this.pattern && !this.negated) {
      throw new MatcherCompileError('phrases', 'phrases・regex・pattern・negated のどれかが必要です');
    }
    this.notFollowedBy = spec.notFollowedBy ? new TokenPattern(spec.notFollowedBy) : null;
    this.notPrecededBy = spec.notPrecededBy ? new TokenPattern(spec.notPrecededBy) : null;
    this.notPrecededLength = spec.notPrecededBy?.length ?? 0;
    this.except = spec.except ?? [];
    this.exceptInSentence = spec.exceptInSentence ?? [];
    const withinSources = spec.exceptWithin === undefined ? [] : Array.isArray(spec.exceptWithin) ? spec.exceptWithin : [spec.exceptWithin];
    this.exceptWithin = withinSources.map((source, i) => compile(source, Array.isArray(spec.exceptWithin) ? `exceptWithin[${i}]` : 'exceptWithin'));
    this.needsTokens = this.pattern !== null || this.negated !== null;
    this.tokenAnchors = spec.pattern ? TokenPattern.anchorSets(spec.pattern) : [];
    this.tokenAnchorRegexes = spec.pattern ? TokenPattern.anchorRegexes(spec.pattern) : [];
    // `notFollowedBy: [{ any: true }]` = the match ends the sentence, so the sentence must end with its text.
    const endsSentence = spec.notFollowedBy?.length === 1 && spec.notFollowedBy[0]!.any === true && (spec.notFollowedBy[0]!.min ?? 1) >= 1;
    this.endAnchors = spec.pattern && endsSentence ? TokenPattern.endAnchors(spec.pattern) : null;
  }

  /** Whether this matcher can be evaluated on this sentence right now (tokens available if needed). */
  find(sentence: SentenceView): Hit[] | null {
    const text = sentence.text;
    if (this.exceptInSentence.some((s) => text.includes(s))) return [];
    const hits: Hit[] = [];
    for (const phrase of this.phrases) {
      for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + phrase.length)) {
        hits.push({ start: at, end: at + phrase.length, captures: [phrase] });
      }
    }
    let folded: string | undefined;
    for (const [r, re] of this.regexes.entries()) {
      const anchors = this.regexAnchors[r]!;
      if (this.options.optimise !== false && !containsAll(anchors.foldCase ? (folded ??= foldCase(text)) : text, anchors.sets)) continue;
      const native = this.nativeRegexes[r];
      if (native) {
        native.lastIndex = 0;
        for (let m = native.exec(text); m; m = native.exec(text)) {
          if (m[0].length > 0) hits.push({ start: m.index, end: m.index + m[0].length, captures: Array.from(m, (g) => g ?? '') });
          // Step over an empty match by a whole code point (in unicode mode, half a surrogate pair steps back).
          else native.lastIndex = m.index + (isSurrogatePair(text, m.index) ? 2 : 1);
        }
        continue;
      }
      const m = re().matcher(text);
      let from = 0;
      while (from <= text.length && m.find(from)) {
        const start = m.start();
        const end = m.end();
        if (end > start) {
          const captures = [text.slice(start, end)];
          for (let g = 1; g <= m.groupCount(); g++) captures.push(m.group(g) ?? '');
          hits.push({ start, end, captures });
        }
        from = end > start ? end : start + 1;
      }
    }
    if (this.pattern) {
      if (this.options.optimise !== false && (!containsAll(text, this.tokenAnchors) || !this.endsWithAnchor(text) || !this.tokenAnchorRegexes.every((re) => re.test(text)))) {
        // No token could match: skip tokenising this sentence.
      } else {
        const tokens = sentence.tokens();
        if (tokens === null) return null;
        for (const m of this.pattern.findAll(tokens)) {
          if (this.notFollowedBy?.matchAt(tokens, m.to)) continue;
          if (this.notPrecededBy && this.precededBy(tokens, m.from)) continue;
          const first = tokens[m.markFrom]!;
          const last = tokens[m.markTo - 1]!;
          const captures = [text.slice(first.start, last.end)];
          for (const [a, b] of m.spans) captures.push(b > a ? text.slice(tokens[a]!.start, tokens[b - 1]!.end) : '');
          hits.push({ start: first.start, end: last.end, captures });
        }
      }
    }
    if (this.negated) {
      const tokens = sentence.tokens();
      if (tokens === null) return null;
      if (sentence.readingOf) this.negated.learnReadings((word) => sentence.readingOf!(word));
      for (const m of this.negated.findAll(tokens)) {
        const start = tokens[m.from]!.start;
        const end = tokens[m.to - 1]!.end;
        hits.push({ start, end, captures: [text.slice(start, end)] });
      }
    }
    return this.filterExceptions(text, hits);
  }

  private endsWithAnchor(text: string): boolean {
    if (!this.endAnchors) return true;
    const body = withoutTrailingPunctuation(text);
    return this.endAnchors.some((a) => body.endsWith(a));
  }

  private precededBy(tokens: Token[], at: number): boolean {
    // The guard pattern may have optional tokens: try every start that could end exactly at `at`.
    for (let from = Math.max(0, at - this.notPrecededLength * 3); from < at; from++) {
      const m = this.notPrecededBy!.matchAt(tokens, from);
      if (m && m.to === at) return true;
    }
    return false;
  }

  private filterExceptions(text: string, hits: Hit[]): Hit[] {
    if (this.except.length === 0 && this.exceptWithin.length === 0 && hits.length < 2) return hits;
    const within = hits.length > 0 ? this.exceptWithin.flatMap((re) => regexSpans(re(), text)) : [];
    const kept = hits.filter(
      (hit) =>
        !this.except.some((ex) => insideOccurrence(text, ex, hit)) &&
        !within.some(([a, b]) => a <= hit.start && hit.end <= b),
    );
    // Overlapping hits from different alternatives collapse to the first (longest-first order below).
    kept.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: Hit[] = [];
    for (const h of kept) {
      const prev = out[out.length - 1];
      if (prev && h.start < prev.end) continue;
      out.push(h);
    }
    return out;
  }
}

function isSurrogatePair(text: string, at: number): boolean {
  const high = text.charCodeAt(at);
  const low = text.charCodeAt(at + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** Whether `text` contains one string of every set. */
function containsAll(text: string, sets: AnchorSets): boolean {
  return sets.every((set) => set.some((a) => text.includes(a)));
}


/** Every non-empty match of `re` in `text`, as [start, end). */
function regexSpans(re: RE2JS, text: string): [number, number][] {
  const spans: [number, number][] = [];
  const m = re.matcher(text);
  let from = 0;
  while (from <= text.length && m.find(from)) {
    if (m.end() > m.start()) spans.push([m.start(), m.end()]);
    from = m.end() > m.start() ? m.end() : m.start() + 1;
  }
  return spans;
}

function insideOccurrence(text: string, needle: string, hit: Hit): boolean {
  const earliest = Math.max(0, hit.end - needle.length);
  for (let at = text.indexOf(needle, earliest); at >= 0 && at <= hit.start; at = text.indexOf(needle, at + 1)) {
    if (at <= hit.start && at + needle.length >= hit.end) return true;
  }
  return false;
}

type Lazy<T> = () => T;

/** `make`'s value, made now when `eager` (so that its errors surface now), else on the first call. */
function lazy<T>(make: () => T, eager: boolean): Lazy<T> {
  if (eager) {
    const value = make();
    return () => value;
  }
  let value: T | undefined;
  return () => (value ??= make());
}

export function compileRegex(source: string, field: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (error) {
    // Name the two features pack authors most often bring from JavaScript regexes; RE2's own reason otherwise.
    const unsupported =
      /(^|[^\\])(\\\\)*\\[1-9]|\\k</.test(source) ? '後方参照（\\1 など）は使えません'
      : /\(\?<?[=!]/.test(source) ? '先読み・後読み（(?= (?! (?<= (?<!）は使えません'
      : `RE2 の文法に合いません: ${error instanceof Error ? error.message : String(error)}`;
    throw new MatcherCompileError(
      field,
      `正規表現 ${JSON.stringify(source)} は使えません。${unsupported}（ブラウザーを固まらせないよう、線形時間で動く RE2 の文法だけを受け付けます）`,
    );
  }
}
