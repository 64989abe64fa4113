// Geometry of the small per-week bar chart shown in the agent's panel and in the team report: one stacked bar per
// week (applied, ignored, the rest of what fired). Pure numbers; the panel draws them with Preact, the report as
// an SVG string.
import type { TrendPoint } from './local-stats';
import { weekShort, weekLong } from '../shared/rule-text';

export interface BarSegment {
  kind: 'applied' | 'ignored' | 'other';
  y: number;
  height: number;
  value: number;
}

export interface WeekBar {
  week: string;
  x: number;
  width: number;
  label: string;
  /** For screen readers and tooltips: 「2026年11月10日の週: 指摘 12、修正 5、無視 2」. */
  title: string;
  segments: BarSegment[];
}

export const CHART_COLORS: Record<BarSegment['kind'], string> = { applied: '#0f766e', ignored: '#d97706', other: '#cbd5e1' };
export const CHART_LEGEND: Record<BarSegment['kind'], string> = { applied: '修正した', ignored: '無視した', other: 'そのまま' };

export function weekBars(points: readonly TrendPoint[], width: number, plotHeight: number): { bars: WeekBar[]; max: number } {
  const max = Math.max(1, ...points.map((p) => Math.max(p.fired, p.applied + p.ignored)));
  const slot = width / Math.max(1, points.length);
  const barWidth = Math.max(4, Math.min(40, slot * 0.6));
  const bars = points.map((p, i) => {
    const other = Math.max(0, p.fired - p.applied - p.ignored);
    let top = plotHeight;
    const segments: BarSegment[] = [];
    for (const [kind, value] of [['applied', p.applied], ['ignored', p.ignored], ['other', other]] as const) {
      if (value <= 0) continue;
      const height = (value / max) * plotHeight;
      top -= height;
      segments.push({ kind, y: top, height, value });
    }
    return {
      week: p.week,
      x: i * slot + (slot - barWidth) / 2,
      width: barWidth,
      label: weekShort(p.week),
      title: `${weekLong(p.week)}: 指摘 ${p.fired}、修正 ${p.applied}、無視 ${p.ignored}`,
      segments,
    };
  });
  return { bars, max };
}
