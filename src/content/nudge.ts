// The nudge shown beside a send button when a public reply is sent with open problems: what is open (each item leads
// to its fix), 「戻って直す」 and 「このまま送信」. It lives in a shadow root on its own host appended to <html>, never
// inside the editor or the helpdesk's composer, and is built with textContent only. It never sends anything itself:
// the send guard (send-guard.ts) decides what a button means.
import type { ChecklistItem, Finding } from '../engine/types';
import { THEME_CSS } from './theme';

export interface OpenItem {
  key: string;
  kind: 'finding' | 'checklist';
  severity: Finding['severity'];
  /** What is open, in Japanese (the reply is Japanese): 「でも、」 or the checklist label. */
  title: string;
  detail: string;
  finding?: Finding;
  item?: ChecklistItem;
}

export interface NudgeHandlers {
  /** The agent chose to send as it is (or, once everything is fixed, to send). */
  send(): void;
  /** The agent chose to go back and fix; the held send is dropped on purpose. */
  back(): void;
  /** An item was clicked: lead to its fix. */
  open(item: OpenItem): void;
}

/** What the nudge draws of `items`, and where each leads (a finding's offsets): equal signatures draw the same. */
function itemsSignature(items: readonly OpenItem[]): string {
  return JSON.stringify(items.map((i) => [i.key, i.kind, i.severity, i.title, i.detail, i.finding?.start, i.finding?.end]));
}

export class NudgeHost {
  private host: HTMLElement;
  private shadow: ShadowRoot;
  private box: HTMLElement | null = null;
  private anchor: Element | null = null;
  private handlers: NudgeHandlers | null = null;
  private confirmErrors = false;
  /** itemsSignature() of what the open nudge shows. */
  private drawnItems = '';
  private readonly follow = () => this.place();

  constructor(private readonly doc: Document) {
    this.host = doc.createElement('kizuki-nudge');
    this.shadow = this.host.attachShadow({ mode: __KIZUKI_E2E__ ? 'open' : 'closed' });
    const style = doc.createElement('style');
    style.textContent = THEME_CSS + NUDGE_CSS;
    this.shadow.append(style);
  }

  get isOpen(): boolean {
    return this.box !== null;
  }

  contains(path: EventTarget[]): boolean {
    return path.includes(this.host);
  }

  /** Shows the nudge beside `anchor` (the send button, or the editor for a keyboard send). Throws if it cannot. */
  open(anchor: Element, items: OpenItem[], options: { confirmErrors: boolean }, handlers: NudgeHandlers): void {
    const rect = anchor.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) throw new Error('nudge: the send control has no layout');
    this.close();
    this.anchor = anchor;
    this.handlers = handlers;
    this.confirmErrors = options.confirmErrors;
    const box = this.doc.createElement('div');
    box.className = 'kizuki-nudge';
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-live', 'assertive');
    this.box = box;
    this.render(items);
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.shadow.append(box);
    this.place();
    const view = this.doc.defaultView!;
    view.addEventListener('scroll', this.follow, { capture: true, passive: true });
    view.addEventListener('resize', this.follow, { passive: true });
  }

  /**
   * The open items may have changed while the nudge is open (the agent is fixing them). Drawn again only if they did:
   * an analysis that finds the same items must not replace the buttons under the agent's pointer (a click pressed on
   * a button that is then replaced is lost) nor untick the confirmation.
   */
  update(items: OpenItem[]): void {
    if (!this.box) return;
    if (itemsSignature(items) === this.drawnItems) return;
    this.render(items);
    this.place();
  }

  close(): void {
    const view = this.doc.defaultView;
    view?.removeEventListener('scroll', this.follow, { capture: true });
    view?.removeEventListener('resize', this.follow);
    this.box?.remove();
    this.box = null;
    this.anchor = null;
    this.handlers = null;
  }

  private render(items: OpenItem[]): void {
    const box = this.box!;
    const handlers = this.handlers!;
    const el = (tag: string, cls?: string, text?: string) => {
      const e = this.doc.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    box.replaceChildren();
    this.drawnItems = itemsSignature(items);
    box.dataset.open = String(items.length);
    const resolved = items.length === 0;
    box.append(el('p', 'kizuki-nudge-title', resolved ? '指摘はすべて直りました。' : '送信前に確認しませんか'));
    if (!resolved) {
      const list = el('ul', 'kizuki-nudge-items');
      for (const item of items) {
        const li = el('li');
        li.dataset.severity = item.severity;
        li.dataset.kind = item.kind;
        const b = el('button', 'kizuki-nudge-item') as HTMLButtonElement;
        b.type = 'button';
        b.dataset.key = item.key;
        b.append(el('span', 'kizuki-nudge-dot'), el('span', 'kizuki-nudge-what', item.title), el('span', 'kizuki-nudge-detail', item.detail));
        b.addEventListener('click', (e) => e.isTrusted && handlers.open(item));
        li.append(b);
        list.append(li);
      }
      box.append(list);
    }
    const needsTick = this.confirmErrors && items.some((i) => i.severity === 'error' && i.kind === 'finding');
    let tick: HTMLInputElement | null = null;
    if (needsTick) {
      const label = el('label', 'kizuki-nudge-confirm');
      tick = el('input') as HTMLInputElement;
      tick.type = 'checkbox';
      tick.dataset.action = 'confirm';
      label.append(tick, el('span', undefined, '「要修正」の指摘を確認したうえで送信します'));
      box.append(label);
    }
    const actions = el('div', 'kizuki-nudge-actions');
    const back = el('button', 'kizuki-nudge-back', '戻って直す') as HTMLButtonElement;
    back.type = 'button';
    back.dataset.action = 'back';
    back.addEventListener('click', (e) => e.isTrusted && handlers.back());
    const send = el('button', 'kizuki-nudge-send', resolved ? '送信' : 'このまま送信') as HTMLButtonElement;
    send.type = 'button';
    send.dataset.action = 'send';
    if (tick) {
      send.disabled = true;
      tick.addEventListener('change', () => (send.disabled = !tick!.checked));
    }
    // Only the agent's own click: page script can reach an open shadow root in the e2e build.
    send.addEventListener('click', (e) => e.isTrusted && !send.disabled && handlers.send());
    if (resolved) actions.append(send);
    else actions.append(back, send);
    box.append(actions);
  }

  /** Above the send control, right edges aligned; below it when there is no room above. */
  private place(): void {
    if (!this.box || !this.anchor) return;
    const view = this.doc.defaultView!;
    const a = this.anchor.getBoundingClientRect();
    const width = this.box.offsetWidth || 320;
    const height = this.box.offsetHeight || 160;
    const gap = 8;
    const top = a.top - gap - height >= 4 ? a.top - gap - height : Math.min(a.bottom + gap, view.innerHeight - height - 4);
    const left = Math.max(4, Math.min(a.right - width, view.innerWidth - width - 4));
    this.box.style.top = `${Math.max(4, top)}px`;
    this.box.style.left = `${left}px`;
  }
}

