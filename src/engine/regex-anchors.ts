// Literal text a regular expression cannot match without, so the engine can skip running RE2 on sentences
// that lack it (RE2 in JavaScript costs microseconds per sentence; `String.includes` costs nanoseconds).
// Conservative by construction: anything this small parser does not fully understand yields no condition.

/** AND of OR-sets: a text the regex matches contains one string of every set. */
export type AnchorSets = string[][];

interface Info {
  /** Every string the node can match, when that set is finite and small; null otherwise. */
  exact: string[] | null;
  /** Conditions on any text containing a match of the node. */
  required: AnchorSets;
}

type Node =
  | { type: 'literal'; text: string }
  | { type: 'empty' } // zero-width: ^ $ \b \B \A \z
  | { type: 'other' } // ., classes, \d, \p{…}: no literal known
  | { type: 'concat'; items: Node[] }
  | { type: 'alt'; branches: Node[] }
  | { type: 'repeat'; item: Node; min: number; max: number };

const MAX_STRINGS = 64;
const OTHER: Node = { type: 'other' };

export function regexAnchorSets(source: string): AnchorSets {
  const tree = parseOrNull(source);
  if (!tree) return [];
  return withExact(analyse(tree)).filter((set) => set.length > 0 && set.every((s) => s.length > 0));
}

/**
 * Anchors for any regex, including one that starts with (?i): its anchors are then lower-cased and must be
 * looked for in `foldCase(text)`. Only ASCII letters may have case in them, so simple case folding (what RE2
 * uses) maps every text character that could match onto the anchor's own character.
 */
export function regexAnchors(source: string): { sets: AnchorSets; foldCase: boolean } {
  if (!source.startsWith('(?i)')) return { sets: regexAnchorSets(source), foldCase: false };
  const sets = regexAnchorSets(source.slice(4)).map((set) => set.map((a) => a.toLowerCase()));
  const caseless = (ch: string) => /[\x00-\x7f]/.test(ch) || (ch.toLowerCase() === ch && ch.toUpperCase() === ch);
  return { sets: sets.every((set) => set.every((a) => [...a].every(caseless))) ? sets : [], foldCase: true };
}

/** Text prepared for case-insensitive anchors: lower case, and ſ (which RE2 folds to s) as s. */
export function foldCase(text: string): string {
  return text.toLowerCase().replaceAll('ſ', 's');
}

/** Paths through a loop-free regex above which the fast path is not used (bounds backtracking per position). */
const MAX_NATIVE_PATHS = 256;

/**
 * The regex as a JavaScript RegExp when that is provably as safe as RE2 and means the same: only literals,
 * groups, `|`, `?`, `^` and `$` — no loops, so backtracking per position is bounded by the number of paths,
 * and leftmost-first matching with the same capture groups, exactly like RE2. Null otherwise (use RE2).
 */
export function nativeRegex(source: string): RegExp | null {
  const tree = parseOrNull(source);
  if (!tree || paths(tree) > MAX_NATIVE_PATHS) return null;
  return nativeRegExp(source);
}

/** The RegExp of a source that nativeRegex (or the build's facts) found safe; null if this engine refuses it. */
export function nativeRegExp(source: string): RegExp | null {
  try {
    return new RegExp(source, 'gu');
  } catch {
    return null; // e.g. an escape RE2 accepts but JavaScript's unicode mode does not
  }
}

function parseOrNull(source: string): Node | null {
  try {
    return new Parser(source).parse();
  } catch {
    return null;
  }
}

function paths(node: Node): number {
  switch (node.type) {
    case 'literal':
    case 'empty':
      return 1;
    case 'other':
      return Infinity;
    case 'concat':
      return node.items.reduce((n, item) => n * paths(item), 1);
    case 'alt':
      return node.branches.reduce((n, branch) => n + paths(branch), 0);
    case 'repeat':
      return node.min === 0 && node.max === 1 ? paths(node.item) + 1 : Infinity;
  }
}

class Unsupported extends Error {}

class Parser {
  private readonly chars: string[];
  private at = 0;

