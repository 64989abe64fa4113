// Applying a suggestion through the editor's own input path, then re-reading to verify. Per editor:
// textarea / plain contenteditable: exact selection + execCommand (native undo); CKEditor 5: the MAIN-world
// bridge to the editor model, else a synthetic paste; ProseMirror: a synthetic paste over the exact selection
// (deletions: execCommand('delete'), which ProseMirror reads back from the DOM).
import { BRIDGE_REQUEST, BRIDGE_RESPONSE, type BridgeRequest, type BridgeResponse } from '../shared/bridge-protocol';
import type { ActiveEditor } from './editors';
import type { EditorSurface } from './surfaces';
import { applyEdit, type TextEdit } from '../engine/fix';

export interface ApplyOutcome {
  ok: boolean;
  /** Japanese status for the card. */
  message: string;
}

const normalize = (s: string) => s.replace(/\u00a0/g, ' ');

/**
 * Makes `edit` through the editor's own input path (so its model, its undo stack and the page's framework see it),
 * then re-reads the editor to verify, and selects the placeholder if the edit has one.
 */
export async function applyEditInEditor(editor: ActiveEditor, surface: EditorSurface, edit: TextEdit): Promise<ApplyOutcome> {
  const before = surface.snapshot().text;
  if (edit.start < 0 || edit.end > before.length || edit.start > edit.end) {
    return { ok: false, message: '文章が変わったため反映できませんでした。もう一度お試しください。' };
  }
  // Where the agent was typing: the fix is made elsewhere, and the caret goes back there afterwards.
  const caret = surface.lastCaret();
  const typing = holdTyping(editor.el);
  try {
    const outcome = await makeEdit(editor, surface, edit, before, typing);
    let at = outcome.ok ? caretAfterFix(edit, caret) : caret;
    if (outcome.ok && at !== null) {
      surface.select(at, at);
      await settleSelection(editor);
    }
    // What was typed meanwhile, in order: anything typed while it is being put back is held too, and follows it.
    for (let text = typing.take(); text; text = typing.take()) {
      await typeHeld(editor, surface, text, at, typing);
      at = null;
    }
    return outcome;
  } finally {
    typing.stop();
  }
}

/**
 * Where the caret goes after the fix: back where the agent was typing (moved by the fix when that was after it), or
 * null to leave it where the fix put it, when the agent was in the fixed text or the fix selects a placeholder.
 */
function caretAfterFix(edit: TextEdit, caret: number | null): number | null {
  if (edit.select || caret === null || (caret >= edit.start && caret <= edit.end)) return null;
  return caret < edit.start ? caret : caret + edit.text.length - (edit.end - edit.start);
}

async function makeEdit(editor: ActiveEditor, surface: EditorSurface, edit: TextEdit, before: string, typing: HeldTyping): Promise<ApplyOutcome> {
  const expected = applyEdit(before, edit);
  for (const attempt of attemptsFor(editor, edit.text)) {
    surface.select(edit.start, edit.end);
    await settleSelection(editor);
    await typing.ours(() => attempt(editor, edit.text));
    // Helpdesks normalise a moment after a change: give the editor a frame before reading back.
    await nextFrame();
    const after = surface.snapshot().text;
    if (normalize(after) === normalize(expected)) {
      if (edit.select) {
        surface.select(edit.select.start, edit.select.end);
        await settleSelection(editor);
        return { ok: true, message: '反映しました。選択された「〇〇」を書き換えてください。' };
      }
      return { ok: true, message: '反映しました。' };
    }
    if (after !== before) return { ok: false, message: '反映できませんでした（エディターが別の形に変更しました）。Ctrl+Z で元に戻せます。' };
  }
  return { ok: false, message: '反映できませんでした。エディターが変更を受け付けませんでした。' };
}

interface HeldTyping {
  /** Runs our own edit: the input it makes is not held. */
  ours(edit: () => Promise<void>): Promise<void>;
  stop(): void;
  /** What the agent typed since the last take(), emptied. */
  take(): string;
}

/**
 * While a fix is being made (the editor is given the fix's range as its selection, then the text, then a frame),
 * the agent's own keystrokes would land in that range or beside the fix. They are held instead: typed text is kept
 * and typed afterwards where the agent's caret is; other edits (a Backspace, an Enter) in those few milliseconds
 * are not made, so nothing lands where the agent did not put it.
 */
