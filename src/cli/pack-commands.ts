// Pack authoring commands for QA leads: `pack lint`, `pack import-prh`, and `check --pack` over a folder of
// canned replies / Zendesk macros. Kept out of main.ts, which only dispatches here.
import type { LayerIssue } from '../engine/index';

export function formatLayerIssue(issue: LayerIssue): string {
  const where = [issue.file ? issue.file + (issue.line ? `:${issue.line}` : '') : issue.pack, issue.rule ? `ルール ${issue.rule}` : '', issue.path ?? '']
    .filter(Boolean)
    .join(' ');
  return `${issue.severity === 'error' ? 'エラー' : '警告'} ${where}: ${issue.message}`;
}
