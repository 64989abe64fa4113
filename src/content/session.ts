// One coaching session per reply box: change -> (carry what is still true, at once) -> analyse -> paint. Every
// analysis is keyed by the text it was asked for; a reply for any other text is never painted. Card actions act on
// the findings of the current text only.
import type { ChecklistItem, Finding } from '../engine/types';
import type { AnalyzeResponse, DraftContext } from '../shared/messages';
import { ignoreKey } from '../shared/messages';
import { diffText, FindingIdentities, replacesDraft } from './carry';
import { customerMessage, isInternalNote, type ActiveEditor } from './editors';
import { AnalysisScheduler } from './scheduler';
import type { EditorSurface, Snapshot } from './surfaces';
import { applyEditInEditor, type ApplyOutcome } from './apply';
import type { TextEdit } from '../engine/fix';

/** Said when a fix is asked for while the agent is still composing with the IME. */
const COMPOSING_MESSAGE = '変換中の文字を確定してから、もう一度お試しください。';
/** How long the panel's insert waits for the analysis of the current text (a round trip is ~10-50 ms). */
const SETTLE_FOR_INSERT_MS = 3_000;

export interface SessionHost {
  /** Sends the draft to the engine; rejects when the extension cannot be reached. */
  analyze(draft: string, context: DraftContext, ignored: string[]): Promise<AnalyzeResponse>;
  /** Nothing to coach in this box right now (an internal note). */
  idle(context: DraftContext): void;
  /** A new analysis was painted: `reply` is the engine's answer for `state.text`, `context` what it was asked with. */
  painted(state: ShownState, reply: AnalyzeResponse, context: DraftContext, timing: { firedAt: number; lastInputAt: number; answeredAt: number }): void;
  /** The findings on screen changed without a new analysis (an edit moved or removed some). */
  carried(findings: readonly Finding[]): void;
  stat(finding: Finding, event: 'applied' | 'ignored'): void;
  /** The suggestion that turns a finding into an edit of `text`, or null when it no longer applies. */
  editFor(text: string, finding: Finding, suggestionIndex: number): TextEdit | null;
  /** The agent's lasting controls (dismissed rules, personal dictionary): false hides `finding` of `draft`. */
  keep?(finding: Finding, draft: string): boolean;
}

export interface ShownState {
  /** The text these findings were computed for, which is the editor's text while they are shown. */
  text: string;
  findings: Finding[];
  checklist: ChecklistItem[];
}

const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };
export const bySeverity = (a: Finding, b: Finding) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];

export class CoachSession {
  readonly el: HTMLElement;
  private shown: ShownState = { text: '', findings: [], checklist: [] };
  /** The editor's text as last read; compared on every change notice. */
  private lastText: string;
  private readonly scheduler: AnalysisScheduler;
  private stopObserving: () => void;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** The text of the last analysis painted. */
  private analysed: string | null = null;
  private applying = false;
  private readonly identities = new FindingIdentities();
  /** One analysis in flight at a time; edits meanwhile ask for one more when it returns (bursts coalesce). */
  private inFlight = false;
  private again = false;

  constructor(
    readonly editor: ActiveEditor,
    readonly surface: EditorSurface,
    private readonly host: SessionHost,
    /** ignoreKey() values the agent ignored in this box; kept by the caller across sessions of the same box. */
    private readonly ignored: Set<string>,
    debounceMs?: number,
  ) {
    this.el = editor.el;
    this.lastText = surface.snapshot().text;
    this.scheduler = new AnalysisScheduler((info) => void this.analyze(info.lastInputAt, info.firedAt), debounceMs);
    this.stopObserving = surface.observe(() => this.changedNow());
    this.scheduler.now();
  }

  /** How long after the last edit the analysis runs. */
  get debounceMs(): number {
    return this.scheduler.delayMs;
  }

  get composing(): boolean {
    return this.scheduler.composing;
  }

