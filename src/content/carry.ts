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
 * Whether `change` replaced the draft by another one (the helpdesk loaded another ticket's draft, a macro or a paste
 * replaced everything): the changed part is more than half of the old text and more than half of the new one. Two
 * drafts often share their first and last words (「でも、」, 「。」), so what is kept at the ends is no measure.
 */
export function isAnotherDraft(before: string, change: TextChange, afterLength: number): boolean {
  const removed = change.beforeEnd - change.start;
  const added = change.afterEnd - change.start;
  return before.trim() !== '' && removed * 2 > before.length && added * 2 > afterLength;
}

/** Whether after `change` the box no longer holds the draft `before`: it was emptied, or holds another draft. */
export function replacesDraft(before: string, change: TextChange, after: string): boolean {
  return after.trim() === '' || isAnotherDraft(before, change, after.length);
}

/**
 * The span findings that are still certainly about the same text after `change`, moved to their new offsets. A
 * finding that touches the changed region, or sits next to it (its verdict may depend on the character beside it,
 * as 「でも」 does on the 、 after it), is dropped at once rather than shown on text it no longer describes. Reply-level
 * findings are dropped too: any edit may satisfy them. The next analysis brings back what is still true.
 */
export function carryFindings(findings: readonly Finding[], change: TextChange, moved?: (from: Finding, to: Finding) => void): Finding[] {
  const delta = change.afterEnd - change.beforeEnd;
  const carried: Finding[] = [];
  for (const f of findings) {
    if (f.scope !== 'span' || f.start === undefined || f.end === undefined) continue;
    if (f.end < change.start) carried.push(f);
    else if (f.start > change.beforeEnd) {
      const to = { ...f, start: f.start + delta, end: f.end + delta };
      moved?.(f, to);
      carried.push(to);
    }
  }
  return carried;
}

const placeKey = (f: Finding) => `${f.pack}/${f.rule}@${f.scope === 'span' ? `${f.start}-${f.end}` : 'reply'}|${f.message}`;

/**
 * Which shown finding is which, across edits and analyses, so that of two identical findings (the same rule on the
 * same words) the card and the commands act on the one the agent chose, not the first. A finding keeps its identity
 * while it is carried through edits, and when a later analysis finds the same rule at the same place.
 */
export class FindingIdentities {
  private readonly ids = new WeakMap<Finding, number>();
  private next = 1;

  /** carryFindings(), each moved finding keeping the identity it had. */
  carry(findings: readonly Finding[], change: TextChange): Finding[] {
    return carryFindings(findings, change, (from, to) => {
      const id = this.ids.get(from);
      if (id !== undefined) this.ids.set(to, id);
    });
  }

  /**
   * Gives the findings of an analysis of `text` their identities: that of the shown finding (`shown`, drawn on
   * `shownText`) at the same place, else a new one.
   */
  adopt(fresh: readonly Finding[], shown: readonly Finding[], shownText: string, text: string): void {
    const change = diffText(shownText, text);
    const previous = change ? this.carry(shown, change) : shown;
    const byPlace = new Map<string, number>();
    for (const f of previous) {
      const id = this.ids.get(f);
      if (id !== undefined) byPlace.set(placeKey(f), id);
    }
    for (const f of fresh) {
      const key = placeKey(f);
      const id = byPlace.get(key);
      byPlace.delete(key);
      this.ids.set(f, id ?? this.next++);
    }
  }

  /** The finding of `findings` that is `finding`; undefined when it is gone. */
  find(findings: readonly Finding[], finding: Finding): Finding | undefined {
    const id = this.ids.get(finding);
    return id === undefined ? undefined : findings.find((f) => this.ids.get(f) === id);
  }
}
