// The check before sending. When the agent sends a public reply (the helpdesk's send button, its keyboard shortcut, or
// the submit of a generic page's form) while the draft still has `error` findings or required checklist items missing,
// the send is held and a nudge beside the send button lists what is open; 「このまま送信」 lets it through once.
//
// Accounting, the part that must never fail: a send is either passed untouched, or held; a held send is either
// released exactly once (「このまま送信」, or automatically when kizuki cannot decide or show the nudge) or dropped
// because the agent chose 「戻って直す」. Further send attempts while one is held (a double click, Enter pressed twice)
// are the same intent and are swallowed. A release re-dispatches the same action on the same control while a flag lets
// our own listener pass it: `button.click()` (the element's activation behaviour, as a user click), the same key on
// the same target, or `form.requestSubmit(submitter)`. Dispatch is synchronous, so the flag is never seen by anything
// else. Any error before holding lets the event go on untouched; any error after holding releases it.
import type { ChecklistItem, Finding } from '../engine/types';
import type { AgentControls, PolicyView, SendCheckMode } from '../shared/controls';
import { isLocked, ruleId } from '../shared/controls';
import type { SendControls } from './adapters';
import { isInternalNote } from './editors';
import { diffText, replacesDraft } from './carry';
import type { NudgeHost, OpenItem } from './nudge';

/** How long a send may wait for the analysis of the text being sent before it goes through unchecked. */
export const DECIDE_TIMEOUT_MS = 300;

export type SendOutcome = 'nudged' | 'sent-anyway' | 'sent-fixed' | 'went-back';

/** What the guard needs of the coaching session of the box being sent. */
export interface GuardedBox {
  readonly el: HTMLElement;
  readonly editor: { adapter: { id: string; send: SendControls; note: import('./adapters').NoteRule[] } };
  readonly disposed: boolean;
  /** The text in the box now. */
  text(): string;
  /** Whether the findings shown are the analysis of the text in the box now. */
  settled(): boolean;
  readonly state: { findings: Finding[]; checklist: ChecklistItem[] };
}

export interface SendGuardHost {
  box(): GuardedBox | null;
  /** The mode in force ('off' while coaching is paused). */
  mode(): SendCheckMode;
  controls(): AgentControls;
  policy(): PolicyView;
  /** Lead the agent to the fix of `item` (reveal the span, open the panel). */
  open(item: OpenItem): void;
  stat(outcome: SendOutcome): void;
}

type Held =
  | { kind: 'click'; button: HTMLElement }
  | { kind: 'key'; target: EventTarget; init: KeyboardEventInit }
  | { kind: 'submit'; form: HTMLFormElement; submitter: HTMLElement | null };

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** What is still open in a draft before sending: `error` findings and required checklist items that are missing. */
export function openItems(state: GuardedBox['state'], controls: AgentControls, policy: PolicyView): OpenItem[] {
  const items: OpenItem[] = [];
  const missing = state.checklist.filter((c) => c.state === 'missing' && (isLocked(c, policy) || !controls.dismissedRules.includes(ruleId(c))));
  for (const f of state.findings) {
    if (f.severity !== 'error') continue;
    if (f.scope === 'reply' && missing.some((c) => c.rule === f.rule && c.pack === f.pack)) continue;
    items.push({
      key: `f:${f.pack}/${f.rule}:${f.start ?? 'r'}`,
      kind: 'finding',
      severity: f.severity,
      title: f.scope === 'span' ? `「${f.text}」` : '返信全体',
      detail: f.message,
      finding: f,
    });
  }
  for (const c of missing) {
    const finding = state.findings.find((f) => f.scope === 'reply' && f.rule === c.rule && f.pack === c.pack);
    items.push({
      key: `c:${c.pack}/${c.rule}`,
      kind: 'checklist',
      severity: finding?.severity ?? 'warning',
      title: `${c.label}（不足）`,
      detail: finding?.message ?? c.reason,
      item: c,
      ...(finding ? { finding } : {}),
    });
  }
  return items;
}

export class SendGuard {
  /** Set only while our own release is being dispatched (synchronously). */
  private passing = false;
  private held: Held | null = null;
  private heldBox: GuardedBox | null = null;
  /** The draft the held send was for. */
  private heldText = '';
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  private backAction: (() => void) | null = null;

  private readonly onClick = (e: MouseEvent) => this.guard(e, () => this.clickedSendButton(e));
  private readonly onKeyDown = (e: KeyboardEvent) => this.guard(e, () => this.sendKey(e));
  private readonly onSubmit = (e: SubmitEvent) => this.guard(e, () => this.submittedForm(e));

