// The agent's own statistics, kept on the device: per rule and ISO week, how often it fired and how often its
// suggestion was applied or ignored. Counts only: the only strings stored are rule ids (`pack/rule`) and week keys,
// and anything that is not shaped like a rule id is refused, so no draft text can end up here by mistake.
// Nothing is sent anywhere; the agent can export the counts as CSV. Storage is injected.
import type { KeyValueStore } from '../distribution/sources';

export type StatEvent = 'fired' | 'applied' | 'ignored';
const EVENTS: StatEvent[] = ['fired', 'applied', 'ignored'];

export interface StatsData {
  version: 1;
  /** ISO week (`2026-W48`) → rule (`pack/rule`) → [fired, applied, ignored]. */
  weeks: Record<string, Record<string, [number, number, number]>>;
}

export const STATS_KEY = 'kizuki.stats';
export const KEEP_WEEKS = 53;
const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,99}\/[a-z0-9][a-z0-9._-]{0,99}$/;

export function emptyStats(): StatsData {
  return { version: 1, weeks: {} };
}

/** ISO 8601 week of a date in UTC: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function isRuleId(value: string): boolean {
  return RULE_ID.test(value);
}

/** Adds events (pure). Returns the new data and how many events were refused as not being rule ids. */
export function addEvents(data: StatsData, events: { rule: string; event: StatEvent; at: Date }[]): { data: StatsData; refused: number } {
  const out: StatsData = { version: 1, weeks: { ...data.weeks } };
  let refused = 0;
  for (const { rule, event, at } of events) {
    const slot = EVENTS.indexOf(event);
    if (!isRuleId(rule) || slot < 0 || Number.isNaN(at.getTime())) {
      refused++;
      continue;
    }
    const week = isoWeek(at);
    const rules = (out.weeks[week] = { ...(out.weeks[week] ?? {}) });
    const counts: [number, number, number] = [...(rules[rule] ?? [0, 0, 0])];
    counts[slot]!++;
    rules[rule] = counts;
  }
  return { data: prune(out), refused };
}

/** Keeps the most recent KEEP_WEEKS weeks. */
export function prune(data: StatsData, keep = KEEP_WEEKS): StatsData {
  const weeks = Object.keys(data.weeks).sort();
  if (weeks.length <= keep) return data;
  return { version: 1, weeks: Object.fromEntries(weeks.slice(-keep).map((w) => [w, data.weeks[w]!])) };
}

export interface TrendPoint {
  week: string;
  fired: number;
  applied: number;
  ignored: number;
}

/** The last `weeks` ISO weeks up to `now`, oldest first, zero where nothing happened. One rule, or all rules. */
export function trend(data: StatsData, rule: string | null, weeks: number, now: Date): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const week = isoWeek(new Date(now.getTime() - i * 7 * 86_400_000));
    const rules = data.weeks[week] ?? {};
    const rows = rule === null ? Object.values(rules) : rules[rule] ? [rules[rule]!] : [];
    const sum = (slot: number) => rows.reduce((n, r) => n + r[slot]!, 0);
    points.push({ week, fired: sum(0), applied: sum(1), ignored: sum(2) });
  }
  return points;
}

/** CSV for the agent's own use: week, pack, rule, counts. Rule ids are validated, so no quoting is ever needed. */
export function statsToCsv(data: StatsData): string {
  const lines = ['week,pack,rule,fired,applied,ignored'];
  for (const week of Object.keys(data.weeks).sort()) {
    for (const rule of Object.keys(data.weeks[week]!).sort()) {
      if (!isRuleId(rule)) continue;
      const [pack, id] = rule.split('/');
      lines.push([week, pack, id, ...data.weeks[week]![rule]!].join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** Stats bound to a store; writes are queued so events recorded together are never lost to a race. */
export function createStats(store: KeyValueStore) {
  let queue: Promise<unknown> = Promise.resolve();
  const read = async (): Promise<StatsData> => {
    const raw = (await store.get(STATS_KEY)) as StatsData | undefined;
    return raw && raw.version === 1 && typeof raw.weeks === 'object' ? raw : emptyStats();
  };
  return {
    read,
    record(events: { rule: string; event: StatEvent; at: Date }[]): Promise<{ refused: number }> {
      const run = queue.then(async () => {
        const { data, refused } = addEvents(await read(), events);
        await store.set(STATS_KEY, data);
        return { refused };
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async clear(): Promise<void> {
      await (queue = queue.then(() => store.set(STATS_KEY, emptyStats())));
    },
  };
}
