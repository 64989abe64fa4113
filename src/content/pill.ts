// The count pill: a small badge at the reply box's bottom-right corner with the number of open findings, coloured by
// the most severe; a click opens the panel. Like the card it lives in a shadow root on its own host appended to
// <html>, outside the editor's DOM, and follows the box on scroll and resize.
//
// The drawn pill takes no pointer events. It is fixed to the viewport and moved by script, so after the page scrolls
// or its layout shifts it can be drawn for a moment (until the scroll event, or the next analysis) where the box no
// longer is, over the page's own controls: traced in Firefox, a click on the helpdesk's Submit button right after the
// page scrolled it into view landed on the pill and sent nothing. Clicks are matched instead against where the pill
// belongs at the moment of the click, read from the box's current position.
import type { Finding } from '../engine/types';
import { THEME_CSS } from './theme';

export class CountPill {
  private host: HTMLElement;
  private shadow: ShadowRoot;
  private button: HTMLButtonElement;
  private box: HTMLElement | null = null;
  private frame = 0;
  /** The button's position as last written. */
  private placed = '';
  private readonly follow = () => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.place();
    });
  };

  constructor(private readonly doc: Document, onClick: () => void) {
    this.host = doc.createElement('kizuki-pill');
    this.shadow = this.host.attachShadow({ mode: __KIZUKI_E2E__ ? 'open' : 'closed' });
    const style = doc.createElement('style');
    style.textContent = THEME_CSS + PILL_CSS;
    this.button = doc.createElement('button');
    this.button.type = 'button';
    this.button.className = 'kizuki-pill';
    // Activated from the keyboard (the button can take focus); pointer clicks are handled by onPointer.
    this.button.addEventListener('click', (e) => e.isTrusted && onClick());
    this.onPointer = (e: MouseEvent) => {
      // The card and the nudge are drawn above the pill: a click on them is theirs.
      if (e.target instanceof Element && e.target.localName.startsWith('kizuki-')) return;
      if (!this.box || !this.hit(e.clientX, e.clientY)) return;
      // Ours: the page under the pill sees none of it, and the editor keeps its focus and caret.
      e.preventDefault();
      e.stopImmediatePropagation();
      if (e.type === 'click' && e.isTrusted) onClick();
    };
    this.shadow.append(style, this.button);
  }

  private readonly onPointer: (e: MouseEvent) => void;

  /** Shows the count for `box` (hidden when there is no box or an empty draft). */
  show(box: HTMLElement | null, findings: readonly Finding[], draftEmpty: boolean): void {
    if (!box || draftEmpty) return this.hide();
    const count = findings.length;
    const worst = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : count ? 'info' : 'clean';
    const label = count > 0 ? `kizuki: 指摘 ${count} 件（クリックでパネルを開く）` : 'kizuki: 指摘はありません（クリックでパネルを開く）';
    // Written only when it changed: any change to the page's DOM makes Chromium repaint every underlined piece of the
    // editor's text at the next frame (in the Zendesk fixture 12-13 raster tasks, about 10 ms of raster here).
    setIfChanged(this.button.dataset, 'severity', worst);
    setIfChanged(this.button.dataset, 'count', String(count));
    setIfChanged(this.button, 'textContent', count > 0 ? String(count) : '✓');
    setIfChanged(this.button, 'title', label);
    if (this.button.getAttribute('aria-label') !== label) this.button.setAttribute('aria-label', label);
    if (box !== this.box) {
      this.box = box;
      const view = this.doc.defaultView!;
      view.addEventListener('scroll', this.follow, { capture: true, passive: true });
      view.addEventListener('resize', this.follow, { passive: true });
      for (const type of POINTER_EVENTS) view.addEventListener(type, this.onPointer as EventListener, { capture: true });
    }
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.place();
  }

  hide(): void {
    const view = this.doc.defaultView;
    view?.removeEventListener('scroll', this.follow, { capture: true });
    view?.removeEventListener('resize', this.follow);
    for (const type of POINTER_EVENTS) view?.removeEventListener(type, this.onPointer as EventListener, { capture: true });
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.box = null;
    this.host.remove();
  }

  /** Where the pill belongs now (its top-left corner, in the viewport), or null while the box is out of view. */
  private spot(): { top: number; left: number } | null {
    if (!this.box) return null;
    const r = this.box.getBoundingClientRect();
    const view = this.doc.defaultView!;
    if (r.width === 0 || r.bottom < 0 || r.top > view.innerHeight) return null;
    // Inside the box's corner, clear of its border and of a scrollbar.
    return { top: Math.min(r.bottom, view.innerHeight) - PILL_HEIGHT - 6, left: Math.min(r.right, view.innerWidth) - PILL_HEIGHT - 20 };
  }

  /** Whether a point is on the pill as it belongs now (not as last drawn). */
  private hit(x: number, y: number): boolean {
    const spot = this.spot();
    if (!spot) return false;
    // The width follows the count; it is the drawn button's, which changes only when show() writes the count.
    return x >= spot.left && x <= spot.left + this.button.offsetWidth && y >= spot.top && y <= spot.top + PILL_HEIGHT;
  }

  private place(): void {
    if (!this.box) return;
    const spot = this.spot();
    const placed = spot ? `display: block; top: ${spot.top}px; left: ${spot.left}px` : 'display: none';
    // Compared with what was written, not read back: the browser serialises lengths in its own way.
    if (placed !== this.placed) this.button.style.cssText = this.placed = placed;
  }
}

const PILL_HEIGHT = 22;
/** What a pointer click on the pill is made of; all of it stays with the pill. */
const POINTER_EVENTS = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'dblclick', 'auxclick', 'contextmenu'] as const;

function setIfChanged<T extends object, K extends keyof T & string>(target: T, key: K, value: T[K]): void {
  if (target[key] !== value) target[key] = value;
}

const PILL_CSS = `
:host { all: initial; }
.kizuki-pill {
  position: fixed; z-index: 2147483646; min-width: 22px; height: 22px; box-sizing: border-box; padding: 0 6px;
  pointer-events: none;
  border-radius: 11px; border: 1px solid var(--k-line); background: var(--k-bg); color: var(--k-fg); opacity: .92;
  font: 600 12px/20px system-ui, sans-serif; text-align: center; box-shadow: 0 1px 4px rgba(0,0,0,.15);
}
.kizuki-pill[data-severity="error"] { background: var(--k-error); border-color: var(--k-error); color: #fff; }
.kizuki-pill[data-severity="warning"] { background: var(--k-warning); border-color: var(--k-warning); color: #1f2937; }
.kizuki-pill[data-severity="info"] { background: var(--k-info); border-color: var(--k-info); color: #fff; }
.kizuki-pill[data-severity="clean"] { color: var(--k-ok); }
.kizuki-pill:focus-visible { outline: 2px solid var(--k-focus); outline-offset: 1px; }
`;
