// `kizuki stats report a.csv b.csv … -o report.html`: merges the agents' counts-only CSV exports into one
// self-contained HTML page for the QA lead (per rule, per week, fired/applied/ignored, charts, the rules most often
// ignored). Team insight without surveillance: only rows shaped exactly like the export are read (an ISO week, a
// pack and rule id, three counts); any other line is refused and counted, so no text from a draft can get in; the
// files are summed before anything is shown, so the page never says which file (agent) a number came from, and it
// names no file. No script, no external resource: every chart is inline SVG.
import { isRuleId, type TrendPoint } from './local-stats';
import { CHART_COLORS, CHART_LEGEND, weekBars } from './chart';
import { weekLong } from '../shared/rule-text';

export type Counts = [fired: number, applied: number, ignored: number];

export interface MergedStats {
  /** Week → `pack/rule` → counts. */
  weeks: Map<string, Map<string, Counts>>;
  files: number;
  rows: number;
  /** Lines that were not export rows (refused, never shown). */
  refused: number;
}

const HEADER = 'week,pack,rule,fired,applied,ignored';
const WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
const COUNT = /^\d{1,9}$/;

/** Reads one export; throws with a Japanese message when it is not one. */
export function parseStatsCsv(text: string, merged: MergedStats = emptyMerged()): MergedStats {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== HEADER) throw new Error(`kizuki の統計 CSV ではありません（1 行目は「${HEADER}」のはずです）`);
  merged.files++;
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const [week, pack, rule, ...counts] = cells;
    const id = `${pack}/${rule}`;
    if (cells.length !== 6 || !WEEK.test(week!) || !isRuleId(id) || !counts.every((c) => COUNT.test(c))) {
      merged.refused++;
      continue;
    }
    const rules = merged.weeks.get(week!) ?? new Map<string, Counts>();
    merged.weeks.set(week!, rules);
    const sum = rules.get(id) ?? [0, 0, 0];
    rules.set(id, [sum[0] + Number(counts[0]), sum[1] + Number(counts[1]), sum[2] + Number(counts[2])]);
    merged.rows++;
  }
  return merged;
}

export function emptyMerged(): MergedStats {
  return { weeks: new Map(), files: 0, rows: 0, refused: 0 };
}

export interface RuleSummary {
  rule: string;
  title: string;
  fired: number;
  applied: number;
  ignored: number;
  /** Per week, in the report's week order. */
  trend: TrendPoint[];
}

export interface ReportData {
  weeks: string[];
  totals: TrendPoint[];
  rules: RuleSummary[];
  /** Most often ignored: ignored / fired, among rules that fired at least `minFired` times. */
  mostIgnored: RuleSummary[];
  files: number;
  refused: number;
}

/** Every ISO week from the first to the last one present (so that quiet weeks show as zero). */
function weekRange(weeks: string[]): string[] {
  const sorted = [...weeks].sort();
  if (sorted.length === 0) return [];
  const out: string[] = [];
  const start = isoMonday(sorted[0]!);
  const end = isoMonday(sorted.at(-1)!);
  if (!start || !end) return sorted;
  for (let t = start; t <= end && out.length < 530; t += 7 * 86_400_000) out.push(isoWeekOf(new Date(t)));
  return out;
}

function isoMonday(week: string): number | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const jan4 = Date.UTC(Number(m[1]), 0, 4);
  const day = new Date(jan4).getUTCDay() || 7;
  return jan4 - (day - 1) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000;
}

