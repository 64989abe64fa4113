// Canned replies as QA leads have them: plain text / Markdown files, and Zendesk macro exports (JSON with
// macros[].actions[] whose `comment_value` or `comment_value_html` holds the reply). Pure: parsing and
// summarising only; the CLI reads the files.
import type { AnalyzeResult, Severity } from '../engine/index';

export interface Template {
  /** Where it came from: a file, or `file#macro title`. */
  name: string;
  text: string;
}

/** Extracts every reply text from a Zendesk macro export; errors name what is wrong. */
export function templatesFromZendesk(json: string, file: string): { templates: Template[]; errors: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { templates: [], errors: [`${file}: JSON として読めません: ${(error as Error).message}`] };
  }
  // The API returns { macros: [...] } for a list, { macro: {...} } for one; some export tools write a bare array.
  const d = data as { macros?: unknown; macro?: unknown };
  const macros: unknown[] = Array.isArray(data) ? data : Array.isArray(d?.macros) ? d.macros : d?.macro ? [d.macro] : [];
  if (macros.length === 0) {
    return { templates: [], errors: [`${file}: Zendesk のマクロが見つかりません（{"macros": [...]} の形式が必要です）`] };
  }
  const templates: Template[] = [];
  const errors: string[] = [];
  macros.forEach((m, i) => {
    const macro = m as { title?: unknown; id?: unknown; actions?: unknown };
    const title = typeof macro?.title === 'string' ? macro.title : `macros[${i}]`;
    const actions = Array.isArray(macro?.actions) ? (macro.actions as { field?: unknown; value?: unknown }[]) : [];
    const parts: string[] = [];
    for (const action of actions) {
      const value = commentValue(action?.value);
      if (value === undefined) continue;
      if (action.field === 'comment_value_html') parts.push(htmlToText(value));
      else if (action.field === 'comment_value') parts.push(value);
    }
    if (parts.length > 0) templates.push({ name: `${file}#${title}`, text: parts.join('\n\n') });
    else errors.push(`${file}#${title}: 返信本文（comment_value / comment_value_html）のないマクロです。確認を省きました`);
  });
  return { templates, errors };
}

/** comment_value is a string, or in older exports ["channel:all", "text"]. */
function commentValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const texts = value.filter((v): v is string => typeof v === 'string' && !/^channel:/.test(v));
    return texts.at(-1);
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Reply HTML to the text an agent would see: block ends and <br> become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code[0] === '#') {
        const cp = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }
      return ENTITIES[code.toLowerCase()] ?? whole;
    })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface TemplateSummary {
  name: string;
  counts: Record<Severity, number>;
  /** Rules that fired, most frequent first: `pack/rule` and count. */
  topRules: { rule: string; count: number }[];
}

export function summariseTemplate(name: string, result: AnalyzeResult): TemplateSummary {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule = new Map<string, number>();
  for (const f of result.findings) {
    counts[f.severity]++;
    const id = `${f.pack}/${f.rule}`;
    byRule.set(id, (byRule.get(id) ?? 0) + 1);
  }
  const topRules = [...byRule].map(([rule, count]) => ({ rule, count })).sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  return { name, counts, topRules };
}

/** Worst templates first: most errors, then warnings, then infos. */
export function sortSummaries(rows: TemplateSummary[]): TemplateSummary[] {
  return [...rows].sort((a, b) => b.counts.error - a.counts.error || b.counts.warning - a.counts.warning || b.counts.info - a.counts.info || a.name.localeCompare(b.name));
}
