// The rule engine: draft (+ customer message) in, findings and checklist out. Pure and synchronous, so
// it runs unchanged in Node and in the extension. Work is cached per sentence, so after a one-character
// edit only the edited sentence is matched (and tokenised) again.
import type { AnalyzeInput, AnalyzeResult, ChecklistItem, CustomerContext, Finding, Suggestion, Token } from './types';
import type { CompiledRule, CompiledSignal, LoadedPack, When } from './model';
import type { Matcher, Hit, SentenceView } from './matcher';
import type { Tokenizer } from './tokenizer';
import { splitSentences, replaceLoneSurrogates, type Segment } from './text';
import { LruCache } from './lru';
import { LIMITS, type AnalyzeLimits } from './limits';
import { readableEvidence } from './evidence';

export interface EngineOptions {
  packs: LoadedPack[];
  tokenizer?: Tokenizer | null;
  /** Sentences whose results are kept (default 4,000). */
  cacheSize?: number;
  /** Characters analysed at most; the rest of a longer draft is skipped with a notice (default LIMITS.maxDraftChars). */
  maxChars?: number;
}

export interface Engine {
  analyze(input: AnalyzeInput): AnalyzeResult;
  /** What the customer's message says (signals, their evidence, the name), as the requirements read it. */
  analyzeCustomer(customer: string | undefined): CustomerContext;
  /** Attach the tokenizer once it is ready; until then token-based rules are skipped. */
  setTokenizer(tokenizer: Tokenizer): void;
  readonly hasTokenizer: boolean;
  readonly rules: readonly CompiledRule[];
}

/** Per-sentence results, one entry per matcher slot; null = needed tokens that were not available. */
interface SentenceResult {
  hits: (Hit[] | null)[];
  complete: boolean;
  /** The sentence's tokens (none without a tokenizer), tokenised at most once. */
  tokens: () => Token[];
}

/**
 * One sentence's results, computed slot by slot on demand: a requirement that is not required, or already
 * met by an earlier sentence, never runs its matchers on the rest of the reply.
 */
interface SentenceEntry {
  text: string;
  /** undefined = not computed yet; null = needed tokens that were not available. */
  hits: (Hit[] | null | undefined)[];
  tokens?: Token[] | null;
  /** A slot came out null: recompute once a tokenizer is attached. */
  incomplete: boolean;
  /** The tokenizer or a matcher threw on this sentence: its token rules found nothing. */
  failed?: boolean;
}

export const TOO_LONG_RULE = 'too-long';

