// MAIN-world bridge: the only script that sees page objects such as CKEditor 5's `ckeditorInstance`. It replaces
// the selected text through the editor's model, so the editor keeps its own state and Ctrl+Z undoes the change.
import { BRIDGE_REQUEST, BRIDGE_RESPONSE, type BridgeRequest, type BridgeResponse } from '../shared/bridge-protocol';

/* eslint-disable @typescript-eslint/no-explicit-any -- CKEditor's API is untyped from here. */
type CkEditor = any;

const w = window as unknown as { __kizukiBridge?: boolean };
if (!w.__kizukiBridge) {
  w.__kizukiBridge = true;
  document.addEventListener(BRIDGE_REQUEST, (event) => {
    let request: BridgeRequest;
    try {
      request = JSON.parse(String((event as CustomEvent).detail)) as BridgeRequest;
    } catch {
      return;
    }
    let response: BridgeResponse;
    try {
      response = { id: request.id, ...ckeditorReplace(request.text) };
    } catch (e) {
      response = { id: request.id, ok: false, error: (e as Error).message };
    }
    document.dispatchEvent(new CustomEvent(BRIDGE_RESPONSE, { detail: JSON.stringify(response) }));
  });
}

function ckeditorReplace(text: string): { ok: boolean; error?: string } {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0) return { ok: false, error: 'no selection' };
  const domRange = selection.getRangeAt(0);
  const anchor = domRange.startContainer;
  const editable = (anchor.nodeType === 1 ? (anchor as Element) : anchor.parentElement)?.closest('.ck-editor__editable');
  const editor: CkEditor = (editable as any)?.ckeditorInstance;
  if (!editor) return { ok: false, error: 'no CKEditor instance' };
  const { domConverter } = editor.editing.view;
  const mapper = editor.editing.mapper;
  const toModel = (node: Node, offset: number) => {
    const viewPosition = domConverter.domPositionToView(node, offset);
    return viewPosition ? mapper.toModelPosition(viewPosition) : null;
  };
  const start = toModel(domRange.startContainer, domRange.startOffset);
  const end = toModel(domRange.endContainer, domRange.endOffset);
  if (!start || !end) return { ok: false, error: 'selection outside the model' };
  editor.model.change((writer: any) => {
    const range = writer.createRange(start, end);
    const styled = range.start.textNode ?? range.start.nodeAfter;
    const attributes = styled && typeof styled.getAttributes === 'function' ? [...styled.getAttributes()] : [];
    const selection = writer.createSelection(range);
    editor.model.deleteContent(selection);
    // A "\n" is a new paragraph, as the text model reads one: split the block there rather than insert the character.
    let position = selection.getFirstPosition();
    text.split('\n').forEach((line: string, index: number) => {
      if (index > 0) {
        writer.split(position);
        position = writer.createPositionAt(position.parent.nextSibling, 0);
      }
      if (line) {
        writer.insertText(line, attributes, position);
        position = position.getShiftedBy(line.length);
      }
    });
    writer.setSelection(position);
  });
  return { ok: true };
}