  constructor(private readonly doc: Document, private readonly nudge: NudgeHost, private readonly host: SendGuardHost) {
    const view = doc.defaultView!;
    // Window, capture: before the page's own listeners (React and Ember delegate from their roots, below window).
    view.addEventListener('click', this.onClick, true);
    view.addEventListener('keydown', this.onKeyDown, true);
    view.addEventListener('submit', this.onSubmit, true);
  }

  get holding(): boolean {
    return this.held !== null;
  }

  dispose(): void {
    const view = this.doc.defaultView;
    view?.removeEventListener('click', this.onClick, true);
    view?.removeEventListener('keydown', this.onKeyDown, true);
    view?.removeEventListener('submit', this.onSubmit, true);
    // Never leave a send held by a script that is going away.
    this.release();
  }

  /** 「戻って直す」 from the keyboard (Escape) while the nudge is open. */
  back(): void {
    this.backAction?.();
  }

  /** The findings changed (an analysis, an edit, a dismissal): a nudge that is open follows them. */
  update(): void {
    if (this.held && this.heldBox && this.replacedSinceHeld(this.heldBox)) {
      this.drop();
      return;
    }
    if (!this.nudge.isOpen || !this.heldBox) return;
    try {
      this.nudge.update(openItems(this.heldBox.state, this.host.controls(), this.host.policy()));
    } catch (e) {
      console.warn('kizuki: nudge update', e);
    }
  }

  /**
   * Whether the box no longer holds the draft the send was held for: the helpdesk loaded another ticket's draft into
   * it, or it was emptied. Sending then would send a draft the agent never asked to send.
   */
  private replacedSinceHeld(box: GuardedBox): boolean {
    const now = box.text();
    const change = diffText(this.heldText, now);
    return change !== null && replacesDraft(this.heldText, change, now);
  }

  /** Forgets the held send without sending it, and closes the nudge. */
  private drop(): void {
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    this.held = null;
    this.heldBox = null;
    this.backAction = null;
    if (this.nudge.isOpen) this.nudge.close();
  }

  /** The coached box changed (a ticket switch): a send held for the previous one is not this box's to release. */
  boxChanged(): void {
    if (!this.held) return;
    const box = this.host.box();
    if (box && box === this.heldBox) return;
    // The box the agent was sending is gone from view: send what they asked for rather than lose it.
    this.release();
  }

  private guard(e: Event, recognise: () => { held: Held; anchor: Element; box: GuardedBox } | null): void {
    if (this.passing) return;
    let found: { held: Held; anchor: Element; box: GuardedBox } | null;
    let decision: 'pass' | 'wait' | OpenItem[];
    try {
      found = recognise();
      if (!found) return;
      if (this.held) {
        // A second click or Enter while one send is held: the same intent, already in hand.
        e.preventDefault();
        e.stopImmediatePropagation();
        return;
      }
      // Only the agent's own actions; a page script's synthetic click is the page's business.
      if (!e.isTrusted) return;
      if (__KIZUKI_E2E__ && this.doc.documentElement.dataset.kizukiE2eThrow === 'send-guard') throw new Error('e2e: an error inside the send guard');
      decision = this.decide(found.box);
    } catch (err) {
      console.warn('kizuki: send check skipped', err);
      return; // untouched
    }
    if (decision === 'pass') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    this.held = found.held;
    this.heldBox = found.box;
    this.heldText = found.box.text();
    try {
      if (decision === 'wait') this.waitThenShow(found.box, found.anchor, performance.now());
      else this.show(found.box, found.anchor, decision);
    } catch (err) {
      console.warn('kizuki: send check failed; sending', err);
      this.release();
    }
  }

  private decide(box: GuardedBox): 'pass' | 'wait' | OpenItem[] {
    const mode = this.host.mode();
    if (mode === 'off') return 'pass';
    // Internal notes are never held.
    if (isInternalNote(box.el, box.editor.adapter as never)) return 'pass';
    if (box.text().trim() === '') return 'pass';
    if (!box.settled()) return 'wait';
    const items = openItems(box.state, this.host.controls(), this.host.policy());
    return items.length === 0 ? 'pass' : items;
  }

  /** The draft changed just before the send: wait (briefly) for its analysis, then decide; past the timeout, send. */
  private waitThenShow(box: GuardedBox, anchor: Element, since: number): void {
    const check = () => {
      this.waitTimer = undefined;
      try {
        if (this.host.box() !== box || box.disposed) return this.release();
        if (!box.settled()) {
          if (performance.now() - since >= DECIDE_TIMEOUT_MS) return this.release();
          this.waitTimer = setTimeout(check, 16);
          return;
        }
        const decision = this.decide(box);
        if (decision === 'pass' || decision === 'wait') this.release();
        else this.show(box, anchor, decision);
      } catch (err) {
        console.warn('kizuki: send check failed; sending', err);
        this.release();
      }
    };
    this.waitTimer = setTimeout(check, 16);
  }

