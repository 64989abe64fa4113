// Human-readable output for a terminal: location, severity, message, the line with the span marked,
// and the suggestions. Width-aware so the caret line sits under full-width text.
import type { AnalyzeResult, ChecklistItem, Finding, Suggestion } from '../engine/index';
import { describeLimits, lineColumn, placementOf, PLACEMENT_LABELS } from '../engine/index';

export interface Style {
  color: boolean;
  /** Several files in one run: each summary line starts with its file's name. */
  nameSummary?: boolean;
}

const SEVERITY_LABEL = { error: 'error', warning: 'warning', info: 'info' } as const;
const SEVERITY_COLOR = { error: 31, warning: 33, info: 36 } as const;
const STATE_MARK: Record<ChecklistItem['state'], string> = { satisfied: '✓', missing: '✗', 'not-required': '–' };
const STATE_LABEL: Record<ChecklistItem['state'], string> = { satisfied: '済', missing: '不足', 'not-required': '不要' };

const paint = (style: Style, code: number, text: string) => (style.color ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Display columns: East Asian wide and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    width += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)) ? 2 : 1;
  }
  return width;
}

/** Characters of the line shown on each side of a finding. */
const CONTEXT_CHARS = 30;

/** Drops half a surrogate pair left at the cut end of a slice. */
function withoutBrokenPair(text: string, cut: 'start' | 'end'): string {
  if (cut === 'start') return /^[\udc00-\udfff]/.test(text) ? text.slice(1) : text;
  return /[\ud800-\udbff]$/.test(text) ? text.slice(0, -1) : text;
}

export function formatFinding(name: string, draft: string, f: Finding, style: Style): string {
  const sev = paint(style, SEVERITY_COLOR[f.severity], SEVERITY_LABEL[f.severity]);
  const lines: string[] = [];
  if (f.scope === 'span' && f.start !== undefined && f.end !== undefined) {
    const { line, column } = lineColumn(draft, f.start);
    lines.push(`${name}:${line}:${column} ${sev} ${f.message} [${f.category}/${f.rule}]`);
    // The line holding the span (CRLF, LF or a lone CR end a line, as in lineColumn).
    const lineStart = Math.max(draft.lastIndexOf('\n', f.start - 1), draft.lastIndexOf('\r', f.start - 1)) + 1;
    let lineEnd = f.start;
    while (lineEnd < draft.length && draft[lineEnd] !== '\n' && draft[lineEnd] !== '\r') lineEnd++;
    const end = Math.min(f.end, lineEnd);
    const span = draft.slice(f.start, end);
    // A long paragraph is one line: show only some context on each side so the mark stays on screen.
    let before = draft.slice(lineStart, f.start);
    let after = draft.slice(end, lineEnd);
    if (before.length > CONTEXT_CHARS) before = '...' + withoutBrokenPair(before.slice(-CONTEXT_CHARS), 'start');
    if (after.length > CONTEXT_CHARS) after = withoutBrokenPair(after.slice(0, CONTEXT_CHARS), 'end') + '...';
    lines.push(`    ${before}${paint(style, 4, span)}${after}`);
    lines.push(`    ${' '.repeat(displayWidth(before))}${paint(style, SEVERITY_COLOR[f.severity], '^'.repeat(Math.max(1, displayWidth(span))))}`);
  } else {
    // Reply-level: something missing from the whole reply, so there is no line to point at.
    lines.push(`${name}（返信全体） ${sev} ${f.message} [${f.category}/${f.rule}]`);
  }
  if (f.suggestions.length > 0) {
    lines.push(`    提案: ${f.suggestions.map((s) => formatSuggestion(f, s)).join(' / ')}`);
  }
  return lines.join('\n');
}

/**
 * 「text」（label・where it goes）: an insertion says where it is added (「（文の後に追加）」), as the fix (fix.ts) places it;
 * a replacement of the span says nothing more.
 */
export function formatSuggestion(f: Finding, s: Suggestion): string {
  const placement = placementOf(f, s);
  if (placement === 'replace' && s.text === '') return `（${s.label ?? '削除'}）`;
  const notes = [s.label, placement === 'replace' ? undefined : PLACEMENT_LABELS[placement]].filter(Boolean);
  return `「${s.text}」${notes.length ? `（${notes.join('・')}）` : ''}`;
}

export function formatChecklist(items: ChecklistItem[]): string {
  if (items.length === 0) return '';
  return ['チェックリスト:', ...items.map((i) => `  ${STATE_MARK[i.state]} ${i.label}（${STATE_LABEL[i.state]}） ${i.reason}`)].join('\n');
}

export function formatSummary(result: AnalyzeResult): string {
  const count = (s: Finding['severity']) => result.findings.filter((f) => f.severity === s).length;
  if (result.findings.length === 0) return result.limits ? `指摘はありません。\n上限: ${describeLimits(result.limits)}` : '指摘はありません。';
  const summary = `${result.findings.length} 件の指摘（エラー ${count('error')}、警告 ${count('warning')}、情報 ${count('info')}）`;
  // A cap that was hit is said in the summary, so nobody reads a cut result as complete.
  const limits = describeLimits(result.limits);
  return limits ? `${summary}
上限: ${limits}` : summary;
}

export function formatText(name: string, draft: string, result: AnalyzeResult, style: Style): string {
  const parts = result.findings.map((f) => formatFinding(name, draft, f, style));
  const checklist = formatChecklist(result.checklist);
  const summary = style.nameSummary ? `${name}: ${formatSummary(result)}` : formatSummary(result);
  return [...parts, ...(checklist ? [checklist] : []), summary].join('\n\n') + '\n';
}
