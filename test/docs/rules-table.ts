// The rule table of README.md and docs/builtin-pack.md: one row per built-in rule, its first flag example with the
// span in bold, and the rewrite exactly as one click on its first suggestion leaves it (fix.ts): an inserted text is
// wrapped in <ins>, the placeholder the editor selects in <mark>, line breaks are shown as ↵.
import { applyEdit, suggestionEdit, type CompiledRule, type Engine } from '../../src/engine/index';

export const TABLE_HEADER = '| category | rule | severity | flagged | rewrite |';
/** The rewrite cell of a rule without a one-click fix starts so; the rest is the rewrite its card explains, by hand. */
export const NO_FIX = '（提案なし）';

const lines = (text: string) => text.replace(/\r\n|\r|\n/g, '↵');

export function firstFinding(engine: Engine, rule: CompiledRule) {
  const example = rule.examples.flag[0]!;
  const finding = engine.analyze({ draft: example.draft, customer: example.customer }).findings.find((f) => f.rule === rule.id);
  if (!finding) throw new Error(`${rule.id}: its first flag example is not flagged`);
  return { example, finding };
}

export function flaggedCell(engine: Engine, rule: CompiledRule): string {
  const { example, finding } = firstFinding(engine, rule);
  if (finding.start === undefined || finding.end === undefined) return `お客様「${lines(example.customer ?? '')}」→ 返信「${lines(example.draft)}」`;
  const d = example.draft;
  return lines(`${d.slice(0, finding.start)}**${d.slice(finding.start, finding.end)}**${d.slice(finding.end)}`);
}

/** The rewrite cell, or undefined for a rule without suggestions (its cell is written by hand after NO_FIX). */
export function rewriteCell(engine: Engine, rule: CompiledRule): string | undefined {
  const { example, finding } = firstFinding(engine, rule);
  const suggestion = finding.suggestions[0];
  if (!suggestion) return undefined;
  const edit = suggestionEdit(example.draft, finding, suggestion);
  if (!edit) throw new Error(`${rule.id}: its first suggestion does not apply to its first flag example`);
  let inserted = edit.text;
  if (edit.select) {
    const s = edit.select.start - edit.start;
    const e = edit.select.end - edit.start;
    inserted = `${inserted.slice(0, s)}<mark>${inserted.slice(s, e)}</mark>${inserted.slice(e)}`;
  }
  const isInsertion = suggestion.insert !== undefined || finding.start === undefined;
  if (isInsertion) inserted = `<ins>${inserted}</ins>`;
  const d = example.draft;
  return lines(d.slice(0, edit.start) + inserted + d.slice(edit.end));
}

/** The plain text a rewrite cell stands for: markup removed, ↵ back to a line break. */
export function plainRewrite(cell: string): string {
  return cell.replace(/<\/?(ins|mark)>/g, '').replace(/↵/g, '\n');
}

export function renderRow(engine: Engine, rule: CompiledRule, handWritten?: string): string {
  const rewrite = rewriteCell(engine, rule) ?? `${NO_FIX}${handWritten ?? ''}`;
  return `| \`${rule.category}\` | \`${rule.id}\` | ${rule.severity} | ${flaggedCell(engine, rule)} | ${rewrite} |`;
}

export interface TableRow {
  line: number;
  cells: string[];
}

/** The rows of the rule table in a markdown document (after TABLE_HEADER and its separator). */
export function tableRows(markdown: string): { start: number; end: number; rows: TableRow[] } {
  const all = markdown.split('\n');
  const header = all.indexOf(TABLE_HEADER);
  if (header < 0) throw new Error('no rule table');
  const rows: TableRow[] = [];
  let i = header + 2;
  for (; i < all.length && all[i]!.startsWith('|'); i++) {
    rows.push({ line: i + 1, cells: all[i]!.slice(1, -1).split(' | ').map((c) => c.trim()) });
  }
  return { start: header + 2, end: i, rows };
}
