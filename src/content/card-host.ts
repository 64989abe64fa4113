// Owns <kizuki-ui> (a shadow root on <html>, outside any editor) and the one card shown at a time. The card follows
// its text on scroll and resize, and closes when that text leaves the view or its findings are gone.
import type { Finding } from '../engine/types';
import { renderCard, CARD_CSS } from './card';

export interface CardCallbacks {
  apply(finding: Finding, index: number): void;
  ignore(finding: Finding): void;
  /** Dismiss for good (rule or phrase); offered only where `canDismiss` allows. */
  dismiss?(finding: Finding, what: 'rule' | 'phrase'): void;
  canDismiss?(finding: Finding): boolean;
  closed(refocusEditor: boolean): void;
  /** Where the card's span is now (client coordinates), or null when it is gone or out of view. */
  anchorOf(finding: Finding): DOMRect | null;
}

const sameFinding = (a: Finding, b: Finding) => a.rule === b.rule && a.pack === b.pack && a.text === b.text && a.message === b.message;
const sameList = (a: readonly Finding[], b: readonly Finding[]) => a.length === b.length && a.every((f, i) => sameFinding(f, b[i]!));

export class CardHost {
  private host: HTMLElement;
  private shadow: ShadowRoot;
  private card: HTMLElement | null = null;
  private findings: readonly Finding[] = [];
  /** Counts the cards opened, so a delayed close aimed at one card never closes the next. */
  private opened = 0;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private followFrame = 0;
  private readonly follow = (e: Event) => {
    // The card's own scrolling (a tall card is capped and scrolls) moves nothing it is anchored to.
    if (!this.card || this.followFrame || e.target === this.host) return;
    this.followFrame = requestAnimationFrame(() => {
      this.followFrame = 0;
      this.reposition();
    });
  };

  constructor(private readonly doc: Document, private readonly callbacks: CardCallbacks) {
    this.host = doc.createElement('kizuki-ui');
    // Closed, so page script cannot reach the buttons (they also ignore untrusted clicks). The e2e build keeps it
    // open for the tests' locators.
    this.shadow = this.host.attachShadow({ mode: __KIZUKI_E2E__ ? 'open' : 'closed' });
    const style = doc.createElement('style');
    style.textContent = CARD_CSS;
    this.shadow.append(style);
  }

  get isOpen(): boolean {
    return this.card !== null;
  }

  /** The findings the open card shows. */
  get shown(): readonly Finding[] {
    return this.findings;
  }

  contains(path: EventTarget[]): boolean {
    return path.includes(this.host);
  }

  hasFocus(): boolean {
    return this.shadow.activeElement !== null;
  }

  open(findings: readonly Finding[], anchor: DOMRect, focus: boolean): void {
    this.keepOpen();
    if (findings.length === 0) return;
    if (this.card && sameList(this.findings, findings) && !focus) return;
    this.remove();
    this.opened++;
    this.findings = findings;
    this.card = renderCard(this.doc, findings, {
      apply: (finding, i) => this.callbacks.apply(finding, i),
      ignore: (finding) => this.callbacks.ignore(finding),
      ...(this.callbacks.dismiss
        ? { dismiss: (finding: Finding, what: 'rule' | 'phrase') => this.callbacks.dismiss!(finding, what), canDismiss: (f: Finding) => this.callbacks.canDismiss?.(f) ?? true }
        : {}),
      close: () => this.close(true),
    });
    // A click on a button leaves the focus (and the caret) in the editor: keys the agent types meanwhile still go to
    // the reply, and the fix knows where they were typing.
    this.card.addEventListener('mousedown', (e) => {
      if (e.target instanceof Element && e.target.closest('button') && !this.shadow.activeElement) e.preventDefault();
    });
    this.card.addEventListener('mouseenter', () => this.keepOpen());
    this.card.addEventListener('mouseleave', () => this.closeSoon());
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.shadow.append(this.card);
    this.place(anchor);
    const view = this.doc.defaultView!;
    view.addEventListener('scroll', this.follow, { capture: true, passive: true });
    view.addEventListener('resize', this.follow, { passive: true });
    if (focus) (this.card.querySelector('button') as HTMLButtonElement | null)?.focus();
  }

  /** Which card is open now (see closeLater). */
  get openCard(): number {
    return this.opened;
  }

  /** Closes card `which` after `ms`, unless another card has been opened by then. */
  closeLater(which: number, ms: number): void {
    setTimeout(() => {
      if (this.opened === which) this.close(false);
    }, ms);
  }

  setStatus(message: string, ok: boolean): void {
    const status = this.card?.querySelector<HTMLElement>('[data-role="apply-status"]');
    if (!status) return;
    status.textContent = message;
    status.dataset.ok = String(ok);
  }

  /** After the shown findings changed (an edit, a new analysis): close the card if any of its findings is gone. */
  refresh(current: readonly Finding[]): void {
    if (!this.card) return;
    if (this.findings.every((f) => current.some((c) => sameFinding(c, f)))) {
      this.reposition();
      return;
    }
    // Keep a card that is showing an apply result; it closes by itself.
    const status = this.card.querySelector('[data-role="apply-status"]')?.textContent;
    if (!status) this.close(false);
  }

  keepOpen(): void {
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
  }

  closeSoon(): void {
    if (!this.card || this.closeTimer !== undefined) return;
    // Focused cards (opened from the keyboard) stay until Esc or a click elsewhere.
    if (this.shadow.activeElement) return;
    this.closeTimer = setTimeout(() => {
      this.closeTimer = undefined;
      this.close(false);
    }, 350);
  }

  close(refocusEditor: boolean): void {
    this.keepOpen();
    if (!this.card) return;
    this.remove();
    this.callbacks.closed(refocusEditor);
  }

  private remove(): void {
    const view = this.doc.defaultView;
    view?.removeEventListener('scroll', this.follow, { capture: true });
    view?.removeEventListener('resize', this.follow);
    cancelAnimationFrame(this.followFrame);
    this.followFrame = 0;
    this.card?.remove();
    this.card = null;
    this.findings = [];
  }

  private reposition(): void {
    if (!this.card || this.findings.length === 0) return;
    const anchor = this.callbacks.anchorOf(this.findings[0]!);
    const view = this.doc.defaultView!;
    if (!anchor || anchor.bottom < 0 || anchor.top > view.innerHeight || anchor.width === 0) {
      this.close(false);
      return;
    }
    this.place(anchor);
  }

  /**
   * Below the span, or above it when there is no room below; when neither side holds the whole card, on the roomier
   * side with its height capped there (it scrolls). Never over the text it explains.
   */
  private place(anchor: DOMRect): void {
    const card = this.card!;
    const view = this.doc.defaultView!;
    const gap = 6;
    const margin = 4;
    card.style.maxHeight = '';
    const width = card.offsetWidth || 300;
    const height = card.offsetHeight || 120;
    const below = view.innerHeight - anchor.bottom - gap - margin;
    const above = anchor.top - gap - margin;
    let top: number;
    if (height <= below) top = anchor.bottom + gap;
    else if (height <= above) top = anchor.top - gap - height;
    else if (below >= above) {
      card.style.maxHeight = `${Math.max(below, 60)}px`;
      top = anchor.bottom + gap;
    } else {
      card.style.maxHeight = `${Math.max(above, 60)}px`;
      top = anchor.top - gap - Math.min(height, Math.max(above, 60));
    }
    const left = Math.max(margin, Math.min(anchor.left, view.innerWidth - width - margin));
    card.style.top = `${top}px`;
    card.style.left = `${left}px`;
  }
}
