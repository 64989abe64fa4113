// Token-sequence patterns over kuromoji fields. The matcher retries from every token, so a partial match
// never hides a real one: [で, も] is found in で,で,も.
import type { Token } from './types';

export const TOKEN_FIELDS = ['surface', 'pos', 'pos_detail_1', 'pos_detail_2', 'pos_detail_3', 'conjugated_type',
  'conjugated_form', 'basic_form', 'reading'] as const;
export type TokenField = (typeof TOKEN_FIELDS)[number];

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
    const end = this.step(tokens, at, 0, spans);
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

  // Backtracking over elements; optional tokens and wildcards try the longest run first.
  private step(tokens: Token[], pos: number, index: number, spans: [number, number][]): number {
    if (index === this.elements.length) return pos;
    const el = this.elements[index]!;
    let count = 0;
    while (count < el.max && pos + count < tokens.length && this.accepts(el, tokens[pos + count]!)) count++;
    for (let n = count; n >= el.min; n--) {
      spans[index] = [pos, pos + n];
      const end = this.step(tokens, pos + n, index + 1, spans);
      if (end >= 0) return end;
    }
    return -1;
  }

  private accepts(el: Element, token: Token): boolean {
    if (!passes(token, el.tests)) return false;
    if (el.negated.length > 0 && passes(token, el.negated)) return false;
    return true;
  }

  /**
   * Strings one of which must occur in any text this pattern can match, or null when none can be derived.
   * Used to skip tokenising sentences no morpheme rule could match.
   */
  static anchors(specs: TokenSpec[]): string[] | null {
    let best: string[] | null = null;
    let bestScore = 0;
    for (const spec of specs) {
      if (spec.any || spec.optional) continue;
      const candidates = anchorCandidates(spec);
      if (!candidates) continue;
      const score = Math.min(...candidates.map((c) => c.length));
      if (score > bestScore) {
        best = candidates;
        bestScore = score;
      }
    }
    return best;
  }
}

// Conjugating words whose surfaces share no stem with their basic form (する → し/さ/せ, 来る → き/こ, だ → で/な).
const NO_STEM = new Set(['する', 'くる', '来る', '為る', 'だ', 'ぬ', 'ん', 'た', 'う', 'よう', 'まい', 'じゃ', 'る', 'れる', 'せる']);

function anchorCandidates(spec: TokenSpec): string[] | null {
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const surfaces = list(spec.surface);
  if (surfaces) {
    const out = surfaces.map((s) => (s.length > 1 && s.endsWith('*') ? s.slice(0, -1) : s));
    return out.every((s) => s.length > 0) ? out : null;
  }
  const basics = list(spec.basic_form);
  if (basics) {
    const out: string[] = [];
    for (const b of basics) {
      if (b.endsWith('*') || NO_STEM.has(b)) return null;
      // Conjugation changes only the last kana of the basic form in IPADIC (書く → 書か/書き/書い…).
      const stem = /[うくぐすつぬぶむるいだ]$/.test(b) && b.length > 1 ? b.slice(0, -1) : b;
      out.push(stem);
    }
    return out;
  }
  return null;
}
