// Token-sequence patterns over kuromoji fields. The matcher retries from every token, so a partial match
// never hides a real one: [で, も] is found in で,で,も.
import type { Token } from './types';
import { escapeRegex } from './text';
import { TOKEN_FIELDS, type TokenField } from './vocabulary';

export { TOKEN_FIELDS, type TokenField } from './vocabulary';

export interface TokenSpec {
  surface?: string | string[];
  pos?: string | string[];
  pos_detail_1?: string | string[];
  pos_detail_2?: string | string[];
  pos_detail_3?: string | string[];
  conjugated_type?: string | string[];
  conjugated_form?: string | string[];
  basic_form?: string | string[];
  reading?: string | string[];
  not?: Omit<TokenSpec, 'not' | 'optional' | 'any' | 'min' | 'max' | 'mark'>;
  optional?: boolean;
  any?: boolean;
  min?: number;
  max?: number;
  mark?: boolean;
}

type FieldTest = { field: TokenField; exact: Set<string>; prefixes: string[] };

interface Element {
  tests: FieldTest[];
  negated: FieldTest[];
  min: number;
  max: number;
  mark: boolean;
}

export interface TokenMatch {
  /** Index of the first and one past the last matched token. */
  from: number;
  to: number;
  /** Token index range of the marked part (equals from/to when nothing is marked). */
  markFrom: number;
  markTo: number;
  /** For each pattern element, the token range it consumed. */
  spans: [number, number][];
}

function fieldTests(spec: TokenSpec): FieldTest[] {
  const tests: FieldTest[] = [];
  for (const field of TOKEN_FIELDS) {
    const v = spec[field];
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const value of values) {
      if (value.length > 1 && value.endsWith('*')) prefixes.push(value.slice(0, -1));
      else exact.add(value);
    }
    tests.push({ field, exact, prefixes });
  }
  return tests;
}

function passes(token: Token, tests: FieldTest[]): boolean {
  for (const t of tests) {
    const value = token[t.field];
    if (t.exact.has(value)) continue;
    if (t.prefixes.some((p) => value.startsWith(p))) continue;
    return false;
  }
  return true;
}

export class TokenPattern {
  private readonly elements: Element[];
  /**
   * (element, token position) pairs from which the rest of the pattern is known not to match, for the token array
   * seen last. Whether the rest matches from a pair does not depend on where the match began, so the memo is shared by
   * every start position and by repeated matchAt calls (notFollowedBy, notPrecededBy) on the same sentence.
   */
  private memoTokens: Token[] | null = null;
  private memoLength = -1;
  private memoFailed: Uint8Array = new Uint8Array(0);

  constructor(specs: TokenSpec[]) {
    this.elements = specs.map((spec) => {
      const min = spec.any ? (spec.min ?? 1) : spec.optional ? 0 : 1;
      const max = spec.any ? Math.max(spec.max ?? Math.max(min, 1), min) : 1;
      return {
        tests: spec.any ? [] : fieldTests(spec),
        negated: spec.not ? fieldTests(spec.not) : [],
        min,
        max,
        mark: spec.mark === true,
      };
    });
  }

  /** Does the sequence match exactly at token index `at`? Returns the end index or -1. */
  matchAt(tokens: Token[], at: number): TokenMatch | null {
    const spans: [number, number][] = [];
    const end = this.step(tokens, at, 0, spans, this.failedFor(tokens));
    if (end < 0) return null;
    let markFrom = -1;
    let markTo = -1;
    this.elements.forEach((el, i) => {
      if (!el.mark) return;
      const [a, b] = spans[i]!;
      if (b > a) {
        if (markFrom < 0) markFrom = a;
        markTo = b;
      }
    });
    if (markFrom < 0) {
      markFrom = at;
      markTo = end;
    }
    return { from: at, to: end, markFrom, markTo, spans: spans.slice() };
  }

  /** All non-overlapping matches, leftmost first; every start position is tried. */
  findAll(tokens: Token[]): TokenMatch[] {
    const out: TokenMatch[] = [];
    for (let i = 0; i < tokens.length; ) {
      const m = this.matchAt(tokens, i);
      if (m && m.to > m.from) {
        out.push(m);
        i = m.to;
      } else i++;
    }
    return out;
  }

  private failedFor(tokens: Token[]): Uint8Array {
    // Token arrays are never changed once made (the engine caches them per sentence); the length check is a cheap guard.
    if (this.memoTokens !== tokens || this.memoLength !== tokens.length) {
      this.memoTokens = tokens;
      this.memoLength = tokens.length;
      this.memoFailed = new Uint8Array(this.elements.length * (tokens.length + 1));
    }
    return this.memoFailed;
  }

