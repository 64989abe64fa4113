// Drawing underlines without touching the editor. Contenteditable: CSS Custom Highlight API (ranges over the
// editor's own text nodes; the ::highlight rules live in a constructed stylesheet adopted by the document).
// Textarea: a mirror of the field inside an open shadow root of <kizuki-overlay>, with one mark per finding.
import type { Finding, Severity } from '../engine/types';
import type { TextModel } from './text-model';

export const HIGHLIGHT_NAMES: Record<Severity, string> = {
  error: 'kizuki-error',
  warning: 'kizuki-warning',
  info: 'kizuki-info',
};
const PRIORITY: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
/** Drawing order in the textarea overlay: later marks are on top, so the most severe comes last. */
const DRAW_ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const COLORS: Record<Severity, string> = { error: '#d93025', warning: '#d97706', info: '#2563eb' };

let styleAdopted = false;

function adoptHighlightStyles(doc: Document): void {
  if (styleAdopted) return;
  styleAdopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(
    (Object.keys(COLORS) as Severity[])
      .map(
        (s) => `::highlight(${HIGHLIGHT_NAMES[s]}) { text-decoration: underline wavy ${COLORS[s]}; ` +
          `text-decoration-thickness: 1.5px; text-underline-offset: 3px; background-color: ${COLORS[s]}14; }`,
      )
      .join('\n'),
  );
  try {
    doc.adoptedStyleSheets.push(sheet);
  } catch {
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
}

export function highlightsSupported(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
}

/**
 * The Highlight this script last registered for each severity. Registering a new one makes Chromium rebuild every
 * highlight's markers and repaint every underlined piece of the editor's text at the next frame: in a trace of 10
 * keystrokes in the Zendesk fixture (CKEditor 5, 2,000 characters), registering anew with every answer made 42 frames
 * and 360 raster tasks, against 20 and 240 when unchanged highlights are kept. Typing moves the live ranges with the
 * text, so most answers (and the carried underlines before them) find every underline already where it belongs.
 */
const registered = new Map<Severity, Highlight>();

/** Paints findings into the CSS highlight registry; returns the ranges by finding for hit-testing. */
export function paintHighlights(doc: Document, model: TextModel, findings: readonly Finding[]): Map<Finding, Range> {
  const ranges = new Map<Finding, Range>();
  if (!highlightsSupported()) return ranges;
  adoptHighlightStyles(doc);
  // The live ranges registered now, by what they cover in this text: reused for a finding that covers the same.
  const live = new Map<string, Range[]>();
  try {
    for (const [s, highlight] of registered) {
      if (CSS.highlights.get(HIGHLIGHT_NAMES[s]) !== highlight) continue;
      for (const r of highlight as unknown as Set<AbstractRange>) {
        if (!(r instanceof Range) || !model.root.contains(r.startContainer) || !model.root.contains(r.endContainer)) continue;
        const key = `${s}:${model.fromDom(r.startContainer, r.startOffset)}:${model.fromDom(r.endContainer, r.endOffset)}`;
        live.set(key, [...(live.get(key) ?? []), r]);
      }
    }
  } catch {
    // Reusing is only a saving: new ranges for every finding, as if none were registered.
    live.clear();
  }
  const bySeverity: Record<Severity, Range[]> = { error: [], warning: [], info: [] };
  for (const f of findings) {
    if (f.scope !== 'span' || f.start === undefined || f.end === undefined) continue;
    const r = live.get(`${f.severity}:${f.start}:${f.end}`)?.pop() ?? model.range(f.start, f.end);
    ranges.set(f, r);
    bySeverity[f.severity].push(r);
  }
  for (const s of Object.keys(bySeverity) as Severity[]) {
    const wanted = bySeverity[s];
    const current = registered.get(s);
    if (wanted.length === 0) {
      CSS.highlights.delete(HIGHLIGHT_NAMES[s]);
      registered.delete(s);
      continue;
    }
    const unchanged = current && CSS.highlights.get(HIGHLIGHT_NAMES[s]) === current && current.size === wanted.length && wanted.every((r) => current.has(r));
    if (unchanged) continue;
    const highlight = new Highlight(...wanted);
    // Where findings overlap, the most severe is painted on top (by default the last registered would be).
    highlight.priority = PRIORITY[s];
    CSS.highlights.set(HIGHLIGHT_NAMES[s], highlight);
    registered.set(s, highlight);
  }
  return ranges;
}

export function clearHighlights(): void {
  if (!highlightsSupported()) return;
  for (const name of Object.values(HIGHLIGHT_NAMES)) CSS.highlights.delete(name);
  registered.clear();
}

const MIRRORED = [
  'boxSizing', 'width', 'height', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft',
  'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth', 'borderStyle',
  'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch', 'lineHeight', 'letterSpacing',
  'wordSpacing', 'textIndent', 'textTransform', 'tabSize', 'direction', 'textAlign', 'whiteSpace', 'wordBreak',
  'overflowWrap', 'lineBreak',
] as const;

/** Overlay for a <textarea>: marks positioned over the field, measured on a hidden mirror of its text. */
export class TextareaOverlay {
  private host: HTMLElement;
  private frame: HTMLDivElement;
  private mirror: HTMLDivElement;
  private marks: HTMLDivElement;
  private field: HTMLTextAreaElement | null = null;
  private findings: Finding[] = [];
  /** What each mark was last drawn as (attributes and styles), by position. */
  private drawn: string[] = [];
  /** Scrolling moves the field, not its text's wrapping: only the frame and the marks' offset change. */
  private readonly reposition = () => this.place();
  /** A resize can change the field's width and so its wrapping. */
  private readonly relayout = () => this.layout();
  /**
   * The field's own size, the page's size (a panel opening above moves the field) and the field's style and class
   * (a font size, a padding): each can move or re-wrap its text while the text itself stays the same.
   */
  private watchers: { disconnect(): void }[] = [];

  constructor(private readonly doc: Document) {
    this.host = doc.createElement('kizuki-overlay');
    // Closed: the marks name rules and offsets of the draft, which are nobody else's business. Open in the e2e build
    // so the tests can read what is drawn.
    const shadow = this.host.attachShadow({ mode: __KIZUKI_E2E__ ? 'open' : 'closed' });
    const style = doc.createElement('style');
    style.textContent = `
      :host { all: initial; }
      .frame { position: fixed; overflow: hidden; pointer-events: none; z-index: 2147483646; }
      .mirror { position: absolute; top: 0; left: 0; visibility: hidden; overflow: hidden; margin: 0; border-color: transparent; }
      .marks { position: absolute; top: 0; left: 0; }
      [data-kizuki-mark] > i { position: absolute; display: block; height: 2px; border-radius: 1px; }
      [data-severity="error"] > i { background: ${COLORS.error}; }
      [data-severity="warning"] > i { background: ${COLORS.warning}; }
      [data-severity="info"] > i { background: ${COLORS.info}; }`;
    this.frame = doc.createElement('div');
    this.frame.className = 'frame';
    this.mirror = doc.createElement('div');
    this.mirror.className = 'mirror';
    this.marks = doc.createElement('div');
    this.marks.className = 'marks';
    this.frame.append(this.mirror, this.marks);
    shadow.append(style, this.frame);
  }

  show(field: HTMLTextAreaElement, findings: readonly Finding[]): void {
    if (this.field !== field) {
      this.detach();
      this.field = field;
      field.addEventListener('scroll', this.reposition, { passive: true });
      this.doc.defaultView?.addEventListener('resize', this.relayout, { passive: true });
      this.doc.defaultView?.addEventListener('scroll', this.reposition, { passive: true, capture: true });
      // The content script's own constructors (Firefox's content scripts cannot hand callbacks to the page's).
      if (typeof ResizeObserver === 'function') {
        const sizes = new ResizeObserver(this.relayout);
        sizes.observe(field);
        if (this.doc.body) sizes.observe(this.doc.body);
        this.watchers.push(sizes);
      }
      if (typeof MutationObserver === 'function') {
        const styles = new MutationObserver(this.relayout);
        styles.observe(field, { attributes: true, attributeFilter: ['style', 'class'] });
        this.watchers.push(styles);
      }
    }
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.findings = findings
      .filter((f) => f.scope === 'span' && f.start !== undefined && f.end !== undefined)
      .sort((a, b) => DRAW_ORDER[a.severity] - DRAW_ORDER[b.severity]);
    this.layout();
  }

  hide(): void {
    this.detach();
    this.host.remove();
  }

  /** Where [start, end) of the field's text is, in client coordinates (text boxes, not underlines). */
  textRects(start: number, end: number): DOMRect[] {
    if (!this.field) return [];
    const range = this.mirrorRange(start, end);
    const frame = this.field.getBoundingClientRect();
    const mirror = this.mirror.getBoundingClientRect();
    return range
      ? [...range.getClientRects()].map((r) => new DOMRect(r.left - mirror.left + frame.left - this.field!.scrollLeft, r.top - mirror.top + frame.top - this.field!.scrollTop, r.width, r.height))
      : [];
  }

  private detach(): void {
    if (!this.field) return;
    this.field.removeEventListener('scroll', this.reposition);
    this.doc.defaultView?.removeEventListener('resize', this.relayout);
    this.doc.defaultView?.removeEventListener('scroll', this.reposition, { capture: true });
    for (const watcher of this.watchers) watcher.disconnect();
    this.watchers = [];
    this.field = null;
  }

  private mirrorRange(start: number, end: number): Range | null {
    const node = this.mirror.firstChild as Text | null;
    if (!node) return null;
    const r = this.doc.createRange();
    r.setStart(node, Math.min(start, node.length));
    r.setEnd(node, Math.min(end, node.length));
    return r;
  }

  private place(): void {
    const field = this.field;
    if (!field) return;
    const rect = field.getBoundingClientRect();
    Object.assign(this.frame.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
    this.marks.style.transform = `translate(${-field.scrollLeft}px, ${-field.scrollTop}px)`;
  }

  private layout(): void {
    const field = this.field;
    if (!field) return;
    const view = this.doc.defaultView!;
    const cs = view.getComputedStyle(field);
    this.place();
    for (const prop of MIRRORED) (this.mirror.style as unknown as Record<string, string>)[prop] = cs[prop];
    // The field wraps inside its scrollbar: give the mirror the same content width.
    this.mirror.style.width = `${field.clientWidth + parseFloat(cs.borderLeftWidth) + parseFloat(cs.borderRightWidth)}px`;
    this.mirror.style.whiteSpace = 'pre-wrap';
    this.mirror.style.overflowWrap = cs.overflowWrap === 'normal' ? 'break-word' : cs.overflowWrap;
    // A trailing newline needs a character after it to take up a line, as it does in the field. Written only when it
    // changed: the analysis's paint follows the paint that carried the underlines over the same text, and a new text
    // node lays the whole mirror out again (most of a textarea's drawing time).
    const mirrored = field.value + '\u200b';
    const node = this.mirror.firstChild;
    if (!(node?.nodeType === 3 && node === this.mirror.lastChild && (node as Text).data === mirrored)) this.mirror.textContent = mirrored;
    const mirrorBox = this.mirror.getBoundingClientRect();
    // All measuring first, then all writing: a style written between two measures makes the next one lay the page out
    // again. The marks of the last layout are reused, one per finding in order: rebuilding ~100 elements property by
    // property, measuring as it went, took 20-30 ms a keystroke in Firefox.
    const measured = this.findings.map((f) => {
      const range = this.mirrorRange(f.start!, f.end!);
      return (range ? [...range.getClientRects()] : []).filter((r) => r.width > 0);
    });
    const marks = this.marks.children;
    this.findings.forEach((f, i) => {
      const rects = measured[i]!;
      // The mark covers the text it underlines (so it has a box to hover and to measure); lines inside it.
      const box = rects.length === 0 ? null : {
        left: Math.min(...rects.map((r) => r.left)) - mirrorBox.left,
        top: Math.min(...rects.map((r) => r.top)) - mirrorBox.top,
        right: Math.max(...rects.map((r) => r.right)) - mirrorBox.left,
        bottom: Math.max(...rects.map((r) => r.bottom)) - mirrorBox.top,
      };
      const style = box ? `position: absolute; left: ${box.left}px; top: ${box.top}px; width: ${box.right - box.left}px; height: ${box.bottom - box.top + 1}px` : '';
      const lineStyles = box ? rects.map((r) => `left: ${r.left - mirrorBox.left - box.left}px; top: ${r.bottom - mirrorBox.top - box.top - 1}px; width: ${r.width}px`) : [];
      const drawn = [f.severity, f.start, f.end, f.rule, style, ...lineStyles].join('|');
      // Most marks are where they were a keystroke ago: written only when something changed.
      if (this.drawn[i] === drawn && marks[i]) return;
      this.drawn[i] = drawn;
      const mark = (marks[i] as HTMLElement | undefined) ?? this.marks.appendChild(this.doc.createElement('div'));
      mark.setAttribute('data-kizuki-mark', '');
      mark.setAttribute('data-severity', f.severity);
      mark.setAttribute('data-start', String(f.start));
      mark.setAttribute('data-end', String(f.end));
      mark.setAttribute('data-rule', f.rule);
      mark.style.cssText = style;
      const lines = mark.children;
      lineStyles.forEach((css, k) => {
        const line = (lines[k] as HTMLElement | undefined) ?? mark.appendChild(this.doc.createElement('i'));
        line.style.cssText = css;
      });
      while (lines.length > lineStyles.length) lines[lines.length - 1]!.remove();
    });
    this.drawn.length = Math.min(this.drawn.length, this.findings.length);
    while (marks.length > this.findings.length) marks[marks.length - 1]!.remove();
  }
}