  constructor(source: string) {
    this.chars = [...source];
  }

  parse(): Node {
    const node = this.alternation();
    if (this.at !== this.chars.length) throw new Unsupported();
    return node;
  }

  private peek(): string | undefined {
    return this.chars[this.at];
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { type: 'alt', branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let ch = this.peek(); ch !== undefined && ch !== '|' && ch !== ')'; ch = this.peek()) {
      items.push(this.quantified(this.atom()));
    }
    return { type: 'concat', items };
  }

  private atom(): Node {
    const ch = this.chars[this.at++]!;
    if (ch === '(') {
      if (this.peek() === '?') {
        // Only non-capturing and named groups; flags such as (?i) change what literals mean.
        const rest = this.chars.slice(this.at, this.at + 3).join('');
        if (rest.startsWith('?:')) this.at += 2;
        else if (rest.startsWith('?P<') || (rest.startsWith('?<') && !/^\?<[=!]/.test(rest))) {
          while (this.peek() !== undefined && this.peek() !== '>') this.at++;
          this.at++;
        } else throw new Unsupported();
      }
      const inner = this.alternation();
      if (this.chars[this.at++] !== ')') throw new Unsupported();
      return inner;
    }
    if (ch === '[') {
      if (this.peek() === '^') this.at++;
      if (this.peek() === ']') this.at++;
      while (this.peek() !== undefined && this.peek() !== ']') {
        if (this.peek() === '\\') this.at++;
        else if (this.peek() === '[' && this.chars[this.at + 1] === ':') {
          while (this.peek() !== undefined && !(this.peek() === ']' && this.chars[this.at - 1] === ':')) this.at++;
        }
        this.at++;
      }
      if (this.chars[this.at++] !== ']') throw new Unsupported();
      return OTHER;
    }
    if (ch === '.') return OTHER;
    if (ch === '^' || ch === '$') return { type: 'empty' };
    if (ch === '\\') return this.escape();
    if ('*+?{'.includes(ch)) throw new Unsupported();
    return { type: 'literal', text: ch };
  }

  private escape(): Node {
    const ch = this.chars[this.at++];
    if (ch === undefined) throw new Unsupported();
    if ('bBAz'.includes(ch)) return OTHER; // zero-width, but spelled differently in JavaScript: no fast path
    if ('dDwWsS'.includes(ch)) return OTHER;
    if (ch === 'p' || ch === 'P') {
      if (this.peek() === '{') while (this.peek() !== undefined && this.chars[this.at++] !== '}');
      else this.at++;
      return OTHER;
    }
    if (ch === 'n') return { type: 'literal', text: '\n' };
    if (ch === 't') return { type: 'literal', text: '\t' };
    if (ch === 'r') return { type: 'literal', text: '\r' };
    if (/^[\p{L}\p{N}]$/u.test(ch)) throw new Unsupported(); // \x…, \Q…, octal, …: not worth understanding
    return { type: 'literal', text: ch };
  }

  private quantified(item: Node): Node {
    let node = item;
    for (;;) {
      const ch = this.peek();
      let min: number;
      let max: number;
      if (ch === '*') [min, max] = [0, Infinity];
      else if (ch === '+') [min, max] = [1, Infinity];
      else if (ch === '?') [min, max] = [0, 1];
      else if (ch === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.at, this.at + 16).join(''));
        if (!m) return node; // RE2 reads a brace that is not a repeat as a literal; treat what follows normally
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        this.at += m[0].length - 1;
      } else return node;
      this.at++;
      if (this.peek() === '?') this.at++; // lazy: same strings
      node = { type: 'repeat', item: node, min, max };
    }
  }
}

function cross(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_STRINGS) return null;
  return a.flatMap((x) => b.map((y) => x + y));
}

/** The node's conditions, plus its exact strings as one more set when they are all non-empty. */
function withExact(info: Info): AnchorSets {
  return info.exact && info.exact.every((s) => s.length > 0) ? [...info.required, info.exact] : info.required;
}

