// When to analyse: after the agent pauses typing (debounce), never during IME composition, once after
// compositionend. Timers are injected so the logic is testable without a browser.

export const DEBOUNCE_MS = 120;

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
    private readonly delayMs = DEBOUNCE_MS,
    private readonly timers: Timers = realTimers,
  ) {}

  /** An `input` event. `isComposing` is true for Chrome's input events inside a composition. */
  input(isComposing = false): void {
    this.lastInputAt = this.timers.now();
    if (this.composing || isComposing) return;
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
