// Mechanical checks on the labelled corpus (format: docs/corpus-format.md, categories: docs/builtin-pack-spec.md).
// A malformed label would silently distort `npm run eval`, so every problem is reported with file, line and id.
import { resolveSpan, type LabelledCase, type SpanLabel } from '../../src/engine/evaluation';

export const SPAN_CATEGORIES = [
  'forbidden-phrase',
  'negative-expression',
  'missing-alternative',
  'missing-feedback-promise',
  'keigo',
  'vague-timeline',
  'unfounded-reassurance',
  'jargon',
  'style-mix',
  'refused-escalation',
] as const;

export const REPLY_CATEGORIES = ['missing-apology', 'missing-empathy', 'missing-next-step', 'escalation', 'missing-name'] as const;

const REPLY_STATES = new Set(['satisfied', 'missing', 'not-required']);
const CASE_FIELDS = new Set(['industry', 'id', 'channel', 'customer', 'draft', 'expect', 'traps', 'reply', 'note']);
const LABEL_FIELDS = new Set(['category', 'text', 'nth', 'start', 'end']);

export interface ParsedCorpusFile {
  cases: LabelledCase[];
  errors: string[];
}

/** Parses one JSONL file and returns every problem found; `seenIds` carries id uniqueness across files. */
export function validateCorpusFile(file: string, text: string, seenIds: Map<string, string> = new Map()): ParsedCorpusFile {
  const errors: string[] = [];
  const cases: LabelledCase[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      errors.push(`${where}: not valid JSON (${(e as Error).message})`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      errors.push(`${where}: a line must be a JSON object`);
      return;
    }
    const c = value as Record<string, unknown>;
    const id = typeof c.id === 'string' && c.id.trim() ? c.id : undefined;
    const at = id ? `${where} (${id})` : where;
    if (!id) errors.push(`${where}: "id" must be a non-empty string`);
    else if (seenIds.has(id)) errors.push(`${at}: duplicate id, first used at ${seenIds.get(id)}`);
    else seenIds.set(id, where);
    for (const key of Object.keys(c)) if (!CASE_FIELDS.has(key)) errors.push(`${at}: unknown field "${key}"`);
    if (c.channel !== 'chat' && c.channel !== 'email') errors.push(`${at}: "channel" must be "chat" or "email"`);
    if (typeof c.draft !== 'string' || !c.draft.trim()) {
      errors.push(`${at}: "draft" must be a non-empty string`);
      return;
    }
    if (c.customer !== undefined && (typeof c.customer !== 'string' || !c.customer.trim())) {
      errors.push(`${at}: "customer" must be a non-empty string when present`);
    }
    const lc = { id: id ?? where, draft: c.draft } as LabelledCase;
    const resolved: Record<'expect' | 'traps', { category: string; start: number; end: number }[]> = { expect: [], traps: [] };
    for (const field of ['expect', 'traps'] as const) {
      const labels = c[field];
      if (labels === undefined) continue;
      if (!Array.isArray(labels)) {
        errors.push(`${at}: "${field}" must be an array`);
        continue;
      }
      labels.forEach((raw: unknown, i) => {
        const label = raw as SpanLabel;
        const lat = `${at} ${field}[${i}]`;
        if (typeof raw !== 'object' || raw === null) return errors.push(`${lat}: must be an object`);
        for (const key of Object.keys(label)) if (!LABEL_FIELDS.has(key)) errors.push(`${lat}: unknown field "${key}"`);
        if (!(SPAN_CATEGORIES as readonly string[]).includes(label.category)) {
          return errors.push(`${lat}: unknown span category "${String(label.category)}"`);
        }
        if (label.nth !== undefined && (!Number.isInteger(label.nth) || label.nth < 0)) {
          return errors.push(`${lat}: "nth" must be a whole number ≥ 0`);
        }
        if (label.text !== undefined && (typeof label.text !== 'string' || !label.text)) {
          return errors.push(`${lat}: "text" must be a non-empty string`);
        }
        if (label.text === undefined && (label.start === undefined || label.end === undefined)) {
          return errors.push(`${lat}: needs "text" or both "start" and "end"`);
        }
        if (label.start !== undefined && label.end !== undefined) {
          const { start, end } = label;
          if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > lc.draft.length) {
            return errors.push(`${lat}: start/end ${start}-${end} is not a span of the draft (length ${lc.draft.length})`);
          }
        }
        try {
          const span = resolveSpan(lc, label);
          const dup = resolved[field].find((o) => o.category === label.category && o.start === span.start && o.end === span.end);
          if (dup) errors.push(`${lat}: the same span is labelled twice`);
          resolved[field].push({ category: label.category, ...span });
        } catch (e) {
          errors.push(`${lat}: ${(e as Error).message}`);
        }
      });
    }
    // An expected span that overlaps a trap of the same category could never be scored consistently.
    for (const e of resolved.expect) {
      for (const t of resolved.traps) {
        if (e.category === t.category && e.start < t.end && t.start < e.end) {
          errors.push(`${at}: expected ${e.category} span 「${lc.draft.slice(e.start, e.end)}」 overlaps a trap 「${lc.draft.slice(t.start, t.end)}」`);
        }
      }
    }
    if (c.reply !== undefined) {
      if (typeof c.reply !== 'object' || c.reply === null || Array.isArray(c.reply)) errors.push(`${at}: "reply" must be an object`);
      else {
        for (const [category, state] of Object.entries(c.reply)) {
          if (!(REPLY_CATEGORIES as readonly string[]).includes(category)) errors.push(`${at}: unknown reply category "${category}"`);
          else if (typeof state !== 'string' || !REPLY_STATES.has(state)) errors.push(`${at}: reply state for ${category} must be satisfied, missing or not-required`);
        }
        // The spec: with no customer message only the next step can be required.
        if (c.customer === undefined) {
          for (const category of ['missing-apology', 'missing-empathy', 'escalation', 'missing-name']) {
            const state = (c.reply as Record<string, unknown>)[category];
            if (state !== undefined && state !== 'not-required') errors.push(`${at}: ${category} must be not-required without a customer message`);
          }
        }
      }
    }
    cases.push(c as unknown as LabelledCase);
  });
  return { cases, errors };
}