  get state(): ShownState {
    return this.shown;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Whether what is shown is the analysis of the editor's text as it is now (nothing pending). */
  get settled(): boolean {
    return !this.inFlight && !this.scheduler.composing && this.analysed !== null && this.analysed === this.surface.snapshot().text;
  }

  compositionStart(): void {
    this.scheduler.compositionStart();
  }

  compositionEnd(): void {
    this.changedNow();
    this.scheduler.compositionEnd();
  }

  /** Analyse again without an edit (the customer message or the note switch changed, the card ignored a finding). */
  refresh(): void {
    this.scheduler.now();
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.cancel();
    this.stopObserving();
    clearTimeout(this.retryTimer);
    this.surface.clear();
  }

  /**
   * Reads the text; if it changed, drops or moves what is shown at once and asks for an analysis. Returns whether it
   * asked for one.
   */
  private changedNow(): boolean {
    if (this.disposed) return false;
    const snapshot = this.surface.snapshot();
    const change = diffText(this.lastText, snapshot.text);
    if (!change) return false;
    // "Ignore" holds for this draft: not for the next ticket's, nor once the box is emptied.
    if (replacesDraft(this.lastText, change, snapshot.text)) this.ignored.clear();
    this.lastText = snapshot.text;
    // Asked for first: the engine host works on it while the carried underlines are painted below.
    const asked = !this.applying;
    if (asked) this.scheduler.input();
    const sinceShown = diffText(this.shown.text, snapshot.text);
    if (sinceShown) {
      const findings = this.identities.carry(this.shown.findings, sinceShown);
      this.show({ text: snapshot.text, findings, checklist: this.shown.checklist }, snapshot);
      this.host.carried(findings);
    }
    return asked;
  }

  private show(state: ShownState, snapshot: Snapshot): void {
    this.shown = state;
    this.surface.paint(snapshot, state.findings);
  }

  private async analyze(lastInputAt: number, firedAt: number): Promise<void> {
    if (this.disposed) return;
    const customer = customerMessage(this.el, this.editor.adapter);
    const context: DraftContext = { adapter: this.editor.adapter.id, status: 'ready', ...(customer ? { customer } : {}) };
    if (isInternalNote(this.el, this.editor.adapter)) {
      this.shown = { text: this.lastText, findings: [], checklist: [] };
      this.surface.clear();
      this.host.idle({ ...context, status: 'note' });
      return;
    }
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const draft = this.surface.snapshot().text;
    let reply: AnalyzeResponse;
    let answeredAt = 0;
    this.inFlight = true;
    try {
      reply = await this.host.analyze(draft, context, [...this.ignored]);
      answeredAt = performance.now();
      if (!reply || !Array.isArray(reply.findings)) throw new Error('no reply');
    } catch {
      this.retry(400);
      return;
    } finally {
      this.inFlight = false;
    }
    if (this.disposed || this.scheduler.composing) return;
    // The reply is for `draft`: paint it only if that is still the editor's text; otherwise analyse the new text.
    const snapshot = this.surface.snapshot();
    if (snapshot.text !== draft || this.again) {
      this.again = false;
      this.scheduler.now();
      if (snapshot.text !== draft) return;
    }
    this.lastText = draft;
    this.analysed = draft;
    const findings = reply.findings.filter((f) => !this.ignored.has(ignoreKey(f)) && (this.host.keep?.(f, draft) ?? true));
    this.identities.adopt(findings, this.shown.findings, this.shown.text, draft);
    this.show({ text: draft, findings, checklist: reply.checklist }, snapshot);
    this.host.painted(this.shown, reply, context, { firedAt, lastInputAt, answeredAt });
    // Until the dictionary is loaded only token-free rules ran. The host's port says when it has loaded; this retry
    // covers answers that came through the background instead.
    if (!reply.tokenizerReady) this.retry(250);
  }

  private retry(ms: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.scheduler.now(), ms);
  }

  /** The span findings shown at text offset `offset`, most severe first. */
  findingsAtOffset(offset: number): Finding[] {
    return this.shown.findings.filter((f) => f.scope === 'span' && f.start! <= offset && offset <= f.end!).sort(bySeverity);
  }

