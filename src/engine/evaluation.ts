// Scoring findings against a labelled corpus (format: docs/corpus-format.md). Pure: used by
// `npm run eval` and `kizuki check --batch --score` alike.
import type { AnalyzeResult, ChecklistState } from './types';

export interface SpanLabel {
  category: string;
  text?: string;
  nth?: number;
  start?: number;
  end?: number;
}

export interface LabelledCase {
  id: string;
  draft: string;
  customer?: string;
  expect?: SpanLabel[];
  traps?: SpanLabel[];
  reply?: Record<string, ChecklistState>;
}

export interface CategoryScore {
  category: string;
  expected: number;
  found: number;
  findings: number;
  truePositives: number;
  trapHits: number;
  recall: number;
  precision: number;
}

export interface ReplyScore {
  category: string;
  labelled: number;
  correct: number;
  accuracy: number;
}

export interface Miss {
  id: string;
  kind: 'missed' | 'false-positive' | 'trap' | 'reply';
  category: string;
  text: string;
  detail?: string;
}

export interface EvaluationReport {
  cases: number;
  /**
   * Span findings not scored, because the set cannot judge them: findings in a case with neither `expect` nor
   * `traps` (written for reply-level labels only), or in a category that no case of the set labels.
   */
  unscored: { findings: number; categories: string[] };
  spans: CategoryScore[];
  replies: ReplyScore[];
  overall: { precision: number; recall: number; replyAccuracy: number };
  misses: Miss[];
}

