// Site adapters as data: where the reply box is, whether it is an internal note, and where the customer's latest
// message is. Selectors are ordered fallbacks (helpdesk markup changes often); code elsewhere only reads this table.

export interface Adapter {
  id: 'zendesk' | 'intercom' | 'generic';
  /** Hostname patterns where this adapter is on by default ("*." = any subdomain). Empty = only where enabled. */
  hosts: string[];
  /** Reply box candidates, best first. The first selector that finds a visible element wins. */
  editable: string[];
  /** The customer's messages in the conversation; the last one in document order is the latest. */
  customerMessage: string[];
  /** The editable is an internal note (not read by the customer) when any of these says so. */
  note: NoteRule[];
  /** The editor library, which decides how a suggestion is applied. */
  editor: 'ckeditor5' | 'prosemirror' | 'auto';
  /** How a public reply is sent from this box, for the check before sending (send-guard.ts). */
  send: SendControls;
}

export interface SendControls {
  /** The send button: the first selector with a match in the composer (the closest ancestor of the box holding one). */
  buttons: string[];
  /** Fallback: a button in the composer whose whole label is one of these. */
  labels: string[];
  /** Keyboard shortcuts that send. `mod` is Ctrl, or Cmd on macOS. */
  keys: { key: string; mod?: boolean; ctrl?: boolean; alt?: boolean; shift?: boolean }[];
  /** A form submit of the form holding the box sends (generic pages). */
  form: boolean;
}

export type NoteRule =
  /** An ancestor of the editable matches the selector. */
  | { kind: 'ancestor'; selector: string }
  /** An element anywhere in the page matching the selector contains one of the texts. */
  | { kind: 'text'; selector: string; texts: string[] };

export const zendesk: Adapter = {
  id: 'zendesk',
  hosts: ['*.zendesk.com'],
  editable: [
    '[contenteditable="true"][data-test-id="omnicomposer-rich-text-ckeditor"]',
    '.ck-editor__editable[contenteditable="true"]',
    '.zendesk-editor--rich-text-comment[contenteditable="true"]',
  ],
  customerMessage: [
    '[data-test-id="omni-log-item-message"][type="end-user"] [data-test-id="omni-log-message-content"]',
  ],
  note: [{ kind: 'text', selector: '[data-test-id="omnichannel-channel-switcher-button"]', texts: ['社内メモ', 'Internal note'] }],
  editor: 'ckeditor5',
  send: {
    buttons: ['[data-test-id="submit_button-button"]', 'button[data-test-id="submit_button"]'],
    labels: ['送信', 'Submit', '送信する'],
    // Zendesk's "submit the ticket update" shortcut.
    keys: [{ key: 's', ctrl: true, alt: true }],
    form: false,
  },
};

export const intercom: Adapter = {
  id: 'intercom',
  hosts: ['app.intercom.com', '*.intercom.com'],
  editable: [
    '[data-conversation-reply-composer] .ProseMirror[contenteditable="true"]',
    '.embercom-prosemirror-composer-editor[contenteditable="true"]',
    '.embercom-prosemirror-composer-editor .ProseMirror[contenteditable="true"]',
    '.ProseMirror[contenteditable="true"]',
  ],
  customerMessage: ['[data-conversation-part][data-author-type="user"] .intercom-interblocks'],
  note: [{ kind: 'ancestor', selector: '.o__note' }],
  editor: 'prosemirror',
  send: {
    buttons: ['[data-intercom-target="composer-send-button"]', '[data-test-id="composer-send-button"]'],
    labels: ['送信', 'Send'],
    keys: [{ key: 'Enter', mod: true }],
    form: false,
  },
};

/** Any textarea or contenteditable on a site the agent enabled. */
export const generic: Adapter = {
  id: 'generic',
  hosts: [],
  editable: ['textarea', '[contenteditable="true"]', '[contenteditable=""]', '[contenteditable="plaintext-only"]'],
  // Demo and test pages mark the customer's message with this attribute; real sites have no common markup.
  customerMessage: ['[data-kizuki-customer]'],
  note: [],
  editor: 'auto',
  send: { buttons: [], labels: [], keys: [], form: true },
};

/** Adapters in the order they are tried. */
export const adapters: readonly Adapter[] = [zendesk, intercom, generic];

export function hostMatches(pattern: string, hostname: string): boolean {
  if (pattern.startsWith('*.')) {
    const base = pattern.slice(2);
    return hostname === base || hostname.endsWith('.' + base);
  }
  return hostname === pattern;
}

/** Match patterns for the manifest (content_scripts.matches / host_permissions) derived from the adapters. */
export function manifestMatches(): string[] {
  return adapters.flatMap((a) => a.hosts.map((h) => `https://${h}/*`));
}