  /** The span findings drawn under a client point, most severe first, with the rect that was hit. */
  findingsAtPoint(x: number, y: number): { findings: Finding[]; rect: DOMRect } | null {
    let hit: DOMRect | null = null;
    const found: Finding[] = [];
    for (const f of this.shown.findings) {
      if (f.scope !== 'span') continue;
      for (const r of this.surface.rectsOf(f.start!, f.end!)) {
        if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 2 && y <= r.bottom + 4) {
          hit ??= r;
          found.push(f);
          break;
        }
      }
    }
    return hit ? { findings: found.sort(bySeverity), rect: hit } : null;
  }

  findingsAtCaret(): { findings: Finding[]; rect: DOMRect } | null {
    const caret = this.surface.caret();
    if (caret === null) return null;
    const findings = this.findingsAtOffset(caret);
    if (findings.length === 0) return null;
    return { findings, rect: this.anchorOf(findings[0]!) ?? this.el.getBoundingClientRect() };
  }

  /** Where a shown finding's text is now, or null when it is no longer shown or not in view. */
  anchorOf(finding: Finding): DOMRect | null {
    const current = this.current(finding);
    if (!current || current.scope !== 'span') return null;
    const rect = this.surface.rectsOf(current.start!, current.end!)[0];
    if (!rect) return null;
    // Scrolled out of the editor's own box: the text is hidden even though it has a position.
    const box = this.el.getBoundingClientRect();
    return rect.bottom < box.top || rect.top > box.bottom ? null : rect;
  }

  /**
   * The shown finding that is `finding`, at its current offsets: the same one the agent saw (of two identical
   * findings, not the first), or undefined once it is gone.
   */
  current(finding: Finding): Finding | undefined {
    return this.identities.find(this.shown.findings, finding);
  }

  async apply(finding: Finding, suggestionIndex: number): Promise<ApplyOutcome> {
    // Not while an IME composition is open: the card's buttons keep the editor's focus, so the composition stays open
    // through the click, and CKEditor 5 then applied the fix twice and put the committed word inside it.
    if (this.scheduler.composing) return { ok: false, message: COMPOSING_MESSAGE };
    // One at a time: a double click, or a second button pressed while the editor takes the first, would otherwise
    // apply a fix computed on the text as it was before the first one.
    if (this.applying) return { ok: false, message: 'ひとつ前の反映を処理しています。' };
    // Keys typed just before the click may not have been looked at yet: carry what is shown to the text as it is now,
    // so a finding the typing did not touch can still be fixed (and one it touched cannot).
    this.changedNow();
    const current = this.current(finding);
    const text = this.surface.snapshot().text;
    if (!current || this.shown.text !== text) return { ok: false, message: 'この指摘は最新の文章にはもうありません。' };
    const edit = this.host.editFor(text, current, suggestionIndex);
    if (!edit) return { ok: false, message: 'この提案は今の文章には反映できません。' };
    this.applying = true;
    let outcome: ApplyOutcome;
    try {
      outcome = await applyEditInEditor(this.editor, this.surface, edit);
    } finally {
      this.applying = false;
    }
    // One analysis of the text as the fix left it (changedNow asks for it when it sees the edit already).
    if (!this.changedNow()) this.scheduler.now();
    if (outcome.ok) this.host.stat(current, 'applied');
    return outcome;
  }

  /**
   * The panel's 「返信に挿入」 for a reply-level finding (rule, pack). The panel shows the last analysis: after an edit
   * (another insert a moment before) it may be behind the text, so this waits for the analysis of the text as it is
   * now before deciding the item is still missing, instead of refusing what is still missing.
   */
  async applyReplyItem(rule: string, pack: string, suggestionIndex: number): Promise<ApplyOutcome> {
    if (this.scheduler.composing) return { ok: false, message: COMPOSING_MESSAGE };
    if (!(await this.whenSettled(SETTLE_FOR_INSERT_MS))) {
      return { ok: false, message: this.scheduler.composing ? COMPOSING_MESSAGE : 'まだ確認中です。少し待ってから、もう一度お試しください。' };
    }
    const finding = this.shown.findings.find((f) => f.scope === 'reply' && f.rule === rule && f.pack === pack);
    if (!finding) return { ok: false, message: 'この項目はもう不足していません。' };
    return this.apply(finding, suggestionIndex);
  }

  /**
   * Resolves true once no fix is being made and what is shown is the analysis of the editor's current text; false
   * after `timeoutMs`.
   */
  private async whenSettled(timeoutMs: number): Promise<boolean> {
    this.changedNow();
    const until = performance.now() + timeoutMs;
    while (this.applying || !this.settled) {
      if (this.disposed || this.scheduler.composing || performance.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  ignore(finding: Finding): void {
    this.ignored.add(ignoreKey(finding));
    this.host.stat(finding, 'ignored');
    const snapshot = this.surface.snapshot();
    if (snapshot.text === this.shown.text) {
      const findings = this.shown.findings.filter((f) => !this.ignored.has(ignoreKey(f)));
      this.show({ ...this.shown, findings }, snapshot);
      this.host.carried(findings);
    }
    this.scheduler.now();
  }
}
