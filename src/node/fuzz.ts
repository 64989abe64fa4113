// Seeded fuzzing of the engine with hostile drafts (issue 9): NUL and other controls, emoji runs, ZWJ sequences,
// flags, skin tones, lone surrogate halves, combining marks, CR/CRLF and very long drafts, built from the labelled
// corpus. Each draft is checked against invariants that must hold for any input; `test/engine/fuzz.test.ts` runs a
// short version and `npm run fuzz` the long one. Uses the real tokenizer and whatever packs it is given.
import { createEngine, type AnalyzeResult, type Finding, type LoadedPack, type Tokenizer } from '../engine/index';

/** mulberry32: small and deterministic, so a failing seed can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Astral and multi-unit sequences that kuromoji mishandled (two or more astral code points in a row). */
export const EMOJI_RUNS = [
  '🙏', '🙏🙏', '😀😀😀', '👍🏽', '👍🏽👍🏽', '🇯🇵', '🇯🇵🇺🇸', '👨‍👩‍👧', '👩‍💻🙇‍♀️', '𠮷', '𠮷𠮷', '🏳️‍🌈', '❤️', '1️⃣', '🫶🏻',
];
const CONTROLS = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f', '\t'];
const ODD = ['\ud83d', '\ude4f', '\udbff', '\udc00', '\u0301', '\u3099', '\u200d', '\ufe0f', '\ufeff', '\u200b', '\ufffd', '\uffff', '\u2028', '\r', '\r\n', '\n'];

export interface FuzzOptions {
  packs: LoadedPack[];
  tokenizer: Tokenizer;
  /** Base texts (drafts and customer messages from the corpus). */
  texts: string[];
  drafts: number;
  seed?: number;
  /** How many drafts of ~`bigChars` characters to add (each costs several full analyses). */
  big?: number;
  bigChars?: number;
  /** Stop collecting examples of failures after this many (the counts go on). */
  keepFailures?: number;
}

export interface FuzzReport {
  drafts: number;
  chars: number;
  throws: number;
  /** Failed checks by invariant (`throw` included). */
  wrong: Record<string, number>;
  /** Drafts breaking an invariant other than throwing. */
  wrongTotal: number;
  ms: number;
  failures: { invariant: string; draft: string; detail: string }[];
}

/** A draft built from corpus text with hostile characters spliced in. */
export function hostileDraft(random: () => number, texts: string[]): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let draft = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(texts)).join(random() < 0.5 ? '\n' : '');
  const edits = Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const r = random();
    const piece = r < 0.3 ? pick(CONTROLS) : r < 0.7 ? pick(EMOJI_RUNS).repeat(1 + Math.floor(random() * 3)) : pick(ODD);
    draft = splice(draft, Math.floor(random() * (draft.length + 1)), piece);
  }
  if (random() < 0.15) draft = draft.replace(/\n/g, random() < 0.5 ? '\r\n' : '\r');
  return draft;
}

