// A card or panel action as an edit of the draft.
import type { Finding } from '../engine/types';
import type { TextEdit } from './apply';

/** The edit that applies suggestion `index` of `finding` to `text`, or null when the finding no longer matches. */
export function editFor(text: string, finding: Finding, index: number): TextEdit | null {
  const suggestion = finding.suggestions[index];
  if (!suggestion || finding.start === undefined || finding.end === undefined) return null;
  if (text.slice(finding.start, finding.end) !== finding.text) return null;
  return { start: finding.start, end: finding.end, text: suggestion.text };
}