  // Depth-first over elements; optional tokens and wildcards try the longest run first, so the first match found is
  // the one plain backtracking would find. Remembering the (element, position) pairs that failed makes it polynomial:
  // each pair is expanded at most once per sentence, so at most elements × tokens × (max run + 1) steps in all, where
  // plain backtracking took exponential time on several wildcards and a token that never matches.
  private step(tokens: Token[], pos: number, index: number, spans: [number, number][], failed: Uint8Array): number {
    if (index === this.elements.length) return pos;
    const cell = index * (tokens.length + 1) + pos;
    if (failed[cell]) return -1;
    const el = this.elements[index]!;
    let count = 0;
    while (count < el.max && pos + count < tokens.length && this.accepts(el, tokens[pos + count]!)) count++;
    for (let n = count; n >= el.min; n--) {
      spans[index] = [pos, pos + n];
      const end = this.step(tokens, pos + n, index + 1, spans, failed);
      if (end >= 0) return end;
    }
    failed[cell] = 1;
    return -1;
  }

  private accepts(el: Element, token: Token): boolean {
    if (!passes(token, el.tests)) return false;
    if (el.negated.length > 0 && passes(token, el.negated)) return false;
    return true;
  }

  /**
   * Conditions a text must meet for this pattern to match anywhere in it: for every set, the text contains one
   * of its strings. Used to skip tokenising sentences no token rule could match, so they must never be wrong:
   * each string is (a prefix of) what required tokens must spell. Adjacent required tokens are joined
   * (に + な(る) → "にな"), which makes an anchor far rarer than its single-character parts.
   */
  static anchorSets(specs: TokenSpec[]): string[][] {
    const sets: string[][] = [];
    let chain: string[] | null = null; // strings spelled by the current run of adjacent literal tokens
    let chainOpen = false; // the run's last token is spelled in full, so the next token's text follows it
    const close = () => {
      if (chain) sets.push(chain);
      chain = null;
      chainOpen = false;
    };
    for (const spec of specs) {
      const required = !spec.optional && !(spec.any && (spec.min ?? 1) === 0);
      const literal = required && !spec.any ? literalOf(spec) : null;
      if (!literal) {
        close();
        continue;
      }
      if (chain && chainOpen && chain.length * literal.strings.length <= MAX_ANCHOR_COMBINATIONS) {
        chain = chain.flatMap((a) => literal.strings.map((b) => a + b));
      } else {
        close();
        chain = literal.strings;
      }
      chainOpen = literal.complete;
    }
    close();
    return sets;
  }

  /**
   * Regexes a text must match for this pattern to match in it, for runs of adjacent required tokens that
   * `anchorSets` cannot join because a token is known only by its stem: a conjugated word is its stem plus at most
   * MAX_ENDING characters in IPADIC (書か, 高かっ, なけりゃ), so に + なる + ます(基本形) needs /にな.{0,3}ます/ —
   * 「になります」 but not 「になっております」. Loop-free, so linear.
   */
  static anchorRegexes(specs: TokenSpec[]): RegExp[] {
    const regexes: RegExp[] = [];
    let run: { source: string; complete: boolean }[] = [];
    const close = () => {
      // Worth a regex only when a stem is followed by more text (otherwise anchorSets says it all).
      if (run.slice(0, -1).some((part) => !part.complete)) {
        const source = run.map((part, i) => part.source + (part.complete || i === run.length - 1 ? '' : `[\\s\\S]{0,${MAX_ENDING}}`)).join('');
        regexes.push(new RegExp(source, 'u'));
      }
      run = [];
    };
    for (const spec of specs) {
      const literal = spec.optional || spec.any ? null : literalOf(spec);
      if (!literal) {
        close();
        continue;
      }
      run.push({ source: `(?:${literal.strings.map(escapeRegex).join('|')})`, complete: literal.complete });
      // After a surface prefix (`xx*`), the token may go on for any length: the run cannot continue.
      if (!literal.complete && !literal.stem) close();
    }
    close();
    return regexes;
  }