  private show(box: GuardedBox, anchor: Element, items: OpenItem[]): void {
    const back = () => {
      this.drop();
      this.host.stat('went-back');
      const first = openItems(box.state, this.host.controls(), this.host.policy())[0];
      if (first) this.host.open(first);
      else box.el.focus({ preventScroll: true });
    };
    this.backAction = back;
    this.nudge.open(anchor, items, { confirmErrors: this.host.mode() === 'confirm' }, {
      send: () => {
        const fixed = openItems(box.state, this.host.controls(), this.host.policy()).length === 0;
        this.nudge.close();
        this.host.stat(fixed ? 'sent-fixed' : 'sent-anyway');
        this.release();
      },
      back,
      open: (item) => this.host.open(item),
    });
    this.host.stat('nudged');
  }

  /** Lets the held send through, exactly once. */
  private release(): void {
    const held = this.held;
    this.drop();
    if (!held) return;
    this.passing = true;
    try {
      if (held.kind === 'click') held.button.click();
      else if (held.kind === 'key') held.target.dispatchEvent(new KeyboardEvent('keydown', held.init));
      else {
        const submitter = held.submitter?.isConnected && (held.submitter as HTMLButtonElement).form === held.form ? held.submitter : null;
        held.form.requestSubmit(submitter);
      }
    } catch (err) {
      console.warn('kizuki: could not pass the send on', err);
    } finally {
      this.passing = false;
    }
  }

  // --- recognising a send -------------------------------------------------------------------------------------

  private clickedSendButton(e: MouseEvent): { held: Held; anchor: Element; box: GuardedBox } | null {
    if (e.button !== 0) return null;
    const box = this.host.box();
    if (!box) return null;
    const target = e.composedPath()[0];
    if (!(target instanceof Element)) return null;
    const button = target.closest<HTMLElement>('button, [role="button"], input[type="submit"]');
    if (!button || !sendButtons(box).includes(button)) return null;
    return { held: { kind: 'click', button }, anchor: button, box };
  }

  private sendKey(e: KeyboardEvent): { held: Held; anchor: Element; box: GuardedBox } | null {
    if (e.isComposing || e.repeat && !this.held) return null;
    const box = this.host.box();
    if (!box) return null;
    const keys = box.editor.adapter.send.keys;
    const mac = isMac();
    const hit = keys.some((k) => {
      const letter = k.key.length === 1 ? e.code === `Key${k.key.toUpperCase()}` : e.key === k.key;
      const ctrl = !!k.ctrl || (!!k.mod && !mac);
      const meta = !!k.mod && mac;
      return letter && e.ctrlKey === ctrl && e.metaKey === meta && e.altKey === !!k.alt && e.shiftKey === !!k.shift;
    });
    if (!hit) return null;
    const target = e.composedPath()[0];
    // The shortcut typed in the reply box (or anywhere while a send is held: the second of two presses).
    if (!this.held && !(target instanceof Node && box.el.contains(target))) return null;
    const init: KeyboardEventInit = {
      key: e.key, code: e.code, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey,
      bubbles: true, cancelable: true, composed: true,
    };
    const anchor = sendButtons(box)[0] ?? box.el;
    return { held: { kind: 'key', target: target as EventTarget, init }, anchor, box };
  }

  private submittedForm(e: SubmitEvent): { held: Held; anchor: Element; box: GuardedBox } | null {
    const box = this.host.box();
    if (!box || !box.editor.adapter.send.form) return null;
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.contains(box.el)) return null;
    const submitter = (e.submitter as HTMLElement | null) ?? null;
    const anchor = submitter ?? form.querySelector('button[type="submit"], input[type="submit"], button:not([type])') ?? box.el;
    return { held: { kind: 'submit', form, submitter }, anchor, box };
  }
}

/** The send buttons of the box's composer: the closest ancestor of the box that holds a match. */
export function sendButtons(box: Pick<GuardedBox, 'el' | 'editor'>): HTMLElement[] {
  const send = box.editor.adapter.send;
  for (let a: Element | null = box.el.parentElement; a; a = a.parentElement) {
    for (const selector of send.buttons) {
      const found = a.querySelectorAll<HTMLElement>(selector);
      if (found.length > 0) return [...found];
    }
    if (send.labels.length > 0) {
      const labelled = [...a.querySelectorAll<HTMLElement>('button, [role="button"]')].filter((b) => send.labels.includes((b.textContent ?? '').trim()));
      if (labelled.length > 0) return labelled;
    }
  }
  return [];
}