/** Resolves a label to offsets; throws with the case id when the text is not in the draft. */
export function resolveSpan(c: LabelledCase, label: SpanLabel): { start: number; end: number } {
  if (label.start !== undefined && label.end !== undefined) return { start: label.start, end: label.end };
  if (label.text === undefined) throw new Error(`${c.id}: a label needs text or start/end`);
  let at = -1;
  for (let n = 0; n <= (label.nth ?? 0); n++) {
    at = c.draft.indexOf(label.text, at + 1);
    if (at < 0) throw new Error(`${c.id}: 「${label.text}」 (nth ${label.nth ?? 0}) is not in the draft`);
  }
  return { start: at, end: at + label.text.length };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

export function evaluate(cases: LabelledCase[], results: AnalyzeResult[]): EvaluationReport {
  const span = new Map<string, CategoryScore>();
  const reply = new Map<string, ReplyScore>();
  const misses: Miss[] = [];
  // A set labels completely only the span categories it uses somewhere; a writer who was asked about keigo slips
  // has not judged whether a reply offers an alternative.
  const labelled = new Set(cases.flatMap((c) => [...(c.expect ?? []), ...(c.traps ?? [])].map((l) => l.category)));
  const unscoredCategories = new Set<string>();
  let unscoredFindings = 0;
  const spanScore = (category: string) => {
    let s = span.get(category);
    if (!s) span.set(category, (s = { category, expected: 0, found: 0, findings: 0, truePositives: 0, trapHits: 0, recall: 1, precision: 1 }));
    return s;
  };
  cases.forEach((c, i) => {
    const result = results[i]!;
    const spanLabelled = c.expect !== undefined || c.traps !== undefined;
    const spanFindings = result.findings.filter((f) => {
      if (f.scope !== 'span' || f.start === undefined || f.end === undefined) return false;
      if (spanLabelled && labelled.has(f.category)) return true;
      unscoredFindings++;
      if (spanLabelled) unscoredCategories.add(f.category);
      return false;
    });
    const expected = (c.expect ?? []).map((l) => ({ ...resolveSpan(c, l), category: l.category }));
    const traps = (c.traps ?? []).map((l) => ({ ...resolveSpan(c, l), category: l.category }));
    for (const e of expected) {
      const s = spanScore(e.category);
      s.expected++;
      if (spanFindings.some((f) => f.category === e.category && overlaps(e, { start: f.start!, end: f.end! }))) s.found++;
      else misses.push({ id: c.id, kind: 'missed', category: e.category, text: c.draft.slice(e.start, e.end) });
    }
    for (const f of spanFindings) {
      const s = spanScore(f.category);
      s.findings++;
      const fs = { start: f.start!, end: f.end! };
      if (expected.some((e) => e.category === f.category && overlaps(e, fs))) s.truePositives++;
      else {
        const trap = traps.some((t) => t.category === f.category && overlaps(t, fs));
        if (trap) s.trapHits++;
        misses.push({ id: c.id, kind: trap ? 'trap' : 'false-positive', category: f.category, text: f.text ?? c.draft.slice(fs.start, fs.end), detail: f.rule });
      }
    }
    for (const [category, want] of Object.entries(c.reply ?? {})) {
      let r = reply.get(category);
      if (!r) reply.set(category, (r = { category, labelled: 0, correct: 0, accuracy: 1 }));
      r.labelled++;
      const got = result.checklist.find((item) => item.category === category)?.state ?? 'not-required';
      if (got === want) r.correct++;
      else misses.push({ id: c.id, kind: 'reply', category, text: `expected ${want}, got ${got}` });
    }
  });
  let tp = 0, nf = 0, found = 0, ne = 0, rc = 0, rl = 0;
  for (const s of span.values()) {
    s.recall = s.expected ? s.found / s.expected : 1;
    s.precision = s.findings ? s.truePositives / s.findings : 1;
    tp += s.truePositives; nf += s.findings; found += s.found; ne += s.expected;
  }
  for (const r of reply.values()) {
    r.accuracy = r.labelled ? r.correct / r.labelled : 1;
    rc += r.correct; rl += r.labelled;
  }
  return {
    cases: cases.length,
    unscored: { findings: unscoredFindings, categories: [...unscoredCategories].sort() },
    spans: [...span.values()].sort((a, b) => a.category.localeCompare(b.category)),
    replies: [...reply.values()].sort((a, b) => a.category.localeCompare(b.category)),
    overall: { precision: nf ? tp / nf : 1, recall: ne ? found / ne : 1, replyAccuracy: rl ? rc / rl : 1 },
    misses,
  };
}

/**
 * A rate as a percentage with one decimal, rounded DOWN: a figure printed at a bar (95.0%) has reached it (94.99%
 * prints as 94.9%).
 */
export function percent(x: number): string {
  return `${(Math.floor(x * 1000 + 1e-9) / 10).toFixed(1)}%`;
}

export function formatReport(report: EvaluationReport): string {
  const pct = (x: number) => percent(x).padStart(6);
  const lines = [`cases: ${report.cases}`, '', 'span category              expected  recall  findings  precision  trap-hits'];
  for (const s of report.spans) {
    lines.push(`${s.category.padEnd(26)} ${String(s.expected).padStart(8)}  ${pct(s.recall)}  ${String(s.findings).padStart(8)}  ${pct(s.precision)}    ${String(s.trapHits).padStart(7)}`);
  }
  lines.push('', 'reply-level category       labelled  accuracy');
  for (const r of report.replies) lines.push(`${r.category.padEnd(26)} ${String(r.labelled).padStart(8)}  ${pct(r.accuracy)}`);
  if (report.unscored.findings > 0) {
    const where = report.unscored.categories.length ? ` (categories the set does not label: ${report.unscored.categories.join(', ')})` : '';
    lines.push('', `not scored: ${report.unscored.findings} span findings in cases without span labels or in categories no case labels${where}`);
  }
  lines.push('', `overall: span precision ${pct(report.overall.precision)}, span recall ${pct(report.overall.recall)}, reply-level accuracy ${pct(report.overall.replyAccuracy)}`);
  return lines.join('\n');
}

/** The agreed quality bar for the built-in pack on its labelled corpus (issue 3). */
export const THRESHOLDS = { precision: 0.95, recall: 0.9, replyAccuracy: 0.9 };

/** Every category below the thresholds, as one readable line each; empty when all pass. */
export function thresholdFailures(report: EvaluationReport, thresholds = THRESHOLDS): string[] {
  const failures: string[] = [];
  for (const s of report.spans) {
    if (s.precision < thresholds.precision) failures.push(`${s.category}: span precision ${s.precision.toFixed(3)} < ${thresholds.precision}`);
    if (s.recall < thresholds.recall) failures.push(`${s.category}: span recall ${s.recall.toFixed(3)} < ${thresholds.recall}`);
  }
  for (const r of report.replies) {
    if (r.accuracy < thresholds.replyAccuracy) failures.push(`${r.category}: reply-level accuracy ${r.accuracy.toFixed(3)} < ${thresholds.replyAccuracy}`);
  }
  return failures;
}

/** One line per miss, grouped by category, for reading what to fix. */
export function formatMisses(report: EvaluationReport): string {
  const order = { missed: 0, trap: 1, 'false-positive': 2, reply: 3 } as const;
  const sorted = [...report.misses].sort((a, b) => a.category.localeCompare(b.category) || order[a.kind] - order[b.kind] || a.id.localeCompare(b.id));
  return sorted.map((m) => `  ${m.kind.padEnd(14)} ${m.id.padEnd(18)} ${m.category.padEnd(24)} ${m.text}${m.detail ? ` (${m.detail})` : ''}`).join('\n');
}