const NUDGE_CSS = `
:host { all: initial; }
.kizuki-nudge {
  position: fixed; z-index: 2147483647; width: 340px; max-width: calc(100vw - 8px); box-sizing: border-box;
  padding: 10px 12px; border-radius: 8px; background: var(--k-bg); color: var(--k-fg);
  border: 1px solid var(--k-line); border-top: 3px solid var(--k-accent); box-shadow: 0 6px 24px rgba(0,0,0,.22);
  font: 13px/1.55 system-ui, "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic UI", sans-serif;
}
.kizuki-nudge-title { margin: 0 0 6px; font-weight: 600; }
.kizuki-nudge-items { list-style: none; margin: 0 0 8px; padding: 0; max-height: 40vh; overflow: auto; }
.kizuki-nudge-item { all: unset; box-sizing: border-box; display: grid; grid-template-columns: 10px 1fr; gap: 0 6px; width: 100%;
  padding: 4px; border-radius: 4px; cursor: pointer; }
.kizuki-nudge-item:hover, .kizuki-nudge-item:focus-visible { background: var(--k-hover); outline: 2px solid var(--k-focus); }
.kizuki-nudge-dot { width: 8px; height: 8px; border-radius: 50%; margin-top: 6px; background: var(--k-info); }
li[data-severity="error"] .kizuki-nudge-dot { background: var(--k-error); }
li[data-severity="warning"] .kizuki-nudge-dot { background: var(--k-warning); }
.kizuki-nudge-what { font-weight: 600; }
.kizuki-nudge-detail { grid-column: 2; color: var(--k-muted); font-size: 12px; }
.kizuki-nudge-confirm { display: flex; gap: 6px; align-items: center; margin: 0 0 8px; font-size: 12px; }
.kizuki-nudge-actions { display: flex; justify-content: flex-end; gap: 8px; }
button.kizuki-nudge-back, button.kizuki-nudge-send { font: inherit; cursor: pointer; border-radius: 6px; padding: 4px 12px; }
.kizuki-nudge-back { border: 1px solid var(--k-line); background: var(--k-subtle); color: var(--k-fg); }
.kizuki-nudge-send { border: 1px solid var(--k-accent); background: var(--k-accent); color: #fff; }
.kizuki-nudge-send:disabled { opacity: .5; cursor: not-allowed; }
button:focus-visible { outline: 2px solid var(--k-focus); outline-offset: 1px; }
`;
