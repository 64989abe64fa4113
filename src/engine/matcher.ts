// Compiled "what to look for": literal phrases, RE2 regexes (linear time, so a pack can never freeze the page)
// or token patterns, plus the exceptions that keep near-misses (どなたでも) from being flagged.
import { RE2JS } from 're2js';
import { TokenPattern, type TokenSpec } from './morpheme';
import type { Token } from './types';

export interface MatcherSpec {
  phrases?: string[];
  regex?: string | string[];
  pattern?: TokenSpec[];
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
  /** Strings one of which must occur in a sentence for this matcher to fire there; null = cannot tell. */
  readonly anchors: string[] | null;
  private readonly phrases: string[];
  private readonly regexes: RE2JS[];
  private readonly pattern: TokenPattern | null;
  private readonly patternLength: number;
  private readonly notFollowedBy: TokenPattern | null;
  private readonly notPrecededBy: TokenPattern | null;
  private readonly notPrecededLength: number;
  private readonly except: string[];
  private readonly exceptInSentence: string[];
  private readonly exceptWithin: RE2JS[];

  constructor(spec: MatcherSpec) {
    this.phrases = spec.phrases ?? [];
    const regexSources = spec.regex === undefined ? [] : Array.isArray(spec.regex) ? spec.regex : [spec.regex];
    this.regexes = regexSources.map((source, i) => compileRegex(source, Array.isArray(spec.regex) ? `regex[${i}]` : 'regex'));
    this.pattern = spec.pattern ? new TokenPattern(spec.pattern) : null;
    this.patternLength = spec.pattern?.length ?? 0;
    if (!spec.pattern && (spec.notFollowedBy || spec.notPrecededBy)) {
      throw new MatcherCompileError(spec.notFollowedBy ? 'notFollowedBy' : 'notPrecededBy', 'pattern と一緒に使ってください');
    }
    if (this.phrases.length === 0 && this.regexes.length === 0 && !this.pattern) {
      throw new MatcherCompileError('phrases', 'phrases・regex・pattern のどれかが必要です');
    }
    this.notFollowedBy = spec.notFollowedBy ? new TokenPattern(spec.notFollowedBy) : null;
    this.notPrecededBy = spec.notPrecededBy ? new TokenPattern(spec.notPrecededBy) : null;
    this.notPrecededLength = spec.notPrecededBy?.length ?? 0;
    this.except = spec.except ?? [];
    this.exceptInSentence = spec.exceptInSentence ?? [];
    const withinSources = spec.exceptWithin === undefined ? [] : Array.isArray(spec.exceptWithin) ? spec.exceptWithin : [spec.exceptWithin];
    this.exceptWithin = withinSources.map((source, i) =>
      compileRegex(source, Array.isArray(spec.exceptWithin) ? `exceptWithin[${i}]` : 'exceptWithin'));
    this.needsTokens = this.pattern !== null;
    this.anchors =
      this.regexes.length > 0 ? null
      : this.pattern ? (this.phrases.length > 0 ? null : TokenPattern.anchors(spec.pattern!))
      : this.phrases;
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
    for (const re of this.regexes) {
      const m = re.matcher(text);
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
      if (this.anchors && !this.anchors.some((a) => text.includes(a))) {
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
    return this.filterExceptions(text, hits);
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
    const within = hits.length > 0 ? this.exceptWithin.flatMap((re) => regexSpans(re, text)) : [];
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

export function compileRegex(source: string, field: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MatcherCompileError(field, `正規表現として使えません（RE2 の文法で、後方参照や先読みは不可）: ${reason}`);
  }
}