function isoWeekOf(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const week = Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function summarise(merged: MergedStats, titles: ReadonlyMap<string, string>, minFired = 5): ReportData {
  const weeks = weekRange([...merged.weeks.keys()]);
  const perRule = new Map<string, RuleSummary>();
  const totals: TrendPoint[] = weeks.map((week) => ({ week, fired: 0, applied: 0, ignored: 0 }));
  weeks.forEach((week, i) => {
    for (const [rule, [fired, applied, ignored]] of merged.weeks.get(week) ?? []) {
      let s = perRule.get(rule);
      if (!s) {
        s = { rule, title: titles.get(rule) ?? rule, fired: 0, applied: 0, ignored: 0, trend: weeks.map((w) => ({ week: w, fired: 0, applied: 0, ignored: 0 })) };
        perRule.set(rule, s);
      }
      s.fired += fired;
      s.applied += applied;
      s.ignored += ignored;
      Object.assign(s.trend[i]!, { fired, applied, ignored });
      totals[i]!.fired += fired;
      totals[i]!.applied += applied;
      totals[i]!.ignored += ignored;
    }
  });
  const rules = [...perRule.values()].sort((a, b) => b.fired - a.fired || a.rule.localeCompare(b.rule));
  const mostIgnored = rules
    .filter((r) => r.fired >= minFired && r.ignored > 0)
    .sort((a, b) => b.ignored / b.fired - a.ignored / a.fired || b.ignored - a.ignored)
    .slice(0, 10);
  return { weeks, totals, rules, mostIgnored, files: merged.files, refused: merged.refused };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—');

function chartSvg(points: TrendPoint[], width: number, height: number, title: string, axis = true): string {
  const plot = axis ? height - 18 : height - 2;
  const { bars, max } = weekBars(points, width, plot);
  const every = Math.max(1, Math.ceil(points.length / 12));
  const parts = bars.map((b, i) => {
    const rects = b.segments.map((s) => `<rect x="${b.x.toFixed(1)}" y="${s.y.toFixed(1)}" width="${b.width.toFixed(1)}" height="${s.height.toFixed(1)}" fill="${CHART_COLORS[s.kind]}"/>`).join('');
    const label = axis && i % every === 0 ? `<text x="${(b.x + b.width / 2).toFixed(1)}" y="${height - 4}" text-anchor="middle">${escapeHtml(b.label)}</text>` : '';
    return `<g><title>${escapeHtml(b.title)}</title>${rects}${label}</g>`;
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<line x1="0" y1="${plot}" x2="${width}" y2="${plot}" stroke="#94a3b8"/>` +
    (axis ? `<text x="0" y="10" class="max">${max}</text>` : '') + `${parts.join('')}</svg>`;
}

function legend(): string {
  return `<p class="legend">${(Object.keys(CHART_LEGEND) as (keyof typeof CHART_LEGEND)[])
    .map((k) => `<span><i style="background:${CHART_COLORS[k]}"></i>${CHART_LEGEND[k]}</span>`)
    .join('')}</p>`;
}

export function renderReportHtml(data: ReportData, generatedAt: Date): string {
  const sum = data.totals.reduce((a, t) => ({ fired: a.fired + t.fired, applied: a.applied + t.applied, ignored: a.ignored + t.ignored }), { fired: 0, applied: 0, ignored: 0 });
  const range = data.weeks.length ? `${weekLong(data.weeks[0]!)}〜${weekLong(data.weeks.at(-1)!)}` : '記録なし';
  const ruleRow = (r: RuleSummary) =>
    `<tr data-rule="${escapeHtml(r.rule)}"><td><span class="title">${escapeHtml(r.title)}</span><code>${escapeHtml(r.rule)}</code></td>` +
    `<td class="n">${r.fired}</td><td class="n">${r.applied}</td><td class="n">${r.ignored}</td><td class="n">${percent(r.applied, r.fired)}</td><td class="n">${percent(r.ignored, r.fired)}</td>` +
    `<td>${chartSvg(r.trend, 160, 32, `${r.title} の週ごとの推移`, false)}</td></tr>`;
  const weekRows = data.totals
    .map((t) => `<tr><td>${escapeHtml(weekLong(t.week))}</td><td class="n">${t.fired}</td><td class="n">${t.applied}</td><td class="n">${t.ignored}</td><td class="n">${percent(t.applied, t.fired)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>kizuki チームレポート</title>
<style>
body{font:14px/1.6 system-ui,"Noto Sans CJK JP",sans-serif;color:#111827;max-width:1080px;margin:0 auto;padding:20px}
h1{font-size:20px;color:#0f766e;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.muted{color:#6b7280;font-size:12px}.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #e5e7eb;border-radius:8px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e7eb;vertical-align:middle}
th{font-size:12px;color:#6b7280}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.title{display:block}code{font-size:11px;color:#6b7280}
svg.chart text{font-size:10px;fill:#475569}.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
</style></head><body>
<h1>kizuki チームレポート</h1>
<p class="muted">${escapeHtml(range)}・${data.files} 件の書き出しを合算・作成 ${escapeHtml(generatedAt.toISOString().slice(0, 10))}</p>
<p class="muted">各担当者が書き出した回数（ルールごと・週ごと）だけを合算しています。返信の文章は含まれず、どの数字が誰のものかも分かりません。</p>
<div class="cards"><div class="card">指摘<b data-total="fired">${sum.fired}</b></div><div class="card">修正した<b data-total="applied">${sum.applied}</b>${percent(sum.applied, sum.fired)}</div><div class="card">無視した<b data-total="ignored">${sum.ignored}</b>${percent(sum.ignored, sum.fired)}</div><div class="card">ルール<b>${data.rules.length}</b></div></div>
<h2>週ごとの推移</h2>
${legend()}
${chartSvg(data.totals, 720, 160, '週ごとの指摘・修正・無視')}
<h2>よく無視されるルール</h2>
<p class="muted">5 回以上指摘されたルールのうち、無視された割合の高い順です。言い回しやルールの見直し候補です。</p>
${data.mostIgnored.length ? `<table data-section="most-ignored"><thead><tr><th>ルール</th><th>指摘</th><th>修正</th><th>無視</th><th>修正率</th><th>無視率</th><th>推移</th></tr></thead><tbody>${data.mostIgnored.map(ruleRow).join('')}</tbody></table>` : '<p class="muted">該当するルールはありません。</p>'}
<h2>ルールごと</h2>
<table data-section="rules"><thead><tr><th>ルール</th><th>指摘</th><th>修正</th><th>無視</th><th>修正率</th><th>無視率</th><th>推移</th></tr></thead><tbody>${data.rules.map(ruleRow).join('')}</tbody></table>
<h2>週ごと</h2>
<table data-section="weeks"><thead><tr><th>週</th><th>指摘</th><th>修正</th><th>無視</th><th>修正率</th></tr></thead><tbody>${weekRows}</tbody></table>
${data.refused ? `<p class="muted">統計の行として読めなかった ${data.refused} 行は使っていません。</p>` : ''}
</body></html>
`;
}