function analyse(node: Node): Info {
  switch (node.type) {
    case 'literal':
      return { exact: [node.text], required: [] };
    case 'empty':
      return { exact: [''], required: [] };
    case 'other':
      return { exact: null, required: [] };
    case 'concat': {
      const required: AnchorSets = [];
      let run: string[] | null = [''];
      let allExact = true;
      for (const item of node.items.map(analyse)) {
        if (item.exact) {
          const joined: string[] | null = run ? cross(run, item.exact) : item.exact;
          if (joined) run = joined;
          else {
            required.push(...withExact({ exact: run, required: [] }));
            run = item.exact;
            allExact = false;
          }
        } else {
          if (run) required.push(...withExact({ exact: run, required: [] }));
          required.push(...item.required);
          run = null;
          allExact = false;
        }
      }
      if (allExact) return { exact: run, required };
      if (run) required.push(...withExact({ exact: run, required: [] }));
      return { exact: null, required };
    }
    case 'alt': {
      const infos = node.branches.map(analyse);
      if (infos.every((i) => i.exact)) {
        const all = [...new Set(infos.flatMap((i) => i.exact!))];
        if (all.length <= MAX_STRINGS) return { exact: all, required: [] };
      }
      // One set for the whole alternation: each branch contributes its most selective condition.
      const union: string[] = [];
      for (const info of infos) {
        const sets = withExact(info);
        if (sets.length === 0) return { exact: null, required: [] };
        const best = sets.reduce((a, b) => (Math.min(...b.map((s) => s.length)) > Math.min(...a.map((s) => s.length)) ? b : a));
        union.push(...best);
      }
      return { exact: null, required: union.length <= MAX_STRINGS ? [[...new Set(union)]] : [] };
    }
    case 'repeat': {
      const inner = analyse(node.item);
      if (node.min === 0) {
        return { exact: node.max === 1 && inner.exact ? [...new Set(['', ...inner.exact])] : null, required: [] };
      }
      if (node.min === node.max && inner.exact && node.min <= 4) {
        let strings: string[] | null = [''];
        for (let i = 0; i < node.min && strings; i++) strings = cross(strings, inner.exact);
        if (strings) return { exact: strings, required: inner.required };
      }
      return { exact: null, required: withExact(inner) };
    }
  }
}

/** What the engine needs to know of a regex before running it: its anchors, and whether it runs natively. */
export interface RegexFacts {
  sets: AnchorSets;
  foldCase: boolean;
  native: boolean;
}

/**
 * Facts are a pure function of the source, and working them out is most of compiling a pack (the built-in pack's ~200
 * regexes took over 100 ms at a cold start): each source is analysed once, and the extension's build ships the
 * built-in pack's facts (learnRegexFacts) so that the browser analyses none of them at start.
 */
const factsBySource = new Map<string, RegexFacts>();
/** Bounds the memo for a session that loads many packs; beyond it facts are recomputed, never wrong. */
const MAX_REMEMBERED_FACTS = 20_000;
let factsComputed = 0;

export function regexFacts(source: string): RegexFacts {
  let facts = factsBySource.get(source);
  if (!facts) {
    factsComputed++;
    facts = { ...regexAnchors(source), native: nativeRegex(source) !== null };
    if (factsBySource.size < MAX_REMEMBERED_FACTS) factsBySource.set(source, facts);
  }
  return facts;
}

/** Facts worked out elsewhere (at build time) for these sources. */
export function learnRegexFacts(facts: Record<string, RegexFacts>): void {
  for (const [source, f] of Object.entries(facts)) if (factsBySource.size < MAX_REMEMBERED_FACTS) factsBySource.set(source, f);
}

/** How many sources were analysed here rather than learnt (tests: the build's facts cover the built-in pack). */
export function regexFactsComputed(): number {
  return factsComputed;
}

/** Every fact worked out or learnt so far, by source (the build ships the built-in pack's). */
export function rememberedRegexFacts(): Record<string, RegexFacts> {
  return Object.fromEntries(factsBySource);
}
