// Owns <kizuki-ui> (open shadow root on <html>, outside any editor) and the one card shown at a time.
import type { Finding } from '../engine/types';
import { renderCard, CARD_CSS } from './card';

export interface CardCallbacks {
  apply(finding: Finding, index: number): void;
  ignore(finding: Finding): void;
  closed(refocusEditor: boolean): void;
}

const sameFinding = (a: Finding, b: Finding) => a.rule === b.rule && a.start === b.start && a.end === b.end && a.text === b.text;

export class CardHost {
  private host: HTMLElement;
  private shadow: ShadowRoot;
  private card: HTMLElement | null = null;
  private finding: Finding | null = null;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly doc: Document, private readonly callbacks: CardCallbacks) {
    this.host = doc.createElement('kizuki-ui');
    this.shadow = this.host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = CARD_CSS;
    this.shadow.append(style);
  }

  get isOpen(): boolean {
    return this.card !== null;
  }

  contains(path: EventTarget[]): boolean {
    return path.includes(this.host);
  }

  open(finding: Finding, anchor: DOMRect, focus: boolean): void {
    this.keepOpen();
    if (this.finding && sameFinding(this.finding, finding) && !focus) return;
    this.remove();
    this.finding = finding;
    this.card = renderCard(this.doc, finding, {
      apply: (i) => this.callbacks.apply(finding, i),
      ignore: () => this.callbacks.ignore(finding),
      close: () => this.close(true),
    });
    this.card.addEventListener('mouseenter', () => this.keepOpen());
    this.card.addEventListener('mouseleave', () => this.closeSoon());
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.shadow.append(this.card);
    this.place(anchor);
    if (focus) (this.card.querySelector('button') as HTMLButtonElement | null)?.focus();
  }

  setStatus(message: string, ok: boolean): void {
    const status = this.card?.querySelector<HTMLElement>('[data-role="apply-status"]');
    if (!status) return;
    status.textContent = message;
    status.dataset.ok = String(ok);
  }

  /** After a new analysis: close the card if its finding is gone. */
  refresh(findings: Finding[]): void {
    if (this.finding && !findings.some((f) => sameFinding(f, this.finding!))) {
      // Keep a card that is showing an apply result; it closes by itself.
      const status = this.card?.querySelector('[data-role="apply-status"]')?.textContent;
      if (!status) this.close(false);
    }
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
    this.card?.remove();
    this.card = null;
    this.finding = null;
  }

  private place(anchor: DOMRect): void {
    const card = this.card!;
    const view = this.doc.defaultView!;
    const width = card.offsetWidth || 300;
    const height = card.offsetHeight || 120;
    let top = anchor.bottom + 6;
    if (top + height > view.innerHeight - 4 && anchor.top - height - 6 > 0) top = anchor.top - height - 6;
    const left = Math.max(4, Math.min(anchor.left, view.innerWidth - width - 4));
    card.style.top = `${Math.max(4, top)}px`;
    card.style.left = `${left}px`;
  }
}
