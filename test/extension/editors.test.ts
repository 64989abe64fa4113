// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { findActiveEditor, isInternalNote, customerMessage } from '../../src/content/editors';
import { zendesk, intercom } from '../../src/content/adapters';

// jsdom has no layout: the tests say which elements are visible.
const visibleUnlessHidden = (el: HTMLElement) => !el.closest('[data-hidden]');

const zendeskTicket = (id: string, customer: string, channel: string, hidden = false) => `
  <section data-ticket="${id}" ${hidden ? 'data-hidden' : ''}>
    <div data-test-id="omni-log-item-message" type="end-user"><div data-test-id="omni-log-message-content">最初のご連絡 ${id}</div></div>
    <div data-test-id="omni-log-item-message" type="agent"><div data-test-id="omni-log-message-content">担当者の返信 ${id}</div></div>
    <div data-test-id="omni-log-item-message" type="end-user"><div data-test-id="omni-log-message-content">${customer}</div></div>
    <button data-test-id="omnichannel-channel-switcher-button">${channel}</button>
    <div data-test-id="editor-view"><div contenteditable="true" data-test-id="omnicomposer-rich-text-ckeditor" class="ck-editor__editable" id="ed-${id}"></div></div>
  </section>`;

describe('choosing the reply box', () => {
  it('among several mounted Zendesk composers, takes the visible one', () => {
    document.body.innerHTML = zendeskTicket('1', '商品が届きません', '公開返信', true) + zendeskTicket('2', '返金してください', '公開返信');
    const found = findActiveEditor(document, { isVisible: visibleUnlessHidden });
    expect(found?.el.id).toBe('ed-2');
    expect(found?.adapter.id).toBe('zendesk');
    expect(found?.kind).toBe('ckeditor5');
  });

  it('prefers the focused composer, then the one focused last, when several are visible', () => {
    document.body.innerHTML = zendeskTicket('1', 'a', '公開返信') + zendeskTicket('2', 'b', '公開返信');
    const second = document.getElementById('ed-2')!;
    expect(findActiveEditor(document, { isVisible: () => true })?.el.id).toBe('ed-1');
    expect(findActiveEditor(document, { isVisible: () => true, lastFocused: second })?.el.id).toBe('ed-2');
    second.focus();
    expect(findActiveEditor(document, { isVisible: () => true })?.el.id).toBe('ed-2');
  });

  it('reads the latest customer message and the internal-note switch of the composer own ticket', () => {
    document.body.innerHTML = zendeskTicket('1', '商品が届きません', '社内メモ') + zendeskTicket('2', '返金してください', 'Public reply');
    const first = document.getElementById('ed-1')!;
    const second = document.getElementById('ed-2')!;
    expect(customerMessage(first, zendesk)).toBe('商品が届きません');
    expect(customerMessage(second, zendesk)).toBe('返金してください');
    expect(isInternalNote(first, zendesk)).toBe(true);
    expect(isInternalNote(second, zendesk)).toBe(false);
  });

  it('finds an Intercom ProseMirror composer and tells a note pane from the reply pane', () => {
    document.body.innerHTML = `
      <div data-conversation-part data-author-type="user"><div class="intercom-interblocks">ログインできません</div></div>
      <div class="o__note"><div data-conversation-reply-composer><div class="ProseMirror" contenteditable="true" id="note"></div></div></div>
      <div data-conversation-reply-composer><div class="ProseMirror" contenteditable="true" id="reply"></div></div>`;
    const reply = document.getElementById('reply')!;
    const found = findActiveEditor(document, { isVisible: () => true, lastFocused: reply });
    expect(found?.adapter.id).toBe('intercom');
    expect(found?.kind).toBe('prosemirror');
    expect(found?.el.id).toBe('reply');
    expect(isInternalNote(reply, intercom)).toBe(false);
    expect(isInternalNote(document.getElementById('note')!, intercom)).toBe(true);
    expect(customerMessage(reply, intercom)).toBe('ログインできません');
  });

  it('on other pages, coaches only the focused textarea or contenteditable (generic adapter)', () => {
    document.body.innerHTML = `<textarea id="a"></textarea><div contenteditable="true" id="b"><p>x</p></div><p data-kizuki-customer>届きません</p>`;
    expect(findActiveEditor(document, { isVisible: () => true })).toBeNull();
    document.getElementById('a')!.focus();
    expect(findActiveEditor(document, { isVisible: () => true })).toMatchObject({ kind: 'textarea', adapter: { id: 'generic' } });
    // Focus inside nested markup of a contenteditable resolves to its editing host.
    const inner = document.querySelector('#b p') as HTMLElement;
    inner.tabIndex = -1;
    inner.focus();
    const found = findActiveEditor(document, { isVisible: () => true });
    expect(found?.el.id).toBe('b');
    expect(found?.kind).toBe('contenteditable');
    expect(customerMessage(found!.el, found!.adapter)).toBe('届きません');
  });
});