export function createEngine(options: EngineOptions): Engine {
  const rules = options.packs.flatMap((p) => p.rules).filter((r) => r.enabled);
  const signals = mergeSignals(options.packs.flatMap((p) => p.signals));
  const maxChars = options.maxChars ?? LIMITS.maxDraftChars;
  let tokenizer: Tokenizer | null = options.tokenizer ?? null;

  // Every matcher the draft is searched with gets a slot; a sentence's cached result is one array of slots.
  const slots: Matcher[] = [];
  const slotOf = (m: Matcher) => slots.push(m) - 1;
  const ruleSlots = rules.map((rule) => ({
    main: rule.matcher ? slotOf(rule.matcher) : -1,
    require: (rule.require ?? []).map(slotOf),
    answers: (rule.answered?.answers ?? []).map(slotOf),
    then: (rule.then ?? []).map(slotOf),
    notWith: (rule.notWith ?? []).map(slotOf),
  }));
  const sentenceCache = new LruCache<string, SentenceEntry>(options.cacheSize ?? 4000);
  const customerCache = new LruCache<string, { context: CustomerContext; complete: boolean }>(16);

  /**
   * Tokens of one sentence, or null while no tokenizer is attached. A tokenizer that throws costs this sentence its
   * token rules (no tokens), never the reply.
   */
  function tokensOf(text: string, onFailure: () => void): Token[] | null {
    if (!tokenizer) return null;
    try {
      return tokenizer.tokenize(text);
    } catch {
      onFailure();
      return [];
    }
  }

  /** A matcher's hits in one sentence; a matcher that throws finds nothing there. */
  function safeFind(matcher: Matcher, view: SentenceView, onFailure: () => void): Hit[] | null {
    try {
      return matcher.find(view);
    } catch {
      onFailure();
      return [];
    }
  }

  /** A word's reading (for `negated` matchers: kana spellings), or null without a tokenizer. */
  function readingOf(word: string): string | null {
    if (!tokenizer) return null;
    try {
      const tokens = tokenizer.tokenize(word);
      return tokens.length > 0 && tokens.every((t) => t.reading && t.reading !== '*') ? tokens.map((t) => t.reading).join('') : null;
    } catch {
      return null;
    }
  }

  function evaluate(text: string, matchers: Matcher[]): SentenceResult {
    let tokens: Token[] | null | undefined;
    const ignore = () => {};
    const view: SentenceView = {
      text,
      tokens: () => {
        if (tokens === undefined) tokens = tokensOf(text, ignore);
        return tokens;
      },
      readingOf,
    };
    const hits = matchers.map((m) => safeFind(m, view, ignore));
    return { hits, complete: hits.every((h) => h !== null), tokens: () => view.tokens() ?? [] };
  }

  function sentenceEntry(text: string): SentenceEntry {
    const cached = sentenceCache.get(text);
    if (cached && (!cached.incomplete || !tokenizer)) return cached;
    const entry: SentenceEntry = { text, hits: new Array<undefined>(slots.length), incomplete: false };
    sentenceCache.set(text, entry);
    return entry;
  }

  function slotHits(entry: SentenceEntry, slot: number): Hit[] | null {
    let hits = entry.hits[slot];
    if (hits === undefined) {
      const failed = () => void (entry.failed = true);
      hits = safeFind(slots[slot]!, {
        text: entry.text,
        tokens: () => {
          if (entry.tokens === undefined) entry.tokens = tokensOf(entry.text, failed);
          return entry.tokens;
        },
        readingOf,
      }, failed);
      entry.hits[slot] = hits;
      if (hits === null) entry.incomplete = true;
    }
    return hits;
  }

  function analyzeCustomer(customer: string | undefined): CustomerContext {
    return readCustomer(customer).context;
  }

  /** The customer's signals, and whether every signal could be looked for (not: token signals without a tokenizer). */
  function readCustomer(customer: string | undefined): { context: CustomerContext; complete: boolean } {
    if (customer === undefined || customer.trim() === '') return { context: { known: false, signals: [], evidence: {} }, complete: true };
    const cached = customerCache.get(customer);
    if (cached && (cached.complete || !tokenizer)) return cached;
    const text = replaceLoneSurrogates(customer);
    const context: CustomerContext = { known: true, signals: [], evidence: {} };
    const matchers = signals.map((s) => s.matcher);
    let complete = true;
    for (const segment of splitSentences(text)) {
      const result = evaluate(segment.text, matchers);
      complete &&= result.complete;
      signals.forEach((signal, i) => {
        const hit = result.hits[i]?.[0];
        if (!hit || signal.id in context.evidence) return;
        context.signals.push(signal.id);
        context.evidence[signal.id] = signal.capture
          ? hit.captures[1] || hit.captures[0]!
          : readableEvidence(segment.text, hit.start, hit.end, result.tokens());
        if (signal.id === 'name') context.name = context.evidence[signal.id];
      });
    }
    // A signal whose `unless` signals fired anywhere in the message is cancelled: the whole message is read, not one
    // sentence (「解決しました。ところで、請求書はどこで見られますか。」 still asks something).
    const fired = new Set(context.signals);
    const cancelled = signals.filter((s) => fired.has(s.id) && s.unless.some((other) => fired.has(other))).map((s) => s.id);
    for (const id of cancelled) {
      context.signals.splice(context.signals.indexOf(id), 1);
      delete context.evidence[id];
      if (id === 'name') delete context.name;
    }
    const read = { context, complete };
    customerCache.set(customer, read);
    return read;
  }

  function analyze(input: AnalyzeInput): AnalyzeResult {
    const draft = input.draft ?? '';
    // Lone surrogates are replaced one for one, so every offset still points into the draft as given.
    const text = replaceLoneSurrogates(draft.length > maxChars ? draft.slice(0, maxChars) : draft);
    const segments = splitSentences(text);
    const entries = segments.map((s) => sentenceEntry(s.text));
    const { context: customer, complete: customerComplete } = readCustomer(input.customer);

    const findings: Finding[] = [];
    const checklist: ChecklistItem[] = [];
    const limits: AnalyzeLimits = {};
    // Messages and suggestions are capped after expansion, so no pack template can produce megabytes of text.
    const cap = (value: string): string => {
      if (value.length <= LIMITS.maxExpandedChars) return value;
      limits.truncatedTexts = (limits.truncatedTexts ?? 0) + 1;
      return clip(value, LIMITS.maxExpandedChars);
    };
    // An empty reply box is not a reply yet: the checklist shows what is needed, but nothing is reported missing.
    const blank = segments.length === 0;
    const globalHits = (slot: number): { hit: Hit; segment: Segment }[] => {
      const out: { hit: Hit; segment: Segment }[] = [];
      entries.forEach((entry, i) => {
        for (const hit of slotHits(entry, slot) ?? []) out.push({ hit, segment: segments[i]! });
      });
      return out;
    };
    // The first hit in reply order, evaluating sentences only until one is found.
    const firstHit = (slot: number): Hit | undefined => {
      for (const entry of entries) {
        const hit = slotHits(entry, slot)?.[0];
        if (hit) return hit;
      }
      return undefined;
    };
    const present = (slotList: number[]) => slotList.some((slot) => firstHit(slot) !== undefined);

    rules.forEach((rule, ri) => {
      const s = ruleSlots[ri]!;
      if (rule.kind === 'requirement') {
        const { item, finding } = requirement(rule, customer, s.require, s.answers, firstHit, cap);
        // Before the tokenizer is attached, a check that rests on a token signal or a token phrase not yet looked for
        // is not decided: it is left out rather than shown as missing (or not needed) for a moment. With a tokenizer
        // every signal and phrase is read, so the keystroke path skips the look.
        const unread = (slot: number) => entries.some((entry) => slotHits(entry, slot) === null);
        if (!tokenizer && (!customerComplete || (item.state === 'missing' && [...s.require, ...s.answers].some(unread)))) return;
        checklist.push(item);
        if (finding && !blank) findings.push(finding);
        return;
      }
      let hits = globalHits(s.main);
      if (rule.kind === 'conditional') {
        if (hits.length === 0) return;
        if (rule.then && present(s.then)) return;
        if (rule.notWith && !present(s.notWith)) return;
      }
      if (rule.once) {
        const seen = new Set<string>();
        hits = hits.filter(({ hit }) => !seen.has(hit.captures[0]!) && !!seen.add(hit.captures[0]!));
      }
      if (hits.length < rule.minOccurrences) return;
      for (const { hit, segment } of hits) {
        // A substitution whose replacement is the matched text itself has nothing to fix (e.g. a case-insensitive
        // pattern that also matches the expected spelling, as imported prh dictionaries do).
        if (rule.replace?.some((t) => substitute(t.text, hit.captures, LIMITS.maxExpandedChars + 1) === hit.captures[0])) continue;
        const start = segment.start + hit.start;
        const end = segment.start + hit.end;
        findings.push({
          rule: rule.id,
          pack: rule.pack,
          category: rule.category,
          severity: rule.severity,
          scope: 'span',
          start,
          end,
          text: draft.slice(start, end),
          message: cap(fill(rule.message, { match: hit.captures[0]! })),
          ...(rule.description ? { description: rule.description } : {}),
          ...(rule.link ? { link: rule.link } : {}),
          suggestions: rule.replace
            ? dedupe(rule.replace.map((t) => ({ ...t, text: cap(substitute(t.text, hit.captures, LIMITS.maxExpandedChars + 1)) })), hit.captures[0]!)
            : rule.suggestions,
          ...overridden(rule),
        });
      }
    });

    if (draft.length > maxChars) {
      limits.draft = { analysedChars: maxChars, totalChars: draft.length };
      findings.push({
        rule: TOO_LONG_RULE,
        pack: 'kizuki',
        category: 'limit',
        severity: 'info',
        scope: 'reply',
        message: `下書きが長いため、最初の ${maxChars.toLocaleString()} 文字だけを確認しました（全体 ${draft.length.toLocaleString()} 文字）。`,
        suggestions: [],
      });
    }
    findings.sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity) || (a.end ?? 0) - (b.end ?? 0));
    // Span findings come first: past the cap, the draft's later underlines go and every reply-level finding stays.
    const spanCount = findings.findIndex((f) => f.scope !== 'span');
    const spans = spanCount < 0 ? findings.length : spanCount;
    if (spans > LIMITS.maxFindings) {
      limits.droppedFindings = spans - LIMITS.maxFindings;
      findings.splice(LIMITS.maxFindings, spans - LIMITS.maxFindings);
    }
    const failedSentences = entries.filter((e) => e.failed).length;
    if (failedSentences > 0) limits.failedSentences = failedSentences;
    return Object.keys(limits).length > 0 ? { findings, checklist, limits } : { findings, checklist };
  }

  function requirement(
    rule: CompiledRule,
    customer: CustomerContext,
    requireSlots: number[],
    answerSlots: number[],
    firstHit: (slot: number) => Hit | undefined,
    cap: (value: string) => string,
  ): { item: ChecklistItem; finding?: Finding } {
    const base = { rule: rule.id, pack: rule.pack, category: rule.category, label: rule.label ?? rule.category, ...overridden(rule) };
    const need = isRequired(rule.when!, rule.withoutCustomer!, customer, signals);
    /** The first hit of the first of `slots` that has one (the order of the pack's list). */
    const firstOf = (slots: number[]): Hit | undefined => {
      for (const slot of slots) {
        const first = firstHit(slot);
        if (first) return first;
      }
      return undefined;
    };
    const present = () => firstOf(requireSlots);
    if (!need.required) {
      // Customer signals miss much of how people say they are upset (blind sets: most empathy and apology errors were
      // a feeling or a fault not recognised), while a reply that apologises or acknowledges does so for a reason. With
      // a customer message to go by, such a reply shows the item done rather than 「不要」 beside its own apology.
      const done = rule.creditWhenPresent && customer.known ? present() : undefined;
      if (done) return { item: { ...base, state: 'satisfied', reason: `返信に「${done.captures[0]}」があります。` } };
      return { item: { ...base, state: 'not-required', reason: need.reason } };
    }
    const first = present();
    if (first) return { item: { ...base, state: 'satisfied', reason: `${need.reason}「${first.captures[0]}」で満たしています。` } };
    // A question the reply settles by itself (「いつから？」「7日前からです」) leaves nothing to do. The checklist says
    // which question and which words answer it, so the agent can tell when something else is still open.
    const question = rule.answered?.questions.find((id) => customer.signals.includes(id));
    if (question) {
      const answer = firstOf(answerSlots);
      if (answer) {
        const reason = `お客様のご質問（「${customer.evidence[question]}」）に、返信が「${answer.captures[0]}」と答えています。ほかに残っていることがなければ不要です。`;
        return { item: { ...base, state: 'not-required', reason } };
      }
    }
    const values = { signals: joinJapanese(need.signalLabels), name: customer.name ?? '' };
    return {
      item: { ...base, state: 'missing', reason: need.reason },
      finding: {
        rule: rule.id,
        pack: rule.pack,
        category: rule.category,
        severity: rule.severity,
        scope: 'reply',
        message: cap(fill(rule.message, values)),
        ...(rule.description ? { description: rule.description } : {}),
        ...(rule.link ? { link: rule.link } : {}),
        suggestions: rule.suggestions
          .map((s) => ({ ...s, text: cap(fill(s.text, values)) }))
          // A suggestion that needs the customer's name is useless without it.
          .filter((s, i) => !(rule.suggestions[i]!.text.includes('{name}') && !customer.name)),
        ...overridden(rule),
      },
    };
  }

  return {
    analyze,
    analyzeCustomer,
    setTokenizer(t: Tokenizer) {
      tokenizer = t;
    },
    get hasTokenizer() {
      return tokenizer !== null;
    },
    rules,
  };
}

