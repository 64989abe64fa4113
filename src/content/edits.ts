// A card or panel action as an edit of the draft: the engine's one suggestion-to-edit function (engine/fix.ts),
// which the CLI and the pack examples use too.
import type { Finding } from '../engine/types';
import { suggestionEdit, type TextEdit } from '../engine/fix';

/** The edit that applies suggestion `index` of `finding` to `text`, or null when the finding no longer matches. */
export function editFor(text: string, finding: Finding, index: number): TextEdit | null {
  const suggestion = finding.suggestions[index];
  return suggestion ? suggestionEdit(text, finding, suggestion) : null;
}
