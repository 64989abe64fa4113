// The count pill: a small badge at the reply box's bottom-right corner with the number of open findings, coloured by
// the most severe; a click opens the panel. Like the card it lives in a shadow root on its own host appended to
// <html>, outside the editor's DOM, and follows the box on scroll and resize.
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
    // Never take focus from the editor on click: the agent goes on typing where they were.
    this.button.addEventListener('mousedown', (e) => e.preventDefault());
    this.button.addEventListener('click', (e) => e.isTrusted && onClick());
    this.shadow.append(style, this.button);
  }

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
    }
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.place();
  }

  hide(): void {
    const view = this.doc.defaultView;
    view?.removeEventListener('scroll', this.follow, { capture: true });
    view?.removeEventListener('resize', this.follow);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.box = null;
    this.host.remove();
  }

  private place(): void {
    if (!this.box) return;
    const r = this.box.getBoundingClientRect();
    const view = this.doc.defaultView!;
    const hidden = r.width === 0 || r.bottom < 0 || r.top > view.innerHeight;
    // Inside the box's corner, clear of its border and of a scrollbar.
    const size = 22;
    const placed = `display: ${hidden ? 'none' : 'block'}; top: ${Math.min(r.bottom, view.innerHeight) - size - 6}px; left: ${Math.min(r.right, view.innerWidth) - size - 20}px`;
    // Compared with what was written, not read back: the browser serialises lengths in its own way.
    if (placed !== this.placed) this.button.style.cssText = this.placed = placed;
  }
}

function setIfChanged<T extends object, K extends keyof T & string>(target: T, key: K, value: T[K]): void {
  if (target[key] !== value) target[key] = value;
}

const PILL_CSS = `
:host { all: initial; }
.kizuki-pill {
  position: fixed; z-index: 2147483646; min-width: 22px; height: 22px; box-sizing: border-box; padding: 0 6px;
  border-radius: 11px; border: 1px solid var(--k-line); background: var(--k-bg); color: var(--k-fg); opacity: .92;
  font: 600 12px/20px system-ui, sans-serif; text-align: center; cursor: pointer; box-shadow: 0 1px 4px rgba(0,0,0,.15);
}
.kizuki-pill:hover { opacity: 1; }
.kizuki-pill[data-severity="error"] { background: var(--k-error); border-color: var(--k-error); color: #fff; }
.kizuki-pill[data-severity="warning"] { background: var(--k-warning); border-color: var(--k-warning); color: #1f2937; }
.kizuki-pill[data-severity="info"] { background: var(--k-info); border-color: var(--k-info); color: #fff; }
.kizuki-pill[data-severity="clean"] { color: var(--k-ok); }
.kizuki-pill:focus-visible { outline: 2px solid var(--k-focus); outline-offset: 1px; }
`;