function isRequired(
  when: When,
  withoutCustomer: 'required' | 'not-required',
  customer: CustomerContext,
  signals: CompiledSignal[],
): { required: boolean; reason: string; signalLabels: string[] } {
  if (when === 'always') {
    if (customer.known) return { required: true, reason: 'すべての返信で確認します。', signalLabels: [] };
    // Say that no customer message was given, so the agent knows the default was applied.
    return withoutCustomer === 'required'
      ? { required: true, reason: 'すべての返信で確認します（お客様のメッセージがないため、既定の判断です）。', signalLabels: [] }
      : { required: false, reason: 'お客様のメッセージがないため確認していません。', signalLabels: [] };
  }
  if (!customer.known) {
    return withoutCustomer === 'required'
      ? { required: true, reason: 'お客様のメッセージがないため、既定で必要としています。', signalLabels: [] }
      : { required: false, reason: 'お客様のメッセージがないため、既定で不要としています。', signalLabels: [] };
  }
  const has = (id: string) => customer.signals.includes(id);
  const anyOk = !when.any || when.any.some(has);
  const allOk = !when.all || when.all.every(has);
  const blocking = (when.none ?? []).filter(has);
  const fired = [...(when.any ?? []), ...(when.all ?? [])].filter(has);
  const labelOf = (id: string) => signals.find((s) => s.id === id)?.label ?? id;
  // 「届きません」という不具合のご報告: the customer's own words, then what they show.
  const evidence = (ids: string[]) => joinJapanese(ids.map((id) => `「${customer.evidence[id]}」という${labelOf(id)}`));
  if (anyOk && allOk && blocking.length === 0) {
    const absent = (when.none ?? []).map(labelOf);
    return {
      required: true,
      reason: fired.length > 0 ? `お客様のメッセージに${evidence(fired)}があるため必要です。`
        // 「解決のご報告もお礼のご連絡もないため」: none of several is there.
        : absent.length > 1 ? `お客様のメッセージに${absent.join('も')}もないため必要です。`
        : absent.length > 0 ? `お客様のメッセージに${absent[0]}がないため必要です。`
        : '条件に当てはまるため必要です。',
      signalLabels: fired.map(labelOf),
    };
  }
  if (anyOk && allOk) {
    return { required: false, reason: `お客様のメッセージに${evidence(blocking)}があるため不要です。`, signalLabels: [] };
  }
  return { required: false, reason: 'お客様のメッセージに該当する様子がないため不要です。', signalLabels: [] };
}

