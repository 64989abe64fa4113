import { describe, expect, it } from 'vitest';
import { addEvents, createStats, emptyStats, isoWeek, statsToCsv, trend, STATS_KEY, KEEP_WEEKS } from '../../src/stats/local-stats';
import { memoryStore } from '../../src/distribution/sources';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('local statistics', () => {
  it('uses ISO weeks, including across the new year', () => {
    expect(isoWeek(day('2026-11-23'))).toBe('2026-W48');
    expect(isoWeek(day('2026-11-29'))).toBe('2026-W48'); // Sunday still belongs to Monday's week
    expect(isoWeek(day('2026-11-30'))).toBe('2026-W49');
    expect(isoWeek(day('2027-01-01'))).toBe('2026-W53'); // a Friday: week 53 of 2026
    expect(isoWeek(day('2025-12-29'))).toBe('2026-W01');
  });

  it('counts fired / applied / ignored per rule per week and shows a trend with empty weeks as zero', async () => {
    const store = memoryStore();
    const stats = createStats(store);
    await Promise.all([
      stats.record([{ rule: 'builtin/muri', event: 'fired', at: day('2026-11-10') }, { rule: 'builtin/muri', event: 'ignored', at: day('2026-11-10') }]),
      stats.record([{ rule: 'builtin/muri', event: 'fired', at: day('2026-11-23') }]),
      stats.record([{ rule: 'builtin/muri', event: 'applied', at: day('2026-11-24') }, { rule: 'team/x', event: 'fired', at: day('2026-11-24') }]),
    ]);
    const data = await stats.read();
    expect(trend(data, 'builtin/muri', 3, day('2026-11-25'))).toEqual([
      { week: '2026-W46', fired: 1, applied: 0, ignored: 1 },
      { week: '2026-W47', fired: 0, applied: 0, ignored: 0 },
      { week: '2026-W48', fired: 1, applied: 1, ignored: 0 },
    ]);
    expect(trend(data, null, 1, day('2026-11-25'))).toEqual([{ week: '2026-W48', fired: 2, applied: 1, ignored: 0 }]);
    expect(statsToCsv(data)).toBe(
      'week,pack,rule,fired,applied,ignored\r\n2026-W46,builtin,muri,1,0,1\r\n2026-W48,builtin,muri,1,1,0\r\n2026-W48,team,x,1,0,0\r\n',
    );
  });

  it('never stores text: anything that is not a rule id is refused', async () => {
    const store = memoryStore();
    const stats = createStats(store);
    const { refused } = await stats.record([
      { rule: '返金は無理です', event: 'fired', at: day('2026-11-23') },
      { rule: 'builtin/muri 山田様', event: 'fired', at: day('2026-11-23') },
      { rule: 'builtin/muri', event: 'typed' as never, at: day('2026-11-23') },
      { rule: 'builtin/muri', event: 'fired', at: day('2026-11-23') },
    ]);
    expect(refused).toBe(3);
    expect(JSON.stringify(store.data.get(STATS_KEY))).toBe('{"version":1,"weeks":{"2026-W48":{"builtin/muri":[1,0,0]}}}');
  });

  it('keeps about a year of weeks and can be cleared', async () => {
    let data = emptyStats();
    for (let i = 0; i < 60; i++) data = addEvents(data, [{ rule: 'a/b', event: 'fired', at: new Date(Date.UTC(2025, 0, 6 + i * 7)) }]).data;
    expect(Object.keys(data.weeks)).toHaveLength(KEEP_WEEKS);
    expect(Object.keys(data.weeks).sort()[0]).toBe('2025-W09') // 60 weeks from 2025-W02: the first 7 are dropped;
    const store = memoryStore({ [STATS_KEY]: data });
    const stats = createStats(store);
    await stats.clear();
    expect(await stats.read()).toEqual(emptyStats());
  });
});