function holdTyping(el: HTMLElement): HeldTyping {
  const doc = el.ownerDocument;
  let text = '';
  let own = false;
  const inEditor = (e: Event) => e.target instanceof Node && el.contains(e.target);
  const onBeforeInput = (e: Event) => {
    const input = e as InputEvent;
    if (own || !input.isTrusted || !input.cancelable || !inEditor(e)) return;
    if ((input.inputType === 'insertText' || input.inputType === 'insertReplacementText') && input.data) text += input.data;
    input.preventDefault();
    input.stopImmediatePropagation();
  };
  // Editors that act on keydown (ProseMirror's Enter and Backspace) never see the input event.
  const onKeyDown = (e: KeyboardEvent) => {
    if (own || !e.isTrusted || !inEditor(e) || e.isComposing) return;
    if (e.key === 'Enter' || e.key === 'Backspace' || e.key === 'Delete') {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  };
  doc.addEventListener('beforeinput', onBeforeInput, true);
  doc.addEventListener('keydown', onKeyDown, true);
  return {
    async ours(edit) {
      // Our edits dispatch their events synchronously (execCommand, a paste event, the CKEditor bridge).
      own = true;
      let done: Promise<void>;
      try {
        done = edit();
      } finally {
        own = false;
      }
      await done;
    },
    stop() {
      doc.removeEventListener('beforeinput', onBeforeInput, true);
      doc.removeEventListener('keydown', onKeyDown, true);
    },
    take() {
      const taken = text;
      text = '';
      return taken;
    },
  };
}

/** Types what was held back during a fix at `at` (else the caret): an insertion made like any fix. */
async function typeHeld(editor: ActiveEditor, surface: EditorSurface, text: string, at: number | null, typing: HeldTyping): Promise<void> {
  const before = surface.snapshot().text;
  const caret = at ?? surface.lastCaret() ?? before.length;
  await makeEdit(editor, surface, { start: caret, end: caret, text }, before, typing);
}

type Attempt = (editor: ActiveEditor, text: string) => Promise<void>;

function attemptsFor(editor: ActiveEditor, replacement: string): Attempt[] {
  switch (editor.kind) {
    case 'textarea':
    case 'contenteditable':
      return [execCommandAttempt];
    case 'ckeditor5':
      return replacement ? [bridgeAttempt, pasteAttempt] : [bridgeAttempt];
    case 'prosemirror':
      return replacement ? [pasteAttempt, execCommandAttempt] : [execCommandAttempt];
  }
}

/** Editors copy the DOM selection into their model on `selectionchange`, which fires asynchronously. */
function settleSelection(editor: ActiveEditor): Promise<void> {
  if (editor.kind === 'textarea') return Promise.resolve();
  const doc = editor.el.ownerDocument;
  return new Promise((resolve) => {
    const done = () => {
      doc.removeEventListener('selectionchange', done);
      clearTimeout(timer);
      // Let the editor's own selectionchange listener run first.
      setTimeout(resolve, 0);
    };
    const timer = setTimeout(done, 60);
    doc.addEventListener('selectionchange', done);
  });
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

const execCommandAttempt: Attempt = async (editor, text) => {
  const doc = editor.el.ownerDocument;
  // execCommand is deprecated but it is the only way to edit "as the user" so that frameworks see input events
  // and the browser's undo stack records the change.
  if (text) doc.execCommand('insertText', false, text);
  else doc.execCommand('delete', false);
};

const pasteAttempt: Attempt = async (editor, text) => {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  editor.el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
};

let bridgeSeq = 0;
const bridgeAttempt: Attempt = (editor, text) => {
  const doc = editor.el.ownerDocument;
  const request: BridgeRequest = { id: ++bridgeSeq, op: 'ckeditor-replace', text };
  return new Promise<void>((resolve) => {
    const onResponse = (event: Event) => {
      const response = JSON.parse(String((event as CustomEvent).detail)) as BridgeResponse;
      if (response.id !== request.id) return;
      finish();
    };
    const finish = () => {
      doc.removeEventListener(BRIDGE_RESPONSE, onResponse);
      clearTimeout(timer);
      resolve();
    };
    // No bridge on the page (e.g. injected too late): the caller sees no change and tries the next way.
    const timer = setTimeout(finish, 150);
    doc.addEventListener(BRIDGE_RESPONSE, onResponse);
    doc.dispatchEvent(new CustomEvent(BRIDGE_REQUEST, { detail: JSON.stringify(request) }));
  });
};