/** Joins phrases as written Japanese: A / AとB / A、B、そしてC. */
export function joinJapanese(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]}と${items[1]}`;
  return `${items.slice(0, -1).join('、')}、そして${items[items.length - 1]}`;
}

/** Later packs' signals with the same id replace earlier ones, so a team can refine the built-in lists. */
function mergeSignals(all: CompiledSignal[]): CompiledSignal[] {
  const byId = new Map<string, CompiledSignal>();
  for (const s of all) byId.set(s.id, s);
  return [...byId.values()];
}

function overridden(rule: CompiledRule): { overriddenBy?: string[] } {
  return rule.overriddenBy?.length ? { overriddenBy: rule.overriddenBy } : {};
}

/** Expands `{key}` placeholders: only the values' own keys, so `{constructor}` stays as written. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key]! : whole));
}

/** Expands `$0`..`$9`, stopping once the result passes `limit` characters (the caller cuts and reports it). */
function substitute(template: string, captures: string[], limit: number): string {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\$(\d)/g)) {
    out += template.slice(last, m.index) + (captures[Number(m[1])] ?? '');
    last = m.index + m[0].length;
    if (out.length > limit) return out;
  }
  return out + template.slice(last);
}

/** `text` cut to at most `max` code units (never inside a surrogate pair), with an ellipsis. */
function clip(text: string, max: number): string {
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}

/** Drops replacements identical to the original text and duplicates. */
function dedupe(suggestions: Suggestion[], original: string): Suggestion[] {
  const seen = new Set<string>([original]);
  return suggestions.filter((s) => !seen.has(s.text) && !!seen.add(s.text));
}
