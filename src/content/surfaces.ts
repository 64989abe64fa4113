// An editor surface: one reply box as the coaching session sees it. Reading its text, drawing findings over it
// (never inside it), measuring where text is, where the caret is, selecting a span, and knowing when its content
// changed by any path (typing, IME, delete, undo/redo, paste, drag and drop, API and macro inserts, collaborators).
import type { Finding } from '../engine/types';
import type { ActiveEditor, EditorKind } from './editors';
import { clearHighlights, paintHighlights, TextareaOverlay } from './highlights';
import { buildTextModel, type TextModel } from './text-model';

/** The text at one moment, with what is needed to draw on exactly that text. */
export interface Snapshot {
  readonly text: string;
  /** Rich text only: offsets <-> DOM for this text. */
  readonly model?: TextModel;
}

export interface EditorSurface {
  readonly el: HTMLElement;
  readonly kind: EditorKind;
  /** The current text, read fresh when the editor changed since the last read. */
  snapshot(): Snapshot;
  /** Draws `findings` (offsets into `snapshot.text`); the snapshot must be current. */
  paint(snapshot: Snapshot, findings: readonly Finding[]): void;
  clear(): void;
  /** Client rects of the text [start, end) as it is laid out now. */
  rectsOf(start: number, end: number): DOMRect[];
  /** The caret (selection focus) as a text offset, or null when the selection is elsewhere. */
  caret(): number | null;
  /** Where the caret was when the editor last had it (the agent clicked into a card since), or null if never. */
  lastCaret(): number | null;
  /** Focuses the editor and selects [start, end) in a way the editor reads back into its own model. */
  select(start: number, end: number): void;
  /**
   * Calls `onChange` as soon as anything may have changed the text, before the next frame is drawn where it can (the
   * caller looks at once, so no frame shows underlines of the text before). Returns the function that stops watching.
   */
  observe(onChange: () => void): () => void;
}

export function surfaceFor(editor: ActiveEditor, doc: Document): EditorSurface {
  return editor.kind === 'textarea' ? new TextareaSurface(editor.el as HTMLTextAreaElement, doc) : new RichTextSurface(editor.el, editor.kind, doc);
}

/**
 * How often a textarea's value is compared with the last one read outside the frame watch below (and in a hidden
 * tab, which draws no frames): scripts that set `.value` (helpdesk macros, ticket switches that reuse the field) fire
 * no event and no mutation.
 */
const TEXTAREA_POLL_MS = 250;

/** How long after the agent's last click or shortcut in the page a textarea's value is compared before every frame. */
const TEXTAREA_FRAME_WATCH_MS = 3_000;

/** Keys that, without a modifier, commonly make a helpdesk act (send, pick a macro, close a menu). */
const ACTION_KEYS = new Set(['Enter', 'Tab', 'Escape']);

class TextareaSurface implements EditorSurface {
  readonly kind = 'textarea' as const;
  private overlay: TextareaOverlay;

  constructor(readonly el: HTMLTextAreaElement, private readonly doc: Document) {
    this.overlay = new TextareaOverlay(doc);
  }

  snapshot(): Snapshot {
    return { text: this.el.value };
  }

  paint(_snapshot: Snapshot, findings: readonly Finding[]): void {
    this.overlay.show(this.el, findings);
  }

  clear(): void {
    this.overlay.hide();
  }

  rectsOf(start: number, end: number): DOMRect[] {
    return this.overlay.textRects(start, end);
  }

  caret(): number | null {
    return this.doc.activeElement === this.el ? this.el.selectionEnd : null;
  }

  lastCaret(): number | null {
    // A textarea keeps its selection while it is not focused.
    return this.el.selectionEnd;
  }

  select(start: number, end: number): void {
    this.el.focus({ preventScroll: true });
    this.el.setSelectionRange(start, end);
  }

