// When to analyse: right after a change (the session looks at a change before the next frame and keeps one analysis
// in flight, so bursts coalesce), never during IME composition, once after compositionend. A delay can be set (the e2e
// build raises it to prove that nothing passes by timing alone). Timers are injected so the logic is testable
// without a browser.

/**
 * No debounce by default: an analysis costs about a millisecond in the engine and a few in transport, far below a
 * frame, so waiting for a pause only made underlines lag (120 ms of the 135 ms measured keystroke-to-underline).
 */
export const DEBOUNCE_MS = 0;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export class AnalysisScheduler {
  composing = false;
  /** Time of the last input (or compositionend) the pending analysis covers. */
  lastInputAt = 0;
  private handle: unknown;

  constructor(
    private readonly run: (info: { lastInputAt: number; firedAt: number }) => void,
    readonly delayMs = DEBOUNCE_MS,
    private readonly timers: Timers = realTimers,
  ) {}

  /** An `input` event. `isComposing` is true for Chrome's input events inside a composition. */
  input(isComposing = false): void {
    this.lastInputAt = this.timers.now();
    if (this.composing || isComposing) return;
    // With no delay, at once: the caller looks once the edit is done (one analysis in flight coalesces bursts), and
    // asking before it paints the carried underlines lets the engine work while this thread paints.
    if (this.delayMs === 0) {
      this.cancel();
      this.fire();
      return;
    }
    this.schedule();
  }

  compositionStart(): void {
    this.composing = true;
    this.cancel();
  }

  compositionEnd(): void {
    this.composing = false;
    this.lastInputAt = this.timers.now();
    this.schedule();
  }

  /** Analyse soon without waiting for typing (editor switched, page changed). */
  now(): void {
    if (this.composing) return;
    this.cancel();
    this.handle = this.timers.set(() => this.fire(), 0);
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clear(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    this.cancel();
    this.handle = this.timers.set(() => this.fire(), this.delayMs);
  }

  private fire(): void {
    this.handle = undefined;
    if (this.composing) return;
    this.run({ lastInputAt: this.lastInputAt, firedAt: this.timers.now() });
  }
}

/** How long after the agent's last activity in a reply box the engine is kept warm. */
export const KEEP_WARM_FOR_MS = 15 * 60_000;

/**
 * Keeps the engine host from being suspended while the agent works on a reply. Firefox suspends an idle event page
 * after 30 s, and the tokenizer it hosts goes with it: the next edit then waits 1.5–2.5 s for token rules. Any
 * message counts as activity there, so a small one every `everyMs` keeps it, until the agent has left the reply box
 * alone for `activeForMs`. The background decides whether this is needed (see AnalyzeResponse.keepWarmMs): Chrome's
 * engine lives in an offscreen document that outlives the service worker.
 */
export class KeepWarm {
  private everyMs: number | undefined;
  private lastActivity = Number.NEGATIVE_INFINITY;
  private handle: unknown;

  constructor(
    private readonly ping: () => void,
    private readonly activeForMs = KEEP_WARM_FOR_MS,
    private readonly timers: Timers = realTimers,
  ) {}

  /** The background's latest answer: ping every `everyMs`, or never (undefined). */
  configure(everyMs: number | undefined): void {
    if (everyMs === this.everyMs) return;
    this.everyMs = everyMs;
    this.stop();
    this.schedule();
  }

  /** The agent typed in, or focused, a coached reply box. */
  activity(): void {
    this.lastActivity = this.timers.now();
    if (this.handle === undefined) this.schedule();
  }

  stop(): void {
    if (this.handle !== undefined) this.timers.clear(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    if (this.everyMs === undefined || this.timers.now() - this.lastActivity > this.activeForMs) return;
    this.handle = this.timers.set(() => this.tick(), this.everyMs);
  }

  private tick(): void {
    this.handle = undefined;
    if (this.timers.now() - this.lastActivity > this.activeForMs) return;
    this.ping();
    this.schedule();
  }
}

/**
 * How often, at most, the content script reports what it shows (the panel's checklist, the badge, the fired counts).
 * Every report carries all findings and makes the background write the tab's state, which every extension page is
 * told of; in Firefox that is the engine host's own thread, answering the next keystroke. A key after a pause is
 * reported at once; while the agent types on, the newest state goes at most every 400 ms. At 150 ms, 40 keys typed
 * one every 150 ms in the Zendesk fixture cost the browser and extension processes 720-810 ms of CPU; at 400 ms,
 * 540-550 ms (the whole extension adds about 60 ms a key there).
 */
export const SHOWN_REPORT_MS = 400;

/**
 * Sends the latest of a stream of values at most once per `intervalMs`: a value after a quiet interval at once, the
 * ones that come sooner as one, the newest, at the end of the interval. Nothing newer is ever overtaken by older.
 */
export class LatestEvery<T> {
  private pending: { value: T } | null = null;
  private handle: unknown;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sendNow: (value: T) => void,
    private readonly intervalMs = SHOWN_REPORT_MS,
    private readonly timers: Timers = realTimers,
  ) {}

  push(value: T): void {
    const wait = this.lastSentAt + this.intervalMs - this.timers.now();
    if (wait <= 0 && this.handle === undefined) {
      this.lastSentAt = this.timers.now();
      this.sendNow(value);
      return;
    }
    this.pending = { value };
    this.handle ??= this.timers.set(() => this.flush(), Math.max(0, wait));
  }

  /** Drops a value waiting to be sent (something else now speaks for the tab). */
  cancel(): void {
    if (this.handle !== undefined) this.timers.clear(this.handle);
    this.handle = undefined;
    this.pending = null;
  }

  private flush(): void {
    this.handle = undefined;
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    this.lastSentAt = this.timers.now();
    this.sendNow(pending.value);
  }
}
