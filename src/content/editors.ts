// Finding the reply box the agent is working in, and what the adapter says about it (note? customer message?).
import { adapters as allAdapters, type Adapter, type NoteRule } from './adapters';

export type EditorKind = 'textarea' | 'ckeditor5' | 'prosemirror' | 'contenteditable';

export interface ActiveEditor {
  el: HTMLElement;
  adapter: Adapter;
  kind: EditorKind;
}

export interface FindOptions {
  /** The editable that last had focus (kept by the caller across ticket switches). */
  lastFocused?: HTMLElement | null;
  isVisible?: (el: HTMLElement) => boolean;
  adapters?: readonly Adapter[];
}

export function isVisible(el: HTMLElement): boolean {
  if (typeof el.checkVisibility === 'function') return el.checkVisibility();
  return el.getClientRects().length > 0;
}

/** The outermost contenteditable host containing `node`, or the textarea itself. */
export function editableRoot(node: Node | null): HTMLElement | null {
  let el: Element | null = node && node.nodeType === 1 ? (node as Element) : (node?.parentElement ?? null);
  if (!el) return null;
  if (el.tagName === 'TEXTAREA') return el as HTMLTextAreaElement;
  let root: HTMLElement | null = null;
  for (let cur: Element | null = el; cur; cur = cur.parentElement) {
    const ce = cur.getAttribute('contenteditable');
    if (ce === 'true' || ce === '' || ce === 'plaintext-only') root = cur as HTMLElement;
    else if (ce === 'false') break;
  }
  return root;
}

export function editorKind(el: HTMLElement, adapter: Adapter): EditorKind {
  if (el.tagName === 'TEXTAREA') return 'textarea';
  if (adapter.editor === 'ckeditor5' || el.classList.contains('ck-editor__editable')) return 'ckeditor5';
  if (adapter.editor === 'prosemirror' || el.classList.contains('ProseMirror')) return 'prosemirror';
  return 'contenteditable';
}

function candidatesOf(doc: Document, adapter: Adapter, visible: (el: HTMLElement) => boolean): HTMLElement[] {
  if (adapter.id === 'generic') return []; // generic only takes the focused box (below)
  for (const selector of adapter.editable) {
    const found = [...doc.querySelectorAll<HTMLElement>(selector)].filter(visible);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * The reply box to coach: among the adapters' visible candidates, the focused one, else the one focused last,
 * else the first. With no adapter candidate, the focused textarea/contenteditable (generic adapter).
 */
export function findActiveEditor(doc: Document, options: FindOptions = {}): ActiveEditor | null {
  const visible = options.isVisible ?? isVisible;
  const list = options.adapters ?? allAdapters;
  const focused = editableRoot(doc.activeElement);
  const last = options.lastFocused?.isConnected ? options.lastFocused : null;
  for (const adapter of list) {
    const candidates = candidatesOf(doc, adapter, visible);
    if (candidates.length === 0) continue;
    const pick =
      candidates.find((c) => focused && (c === focused || c.contains(focused))) ??
      candidates.find((c) => last && (c === last || c.contains(last))) ??
      candidates[0]!;
    return { el: pick, adapter, kind: editorKind(pick, adapter) };
  }
  const generic = list.find((a) => a.id === 'generic');
  const box = focused ?? last;
  if (generic && box && visible(box) && box.matches(generic.editable.join(','))) {
    return { el: box, adapter: generic, kind: editorKind(box, generic) };
  }
  return null;
}

/** Whether the editable is an internal note (not read by the customer). */
export function isInternalNote(el: HTMLElement, adapter: Adapter): boolean {
  return adapter.note.some((rule) => noteRuleMatches(el, rule));
}

function noteRuleMatches(el: HTMLElement, rule: NoteRule): boolean {
  if (rule.kind === 'ancestor') return el.closest(rule.selector) !== null;
  const switcher = nearest(el, rule.selector);
  const label = switcher ? textOf(switcher[switcher.length - 1]!) : '';
  return rule.texts.some((t) => label.includes(t));
}

/** The customer's latest message near the editable (the same ticket when several are mounted), trimmed. */
export function customerMessage(el: HTMLElement, adapter: Adapter): string | undefined {
  for (const selector of adapter.customerMessage) {
    const found = nearest(el, selector);
    if (found && found.length > 0) {
      const text = textOf(found[found.length - 1]!).trim();
      if (text) return text.length > 5000 ? text.slice(-5000) : text;
    }
  }
  return undefined;
}

/** Matches in the closest ancestor of `el` that contains any, so each ticket's composer reads its own ticket. */
function nearest(el: HTMLElement, selector: string): Element[] | null {
  for (let a: Element | null = el.parentElement; a; a = a.parentElement) {
    const found = a.querySelectorAll(selector);
    if (found.length > 0) return [...found];
  }
  return null;
}

function textOf(el: Element): string {
  const inner = (el as HTMLElement).innerText;
  return typeof inner === 'string' ? inner : (el.textContent ?? '');
}
