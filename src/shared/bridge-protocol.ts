// The isolated content script and the MAIN-world bridge talk through CustomEvents on `document` whose detail is a
// JSON string (objects do not cross worlds reliably; strings do). No DOM node or attribute is touched.
export const BRIDGE_REQUEST = 'kizuki:bridge-request';
export const BRIDGE_RESPONSE = 'kizuki:bridge-response';

export interface BridgeRequest {
  id: number;
  /** Replace the document's current DOM selection (inside a CKEditor 5 editable) with `text` through the model. */
  op: 'ckeditor-replace';
  text: string;
}

export interface BridgeResponse {
  id: number;
  ok: boolean;
  error?: string;
}
