// The one place a suggestion becomes text: a finding plus one of its suggestions gives one minimal edit of the
// draft. Pack examples (`fixed`), the CLI, prh import and the extension all go through `suggestionEdit`, so what an
// example promises is what the agent's click does.
import type { Finding, Suggestion, SuggestionPlacement } from './types';
import { splitSentences, type Segment } from './text';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Offsets, in the text AFTER the edit, of a placeholder (e.g. 〇〇) the agent must fill in: the editor selects it. */
  select?: { start: number; end: number };
}

export interface FixOptions {
  /** Markers of a blank the agent fills in; the first one in the inserted text is selected (default 〇〇, ○○). */
  placeholders?: readonly string[];
}

export const SUGGESTION_PLACEMENTS: readonly SuggestionPlacement[] = [
  'after-sentence',
  'reply-start',
  'after-greeting',
  'before-closing',
  'reply-end',
];

/** 〇 (U+3007, kanji zero) and ○ (U+25CB, white circle): agents and pack authors type either. */
export const DEFAULT_PLACEHOLDERS: readonly string[] = ['〇〇', '○○'];

/** Japanese, for the CLI and the card: where an inserted suggestion goes. */
export const PLACEMENT_LABELS: Record<SuggestionPlacement, string> = {
  'after-sentence': '文の後に追加',
  'reply-start': '冒頭に追加',
  'after-greeting': 'あいさつの後に追加',
  'before-closing': '結びの前に追加',
  'reply-end': '末尾に追加',
};

/** Where the suggestion goes for this finding: its own `insert`, else a replacement (span) or `reply-end` (reply). */
export function placementOf(finding: Finding, suggestion: Suggestion): SuggestionPlacement | 'replace' {
  return suggestion.insert ?? (finding.start !== undefined && finding.end !== undefined ? 'replace' : 'reply-end');
}

/**
 * The edit that applies `suggestion` of `finding` to `draft`, or null when it cannot apply (the span's text is no
 * longer what was flagged, or an `after-sentence` suggestion on a finding without a span).
 */
export function suggestionEdit(draft: string, finding: Finding, suggestion: Suggestion, options: FixOptions = {}): TextEdit | null {
  const { start, end } = finding;
  const hasSpan = start !== undefined && end !== undefined;
  if (hasSpan) {
    if (start < 0 || end < start || end > draft.length) return null;
    if (finding.text !== undefined && draft.slice(start, end) !== finding.text) return null;
  }
  const placement = placementOf(finding, suggestion);
  let edit: TextEdit | null;
  if (placement === 'replace') edit = replacement(draft, start!, end!, suggestion.text);
  else if (placement === 'after-sentence') edit = hasSpan ? inline(draft, sentenceEnd(draft, end!), suggestion.text) : null;
  else edit = replyInsertion(draft, placement, suggestion.text);
  return edit && withSelection(edit, options.placeholders ?? DEFAULT_PLACEHOLDERS);
}

export function applyEdit(draft: string, edit: TextEdit): string {
  return draft.slice(0, edit.start) + edit.text + draft.slice(edit.end);
}

