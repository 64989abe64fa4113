// Splitting a draft into sentences with exact UTF-16 offsets. Sentences are the unit of caching and of
// matching: an edit re-analyses only the sentence it touched.

export interface Segment {
  /** Offset of the segment's first code unit in the draft. */
  start: number;
  text: string;
}

const TERMINATORS = new Set(['。', '！', '？', '!', '?', '．']);
const CLOSERS = new Set(['」', '』', '）', ')', '】', '"', '”', '’']);
/** Longer runs are cut so that one unpunctuated paste cannot build a huge lattice in the tokenizer. */
export const MAX_SEGMENT_LENGTH = 400;

export function splitSentences(draft: string): Segment[] {
  const segments: Segment[] = [];
  let segStart = 0;
  const push = (end: number) => {
    if (end > segStart) pushBounded(segments, draft, segStart, end);
    segStart = end;
  };
  for (let i = 0; i < draft.length; i++) {
    const ch = draft[i]!;
    if (ch === '\n' || ch === '\r') {
      push(i);
      // Line breaks (\n, \r\n, \r) belong to no sentence.
      segStart = i + 1;
      continue;
    }
    if (TERMINATORS.has(ch)) {
      let end = i + 1;
      while (end < draft.length && (TERMINATORS.has(draft[end]!) || CLOSERS.has(draft[end]!))) end++;
      push(end);
      i = end - 1;
    }
  }
  push(draft.length);
  return segments;
}

function pushBounded(out: Segment[], draft: string, start: number, end: number): void {
  while (end - start > MAX_SEGMENT_LENGTH) {
    let cut = start + MAX_SEGMENT_LENGTH;
    // Prefer to cut after a comma; never split a surrogate pair.
    const comma = Math.max(draft.lastIndexOf('、', cut - 1), draft.lastIndexOf(',', cut - 1));
    if (comma > start + MAX_SEGMENT_LENGTH / 2) cut = comma + 1;
    else if (isHighSurrogate(draft.charCodeAt(cut - 1))) cut -= 1;
    if (draft.slice(start, cut).trim()) out.push({ start, text: draft.slice(start, cut) });
    start = cut;
  }
  // Invisible characters pasted before a sentence (zero-width space, joiners, BOM) are no part of it: a rule that
  // reads the sentence's first word (「でも、」 as a conjunction) must see that word first.
  while (start < end && INVISIBLE_LEAD.has(draft[start]!)) start++;
  const text = draft.slice(start, end);
  if (text.trim()) out.push({ start, text });
}

const INVISIBLE_LEAD = new Set(['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']);

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Replaces lone surrogates with U+FFFD (same length) so offsets stay valid and no tokenizer sees broken UTF-16. */
export function replaceLoneSurrogates(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** 1-based line and column (in code points) of a UTF-16 offset, for human-readable reports. */
/** `text` as a regex matching it literally (RE2 and JavaScript alike). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = [...text.slice(lineStart, offset)].length + 1;
  return { line, column };
}