function splice(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

/** Where an emoji run can be inserted without changing what any rule sees: right after a 、 (then another 、). */
export function insertionPoints(draft: string): number[] {
  const out: number[] = [];
  for (let i = draft.indexOf('、'); i >= 0; i = draft.indexOf('、', i + 1)) out.push(i + 1);
  return out;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
/** Whether `offset` falls between the two halves of a surrogate pair. */
export function splitsPair(text: string, offset: number): boolean {
  return offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
}

const key = (f: Finding, shift = 0) =>
  `${f.rule}|${f.scope}|${f.start === undefined ? '' : f.start + shift}|${f.end === undefined ? '' : f.end + shift}|${f.message}|${f.suggestions.map((s) => s.text).join('/')}`;
const keys = (r: AnalyzeResult) => r.findings.map((f) => key(f)).join('\n');

export function runFuzz(options: FuzzOptions): FuzzReport {
  const random = seededRandom(options.seed ?? 1);
  const { packs, tokenizer, texts } = options;
  const report: FuzzReport = { drafts: 0, chars: 0, throws: 0, wrong: {}, wrongTotal: 0, ms: 0, failures: [] };
  const keep = options.keepFailures ?? 20;
  const warm = createEngine({ packs, tokenizer });
  // Rules whose findings cannot depend on tokens; requirements also read the customer signals.
  const signalsNeedTokens = packs.some((p) => p.signals.some((s) => s.matcher.needsTokens));
  const tokenFree = new Set(warm.rules
    .filter((r) => !(r.kind === 'requirement' && signalsNeedTokens))
    .filter((r) => ![r.matcher, ...(r.require ?? []), ...(r.then ?? []), ...(r.notWith ?? [])].some((m) => m?.needsTokens))
    .map((r) => `${r.pack}/${r.id}`));
  const began = performance.now();

  const fail = (invariant: string, draft: string, detail: string) => {
    report.wrong[invariant] = (report.wrong[invariant] ?? 0) + 1;
    if (report.failures.length < keep) report.failures.push({ invariant, draft: draft.length > 300 ? draft.slice(0, 300) + '…' : draft, detail });
  };

  const drafts: { draft: string; customer?: string }[] = [];
  for (let i = 0; i < options.drafts; i++) {
    drafts.push({ draft: hostileDraft(random, texts), ...(random() < 0.3 ? { customer: hostileDraft(random, texts) } : {}) });
  }
  for (let i = 0; i < (options.big ?? 0); i++) {
    let draft = '';
    const target = options.bigChars ?? 200_000;
    while (draft.length < target) draft += hostileDraft(random, texts) + (random() < 0.2 ? '' : '\n');
    drafts.push({ draft });
  }

  for (const input of drafts) {
    const { draft, customer } = input;
    report.drafts++;
    report.chars += draft.length;
    let wrongHere = false;
    const check = (invariant: string, ok: boolean, detail: () => string) => {
      if (ok) return;
      if (!wrongHere) report.wrongTotal++;
      wrongHere = true;
      fail(invariant, draft, detail());
    };
    try {
      const result = warm.analyze({ draft, ...(customer !== undefined ? { customer } : {}) });
      // Spans: in bounds, whole code points, and the text they report.
      for (const f of result.findings) {
        if (f.scope !== 'span') continue;
        const s = f.start!;
        const e = f.end!;
        check('span', Number.isInteger(s) && Number.isInteger(e) && 0 <= s && s < e && e <= draft.length, () => `${f.rule} [${s}, ${e})`);
        check('surrogate', !splitsPair(draft, s) && !splitsPair(draft, e), () => `${f.rule} [${s}, ${e}) splits a surrogate pair`);
        check('text', f.text === draft.slice(s, e), () => `${f.rule} text ${JSON.stringify(f.text)} != ${JSON.stringify(draft.slice(s, e))}`);
      }
      const expected = keys(result);
      // A cold engine agrees with the warm one (whose cache has seen every earlier draft).
      const cold = createEngine({ packs, tokenizer }).analyze({ draft, customer });
      check('cold', keys(cold) === expected, () => `warm:\n${expected}\ncold:\n${keys(cold)}`);
      // After a one-character edit elsewhere, analysing the draft again gives the same result.
      const at = Math.floor(random() * (draft.length + 1));
      warm.analyze({ draft: splice(draft, at, 'あ'), customer });
      const again = warm.analyze({ draft, customer });
      check('edit', keys(again) === expected, () => `before edit:\n${expected}\nafter:\n${keys(again)}`);
      // Before the tokenizer is ready, token-free rules give the same findings; once it is attached, all rules do.
      const early = createEngine({ packs });
      const before = early.analyze({ draft, customer });
      const tokenFreeKeys = (r: AnalyzeResult) => r.findings.filter((f) => tokenFree.has(`${f.pack}/${f.rule}`)).map((f) => key(f)).join('\n');
      check('no-tokenizer', tokenFreeKeys(before) === tokenFreeKeys(result), () => `with:\n${tokenFreeKeys(result)}\nwithout:\n${tokenFreeKeys(before)}`);
      early.setTokenizer(tokenizer);
      const after = early.analyze({ draft, customer });
      check('tokenizer-attached', keys(after) === expected, () => `expected:\n${expected}\ngot:\n${keys(after)}`);
      // Emoji inserted after a 、 (followed by another 、, so the next word still follows a comma): same findings, shifted.
      const points = insertionPoints(draft);
      if (points.length > 0 && draft.length < 20_000) {
        const point = points[Math.floor(random() * points.length)]!;
        const run = EMOJI_RUNS[Math.floor(random() * EMOJI_RUNS.length)]!.repeat(1 + Math.floor(random() * 2)) + '、';
        // Span findings only: a requirement's phrase may itself run across the comma (「ご確認のほど、よろしく」), and
        // text inserted there rightly stops meeting it.
        const shifted = warm.analyze({ draft: splice(draft, point, run), customer });
        const spanKeys = (r: AnalyzeResult, shift: number) => r.findings.filter((f) => f.scope === 'span')
          .map((f) => key(f, f.start! >= point ? shift : 0)).join('\n');
        const want = spanKeys(result, run.length);
        check('emoji-shift', spanKeys(shifted, 0) === want, () => `inserted ${JSON.stringify(run)} at ${point}\nexpected:\n${want}\ngot:\n${spanKeys(shifted, 0)}`);
      }
    } catch (error) {
      report.throws++;
      fail('throw', draft, (error as Error)?.stack?.split('\n').slice(0, 3).join(' ') ?? String(error));
    }
  }
  report.ms = performance.now() - began;
  return report;
}

export function formatFuzzReport(r: FuzzReport): string {
  const wrong = Object.entries(r.wrong).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return [
    `drafts: ${r.drafts.toLocaleString('en')}`,
    `chars: ${r.chars.toLocaleString('en')}`,
    `throws: ${r.throws}`,
    `wrong findings (drafts breaking an invariant other than throwing): ${r.wrongTotal} (${wrong})`,
    `time: ${(r.ms / 1000).toFixed(1)} s`,
  ].join('\n');
}
