import { describe, expect, it } from 'vitest';
import { AnalysisScheduler, KeepWarm, LatestEvery, type Timers } from '../../src/content/scheduler';

/** Manual clock: advance() runs due timers in order. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq),
    clear: (h) => void pending.delete(h as number),
    now: () => now,
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  return { timers, advance };
}

describe('analysis scheduling', () => {
  it('waits for a pause in typing, then analyses once', () => {
    const { timers, advance } = fakeTimers();
    const runs: { lastInputAt: number; firedAt: number }[] = [];
    const s = new AnalysisScheduler((info) => runs.push(info), 120, timers);
    for (let i = 0; i < 5; i++) {
      s.input();
      advance(50);
    }
    expect(runs).toHaveLength(0);
    advance(100);
    expect(runs).toEqual([{ lastInputAt: 200, firedAt: 320 }]);
  });

  it('does nothing during IME composition and analyses once after compositionend', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const s = new AnalysisScheduler(() => runs++, 120, timers);
    s.input();
    s.compositionStart(); // cancels the pending run: the text is provisional now
    s.input(true);
    s.input();
    advance(1000);
    expect(runs).toBe(0);
    s.compositionEnd();
    advance(119);
    expect(runs).toBe(0);
    advance(1);
    expect(runs).toBe(1);
  });

  it('with no delay, analyses at once on input, and after compositionend in a later task', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const s = new AnalysisScheduler(() => runs++, 0, timers);
    s.input();
    expect(runs).toBe(1);
    s.compositionStart();
    s.input(true);
    expect(runs).toBe(1);
    s.compositionEnd();
    expect(runs).toBe(1);
    advance(0);
    expect(runs).toBe(2);
  });

  it('ignores an immediate request while composing', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const s = new AnalysisScheduler(() => runs++, 120, timers);
    s.compositionStart();
    s.now();
    advance(500);
    expect(runs).toBe(0);
    s.compositionEnd();
    s.now();
    advance(0);
    expect(runs).toBe(1);
  });
});

describe('keeping the engine warm (Firefox suspends an idle event page, and the tokenizer with it)', () => {
  it('sends nothing unless the background asks for it (Chrome: the offscreen document outlives the worker)', () => {
    const { timers, advance } = fakeTimers();
    let pings = 0;
    const warm = new KeepWarm(() => pings++, 60_000, timers);
    warm.activity();
    warm.configure(undefined);
    advance(120_000);
    expect(pings).toBe(0);
  });

  it('pings at the asked interval while the agent is active, stops after a long absence, and resumes on the next edit', () => {
    const { timers, advance } = fakeTimers();
    let pings = 0;
    const warm = new KeepWarm(() => pings++, 50_000, timers);
    warm.activity();
    warm.configure(20_000);
    advance(59_000);
    expect(pings).toBe(2); // at 20 s and 40 s
    advance(60_000);
    expect(pings).toBe(2); // at 60 s the agent has been away for more than 50 s: no more
    warm.activity();
    advance(20_000);
    expect(pings).toBe(3);
    warm.stop();
    advance(60_000);
    expect(pings).toBe(3);
  });

  it('keeps one timer however often the agent types', () => {
    const { timers, advance } = fakeTimers();
    let pings = 0;
    const warm = new KeepWarm(() => pings++, 60_000, timers);
    warm.configure(20_000);
    for (let i = 0; i < 50; i++) {
      warm.activity();
      advance(400);
    }
    expect(pings).toBe(1); // 20 s of typing: one ping, not one per keystroke
  });
});

describe('reporting what is shown, at most every 150 ms', () => {
  it('sends a report after a quiet spell at once, coalesces a burst into its newest, and never sends an older one after a newer', () => {
    const { timers, advance } = fakeTimers();
    const sent: { value: string; at: number }[] = [];
    const reports = new LatestEvery<string>((value) => sent.push({ value, at: timers.now() }), 150, timers);
    reports.push('a');
    expect(sent).toEqual([{ value: 'a', at: 0 }]);
    // Keystrokes every 30 ms: one report at the end of the interval, carrying the newest state.
    for (const value of ['b', 'c', 'd']) {
      advance(30);
      reports.push(value);
      expect(sent).toHaveLength(1);
    }
    advance(60);
    expect(sent).toEqual([{ value: 'a', at: 0 }, { value: 'd', at: 150 }]);
    // Typing goes on: the next one waits for the next interval; nothing is sent twice.
    reports.push('e');
    advance(149);
    expect(sent).toHaveLength(2);
    advance(1);
    expect(sent.at(-1)).toEqual({ value: 'e', at: 300 });
    advance(1_000);
    expect(sent).toHaveLength(3);
    // After a quiet spell, at once again.
    reports.push('f');
    expect(sent.at(-1)).toEqual({ value: 'f', at: 1_300 });
  });

  it('drops a waiting report when something else speaks for the tab (the reply box became idle)', () => {
    const { timers, advance } = fakeTimers();
    const sent: string[] = [];
    const reports = new LatestEvery<string>((value) => sent.push(value), 150, timers);
    reports.push('a');
    advance(10);
    reports.push('b');
    reports.cancel();
    advance(1_000);
    expect(sent).toEqual(['a']);
    reports.push('c');
    expect(sent).toEqual(['a', 'c']);
  });
});
