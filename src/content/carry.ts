// What stays true of the findings on screen when the text changes before the next analysis returns. Pure: no DOM.
import type { Finding } from '../engine/types';

/** The one region where `before` and `after` differ: [start, beforeEnd) of `before` became [start, afterEnd) of `after`. */
export interface TextChange {
  start: number;
  beforeEnd: number;
  afterEnd: number;
}

export function diffText(before: string, after: string): TextChange | null {
  if (before === after) return null;
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, beforeEnd: before.length - tail, afterEnd: after.length - tail };
}

/**
 * The span findings that are still certainly about the same text after `change`, moved to their new offsets. A
 * finding that touches the changed region, or sits next to it (its verdict may depend on the character beside it,
 * as 「でも」 does on the 、 after it), is dropped at once rather than shown on text it no longer describes. Reply-level
 * findings are dropped too: any edit may satisfy them. The next analysis brings back what is still true.
 */
export function carryFindings(findings: readonly Finding[], change: TextChange): Finding[] {
  const delta = change.afterEnd - change.beforeEnd;
  const carried: Finding[] = [];
  for (const f of findings) {
    if (f.scope !== 'span' || f.start === undefined || f.end === undefined) continue;
    if (f.end < change.start) carried.push(f);
    else if (f.start > change.beforeEnd) carried.push({ ...f, start: f.start + delta, end: f.end + delta });
  }
  return carried;
}