  /**
   * For a pattern that must end its sentence (used with `notFollowedBy: [{ any: true }]`): strings one of which
   * the sentence, without its trailing punctuation and spaces, must end with; null when none can be derived.
   * Applies when the last required tokens are spelled in full and only optional punctuation tokens may follow them:
   * IPADIC 記号 of the 句点/読点 kinds, or tokens spelled out as punctuation characters only (`surface: [。, ！]`).
   */
  static endAnchors(specs: TokenSpec[]): string[] | null {
    let last = specs.length - 1;
    for (; last >= 0; last--) {
      const spec = specs[last]!;
      if (!spec.optional) break;
      if (spec.any || !(isPunctuationKind(spec) || isSpelledPunctuation(spec))) return null;
    }
    let strings: string[] = [''];
    for (let i = last; i >= 0; i--) {
      const spec = specs[i]!;
      const literal = spec.optional || spec.any ? null : literalOf(spec);
      if (!literal || !literal.complete || strings.length * literal.strings.length > MAX_ANCHOR_COMBINATIONS) break;
      strings = literal.strings.flatMap((a) => strings.map((b) => a + b));
    }
    // Compared with the sentence stripped of its trailing punctuation, so the anchors are stripped the same way.
    const anchors = strings.map(withoutTrailingPunctuation);
    return anchors.some((a) => a === '') ? null : anchors;
  }
}

const PUNCTUATION_OR_SPACE = /[\p{P}\p{Z}\s]/u;

/** `text` without its trailing punctuation and white space (a loop, so a long run of spaces stays linear). */
export function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && PUNCTUATION_OR_SPACE.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** Characters a conjugated ending adds after the stem (ましょ, かっ, けれ: 2; なけりゃ: 3). */
const MAX_ENDING = 3;

/**
 * IPADIC 記号 sub-kinds whose tokens are punctuation only (。．、， — checked over every code point by
 * test/engine/anchors.test.ts). Not 空白 or 括弧閉: kuromoji files many unknown letters (Arabic, Hebrew, …)
 * under 記号/空白, and ＞ under 括弧閉.
 */
const PUNCTUATION_KINDS = new Set(['句点', '読点']);

function isPunctuationKind(spec: TokenSpec): boolean {
  const pos = list(spec.pos);
  const detail = list(spec.pos_detail_1);
  return !!pos && pos.every((p) => p === '記号') && !!detail && detail.every((d) => PUNCTUATION_KINDS.has(d));
}

/** A token each of whose allowed surfaces the sentence-end check strips entirely (punctuation only, `surface: [。, ！]`). */
function isSpelledPunctuation(spec: TokenSpec): boolean {
  const surfaces = list(spec.surface);
  return !!surfaces && surfaces.every((s) => s.length > 0 && !s.endsWith('*') && withoutTrailingPunctuation(s) === '');
}

const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** Joining adjacent tokens multiplies their alternatives; beyond this, start a new set instead. */
const MAX_ANCHOR_COMBINATIONS = 64;

/**
 * What a token must spell: its full surface (complete), or a prefix of it — a basic form's stem (stem: at most
 * MAX_ENDING more characters follow) or a `surface: 'xx*'` prefix (any number may follow).
 */
function literalOf(spec: TokenSpec): { strings: string[]; complete: boolean; stem: boolean } | null {
  const surfaces = list(spec.surface);
  if (surfaces) {
    const prefixed = surfaces.some((s) => s.length > 1 && s.endsWith('*'));
    const strings = surfaces.map((s) => (s.length > 1 && s.endsWith('*') ? s.slice(0, -1) : s));
    return strings.every((s) => s.length > 0) ? { strings, complete: !prefixed, stem: false } : null;
  }
  const basics = list(spec.basic_form);
  if (basics) {
    // In IPADIC a word in its 基本形 is spelled exactly as its basic form.
    const forms = list(spec.conjugated_form);
    if (forms && forms.every((f) => f === '基本形') && basics.every((b) => !b.endsWith('*'))) return { strings: basics, complete: true, stem: false };
    const strings: string[] = [];
    for (const b of basics) {
      if (b.endsWith('*') || NO_STEM.has(b)) return null;
      // Conjugation changes only the last kana of the basic form in IPADIC (書く → 書か/書き/書い…).
      strings.push(/[うくぐすつぬぶむるいだ]$/.test(b) && b.length > 1 ? b.slice(0, -1) : b);
    }
    return { strings, complete: false, stem: true };
  }
  return null;
}

// Conjugating words whose surfaces share no stem with their basic form (する → し/さ/せ, 来る → き/こ, だ → で/な).
const NO_STEM = new Set(['する', 'くる', '来る', '為る', 'だ', 'ぬ', 'た', 'う', 'よう', 'まい', 'じゃ', 'る', 'れる', 'せる']);