export function applySuggestion(
  draft: string,
  finding: Finding,
  suggestion: Suggestion,
  options: FixOptions = {},
): { text: string; select?: { start: number; end: number } } | null {
  const edit = suggestionEdit(draft, finding, suggestion, options);
  if (!edit) return null;
  return { text: applyEdit(draft, edit), ...(edit.select ? { select: edit.select } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------

const TERMINATORS = new Set(['。', '！', '？', '!', '?', '．']);
const CLOSERS = new Set(['」', '』', '）', ')', '】', '"', '”', '’']);
const isTerminator = (ch: string | undefined) => ch !== undefined && TERMINATORS.has(ch);
const isLineBreak = (ch: string | undefined) => ch === '\n' || ch === '\r';
const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '　';

function withSelection(edit: TextEdit, placeholders: readonly string[]): TextEdit {
  let best: { at: number; length: number } | undefined;
  for (const marker of placeholders) {
    if (!marker) continue;
    const at = edit.text.indexOf(marker);
    if (at >= 0 && (!best || at < best.at || (at === best.at && marker.length > best.length))) best = { at, length: marker.length };
  }
  return best ? { ...edit, select: { start: edit.start + best.at, end: edit.start + best.at + best.length } } : edit;
}

/** Replaces [start, end), without doubling the punctuation that follows the span (「…でしょうか。」 before 「。」). */
function replacement(draft: string, start: number, end: number, text: string): TextEdit {
  const next = draft[end];
  const last = text[text.length - 1];
  if (isTerminator(last) && isTerminator(next)) text = text.slice(0, -1);
  else if ((last === '、' || last === ',') && (next === '、' || next === ',' || isTerminator(next))) text = text.slice(0, -1);
  return { start, end, text };
}

/** The offset just after the sentence holding offset `end`: after its 。！？!? (and closing brackets), or its line end. */
function sentenceEnd(draft: string, end: number): number {
  let i = end;
  if (!isTerminator(draft[i - 1])) {
    while (i < draft.length && !isLineBreak(draft[i]) && !isTerminator(draft[i])) i++;
    if (!isTerminator(draft[i])) {
      // A line without a closing 。: insert after its last visible character.
      while (i > end && isBlank(draft[i - 1])) i--;
      return i;
    }
  }
  while (i < draft.length && (isTerminator(draft[i]) || CLOSERS.has(draft[i]!))) i++;
  return i;
}

/** Whether the text before `at` ends a sentence (。！？!?, possibly followed by closing brackets). */
function endsSentence(draft: string, at: number): boolean {
  let i = at;
  while (i > 0 && CLOSERS.has(draft[i - 1]!)) i--;
  return isTerminator(draft[i - 1]);
}

/**
 * Inserts `text` inside a line at `at`, as a sentence of its own: after unfinished text a 。 is added (a trailing 、 becomes
 * 。), and before more text on the same line the inserted text is closed with 。.
 */
function inline(draft: string, at: number, text: string): TextEdit {
  let start = at;
  let prefix = '';
  const prev = draft[at - 1];
  if (at > 0 && !isLineBreak(prev) && !endsSentence(draft, at) && text !== '') {
    if (prev === '、' || prev === ',') start = at - 1;
    prefix = '。';
  }
  const next = draft[at];
  const continues = next !== undefined && !isLineBreak(next) && draft.slice(at).trim() !== '';
  const suffix = continues && text !== '' && !isTerminator(text[text.length - 1]) && !CLOSERS.has(text[text.length - 1]!) ? '。' : '';
  return { start, end: at, text: prefix + text + suffix };
}

function lineBreakOf(draft: string): string {
  if (draft.includes('\r\n')) return '\r\n';
  if (draft.includes('\r') && !draft.includes('\n')) return '\r';
  return '\n';
}

/** A reply written on several lines (an email) gets reply-level insertions as lines of their own. */
function isMultiLine(draft: string): boolean {
  return draft.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '').length > 1;
}

function lineStart(draft: string, at: number): number {
  let i = at;
  while (i > 0 && !isLineBreak(draft[i - 1])) i--;
  return i;
}

/** Whether only blanks stand between the start of its line and `at`. */
function startsLine(draft: string, at: number): boolean {
  return draft.slice(lineStart(draft, at), at).trim() === '';
}

/** The offset after the last visible character at or before `at`. */
function contentEndBefore(draft: string, at: number): number {
  let i = at;
  while (i > 0 && draft[i - 1]!.trim() === '') i--;
  return i;
}

// Addressee lines: 山田様 / 山田 太郎 様 / 株式会社〇〇 御中 / 株式会社〇〇 (a company line above the name).
const ADDRESSEE = /^[^。！？!?]{1,30}(様|さま|御中|各位)[、,:：\s]*$|^(株式会社|有限会社|合同会社)[^。！？!?]{0,30}$|^[^。！？!?]{1,30}(株式会社|有限会社)$/;
const ADDRESSEE_PREFIX = /^[ 　]*[^。！？!?、,\s]{1,20}(様|さま)[、,][ 　]*(?=\S)/;
// Greetings and the agent introducing themselves: お問い合わせいただきありがとうございます。/ お世話になっております。/
// カスタマーサポートの佐藤です。
const GREETING = /(ありがとうございます|ありがとうございました|お世話になっております|お世話になります|お疲れ様です)[。！!]?$|(担当|サポート|窓口|センター|係|デスク)[^。！？!?]{0,20}(です|でございます|と申します)[。！!]?$/;
// Closing formulas: よろしくお願いいたします。/ 今後ともよろしくお願い申し上げます。/ ご不明な点がございましたら、お気軽に…
const CLOSING = /よろしくお願い|宜しくお願い|今後とも|ご不明な点|ご不明点|ご質問(など|等)?が(ござい|あり)|お気軽に|何卒|^以上[、。]?|失礼いたします[。]?$|ご愛顧/;

const isHeader = (segment: Segment) => {
  const text = segment.text.trim();
  return ADDRESSEE.test(text) || GREETING.test(text);
};

/** A signature line: a whole line with no sentence ending (佐藤 / カスタマーサポート / TEL 03-… / ――――). */
function isSignature(draft: string, segment: Segment): boolean {
  const text = segment.text.trim();
  if (text.length > 40 || isTerminator(text[text.length - 1])) return false;
  const start = lineStart(draft, segment.start);
  let end = segment.start + segment.text.length;
  while (end < draft.length && !isLineBreak(draft[end])) end++;
  return draft.slice(start, end).trim() === text;
}

function replyInsertion(draft: string, placement: Exclude<SuggestionPlacement, 'after-sentence'>, text: string): TextEdit {
  if (draft.trim() === '') return { start: 0, end: 0, text };
  const nl = lineBreakOf(draft);
  const lines = isMultiLine(draft);
  const segments = splitSentences(draft);
  // Before the segment at `at`: as a line of its own in a multi-line reply, else inside the line.
  const before = (at: number): TextEdit => {
    if (lines && startsLine(draft, at)) {
      const previous = contentEndBefore(draft, lineStart(draft, at));
      // Keep the inserted line with the text above it, not with the closing below a blank line.
      return previous > 0 && placement === 'before-closing'
        ? { start: previous, end: previous, text: nl + text }
        : { start: lineStart(draft, at), end: lineStart(draft, at), text: text + nl };
    }
    return inline(draft, at, text);
  };
  const atEnd = (): TextEdit => {
    const end = contentEndBefore(draft, draft.length);
    return lines ? { start: end, end, text: nl + text } : inline(draft, end, text);
  };
  switch (placement) {
    case 'reply-start':
      return { start: 0, end: 0, text: text + nl };
    case 'after-greeting': {
      const first = segments.findIndex((s) => !isHeader(s));
      if (first < 0) return atEnd();
      // 「山田様、確認いたします。」: after the addressee that opens the sentence, keeping its 、.
      const opening = ADDRESSEE_PREFIX.exec(segments[first]!.text);
      if (opening) {
        const at = segments[first]!.start + opening[0].length;
        return { start: at, end: at, text: isTerminator(text[text.length - 1]) ? text : text + '。' };
      }
      return before(segments[first]!.start);
    }
    case 'before-closing': {
      let k = segments.length;
      while (k > 0 && isSignature(draft, segments[k - 1]!) && !CLOSING.test(segments[k - 1]!.text.trim())) k--;
      let c = k;
      while (c > 0 && CLOSING.test(segments[c - 1]!.text.trim())) c--;
      // No closing formula: lines at the end are content, not a signature.
      return c === k ? atEnd() : before(segments[c]!.start);
    }
    case 'reply-end':
      return atEnd();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fixing a whole draft unattended (`kizuki check --fix`), through the same suggestionEdit as one click.

export interface AppliedFix {
  pack: string;
  rule: string;
  /** The edit, in the text of the pass that applied it. */
  edit: TextEdit;
  pass: number;
}

export interface FixDraftResult {
  text: string;
  applied: AppliedFix[];
  /** Analyses run (the last one found nothing more to apply, unless `converged` is false). */
  passes: number;
  /** False when `maxPasses` ran out while fixes were still being applied. */
  converged: boolean;
}

/**
 * Applies, to the whole draft, the first suggestion of every finding `isSafe` accepts: edits that overlap (or insert
 * at the same point) wait for the next pass, which analyses the fixed text again, up to `maxPasses` analyses. An edit
 * that would leave a blank to fill in (〇〇) is never applied, and a text seen before stops the loop.
 */
export function fixDraft(
  draft: string,
  analyzeDraft: (draft: string) => { findings: Finding[] },
  isSafe: (finding: Finding) => boolean,
  options: FixOptions & { maxPasses?: number } = {},
): FixDraftResult {
  const maxPasses = options.maxPasses ?? 5;
  const seen = new Set([draft]);
  const applied: AppliedFix[] = [];
  let text = draft;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const candidates: { finding: Finding; edit: TextEdit }[] = [];
    for (const finding of analyzeDraft(text).findings) {
      const first = finding.suggestions[0];
      if (!first || !isSafe(finding)) continue;
      const edit = suggestionEdit(text, finding, first, options);
      if (!edit || edit.select || text.slice(edit.start, edit.end) === edit.text) continue;
      candidates.push({ finding, edit });
    }
    candidates.sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end);
    const chosen: typeof candidates = [];
    for (const c of candidates) {
      const last = chosen.at(-1)?.edit;
      const touches = last && (c.edit.start < last.end || (c.edit.start === last.end && (c.edit.start === c.edit.end || last.start === last.end)));
      if (!touches) chosen.push(c);
    }
    if (chosen.length === 0) return { text, applied, passes: pass, converged: true };
    let next = text;
    for (const c of [...chosen].reverse()) next = applyEdit(next, c.edit);
    if (seen.has(next)) return { text, applied, passes: pass, converged: true };
    seen.add(next);
    for (const c of chosen) applied.push({ pack: c.finding.pack, rule: c.finding.rule, edit: c.edit, pass });
    text = next;
  }
  return { text, applied, passes: maxPasses, converged: false };
}