  observe(onChange: () => void): () => void {
    let last = this.el.value;
    const check = () => {
      if (this.el.value === last) return;
      last = this.el.value;
      onChange();
    };
    // The overlay is a copy of the text, so until it is redrawn its underlines sit at the old text's offsets. Typing,
    // deletion, undo and paste are looked at in the input event itself: looked at in the next task, a fast deletion
    // or an undo showed them on the wrong characters for 1-4 frames.
    const onInput = () => check();
    this.el.addEventListener('input', onInput);
    // A script that sets `.value` fires nothing. A macro or a ticket switch follows the agent's click or shortcut, so
    // for a while after one, anywhere in the page, the value is compared before every frame (one string comparison) and
    // no frame shows the old text's underlines over the new text; input handlers of the page's that run after ours
    // are caught there too. Otherwise the timer (it showed them for up to 15 frames). Not a frame loop that never
    // stops: measured on an idle page in headless Chromium, that cost 11 % of a core (120-135 CPU ticks in 10 s
    // against 18-22 without the extension).
    const win = this.doc.defaultView;
    let frame = 0;
    let watchUntil = 0;
    const beforeFrame = () => {
      frame = 0;
      check();
      if (performance.now() < watchUntil) frame = win?.requestAnimationFrame(beforeFrame) ?? 0;
    };
    const watchFrames = () => {
      watchUntil = performance.now() + TEXTAREA_FRAME_WATCH_MS;
      if (!frame) frame = win?.requestAnimationFrame(beforeFrame) ?? 0;
    };
    // Plain typing does not start the watch: its edits come with input events, and a watch renewed by every key kept
    // the frame loop running all the while the agent typed.
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || ACTION_KEYS.has(event.key)) watchFrames();
    };
    const agentActs = { capture: true, passive: true } as const;
    this.doc.addEventListener('pointerdown', watchFrames, agentActs);
    this.doc.addEventListener('keydown', onKey, agentActs);
    watchFrames();
    const timer = setInterval(check, TEXTAREA_POLL_MS);
    return () => {
      this.el.removeEventListener('input', onInput);
      this.doc.removeEventListener('pointerdown', watchFrames, agentActs);
      this.doc.removeEventListener('keydown', onKey, agentActs);
      if (frame) win?.cancelAnimationFrame(frame);
      clearInterval(timer);
    };
  }
}

class RichTextSurface implements EditorSurface {
  private model: TextModel | null = null;
  private observer: MutationObserver | null = null;
  private notify: (() => void) | null = null;
  /** The selection's focus the last time it was in the editor. */
  private caretSeen: { node: Node; offset: number } | null = null;

  constructor(readonly el: HTMLElement, readonly kind: EditorKind, private readonly doc: Document) {}

  snapshot(): Snapshot {
    // Mutations not yet delivered to the observer (the editor changed in this task): the model is stale. Taking the
    // records drops their callback, so give the change notice here instead.
    if (this.observer && this.observer.takeRecords().length > 0) {
      this.model = null;
      const notify = this.notify;
      if (notify) queueMicrotask(notify);
    }
    // Rebuilt only after a mutation: hover and caret look-ups between edits reuse it.
    this.model ??= buildTextModel(this.el);
    return { text: this.model.text, model: this.model };
  }

  paint(snapshot: Snapshot, findings: readonly Finding[]): void {
    paintHighlights(this.doc, snapshot.model ?? this.snapshot().model!, findings);
  }

  clear(): void {
    clearHighlights();
  }

  rectsOf(start: number, end: number): DOMRect[] {
    return [...this.snapshot().model!.range(start, end).getClientRects()];
  }

  caret(): number | null {
    const sel = this.doc.getSelection();
    if (!sel || !sel.focusNode || !this.el.contains(sel.focusNode)) return null;
    return this.snapshot().model!.fromDom(sel.focusNode, sel.focusOffset);
  }

  lastCaret(): number | null {
    const now = this.caret();
    if (now !== null) return now;
    const seen = this.caretSeen;
    return seen && this.el.contains(seen.node) ? this.snapshot().model!.fromDom(seen.node, seen.offset) : null;
  }

  select(start: number, end: number): void {
    this.el.focus({ preventScroll: true });
    const range = this.snapshot().model!.range(start, end);
    const selection = this.doc.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }

  observe(onChange: () => void): () => void {
    // kizuki never writes inside the editable (highlights are drawn outside the DOM), so every text or node change
    // in it is the editor's: typing, deletion, undo, paste, a macro through the editor's API, a collaborator.
    // Looked at in the observer's callback, when the editor's render of this edit is in the DOM (its records come in
    // one batch): highlight ranges are live, so between the edit and a look in a later task a frame could show an
    // underline shrunk onto what is left of an edited finding (「も、」 of 「でも、」) or one of the old draft's.
    // Reading the text walks the DOM and the highlights are ranges; what does read layout (the customer message's
    // text, the pill's and an open card's positions) now runs inside the editor's event.
    const observer = new MutationObserver(() => {
      this.model = null;
      onChange();
    });
    observer.observe(this.el, { childList: true, characterData: true, subtree: true });
    this.observer = observer;
    this.notify = onChange;
    // The observer's callback usually looked already (at the checkpoint after the first input listener): the model
    // is stale only if the editor changed since, and then it is read once more.
    const onInput = () => {
      if (this.observer && this.observer.takeRecords().length > 0) this.model = null;
      onChange();
    };
    this.el.addEventListener('input', onInput);
    // The DOM position only (cheap on every keystroke); made an offset when asked.
    const onSelection = () => {
      const sel = this.doc.getSelection();
      if (sel?.focusNode && this.el.contains(sel.focusNode)) this.caretSeen = { node: sel.focusNode, offset: sel.focusOffset };
    };
    this.doc.addEventListener('selectionchange', onSelection);
    return () => {
      observer.disconnect();
      this.observer = null;
      this.notify = null;
      this.el.removeEventListener('input', onInput);
      this.doc.removeEventListener('selectionchange', onSelection);
    };
  }
}
