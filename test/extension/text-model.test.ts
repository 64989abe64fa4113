// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { buildTextModel } from '../../src/content/text-model';

function editor(html: string): HTMLElement {
  document.body.innerHTML = `<div contenteditable="true" id="ed">${html}</div>`;
  return document.getElementById('ed')!;
}

/** Every span of the model maps to a DOM range whose text is exactly that span (blocks aside). */
function expectRangesMatch(root: HTMLElement) {
  const model = buildTextModel(root);
  for (let start = 0; start < model.text.length; start++) {
    for (let end = start + 1; end <= model.text.length; end++) {
      const expected = model.text.slice(start, end);
      if (expected.includes('\n')) continue; // a range across blocks has no "\n" in Range.toString()
      expect(model.range(start, end).toString(), `[${start}, ${end})`).toBe(expected);
    }
  }
}

describe('text model of a contenteditable', () => {
  it('joins paragraphs and list items with one newline each', () => {
    const model = buildTextModel(editor('<p>でも、</p><p>承知しました。</p><ul><li>一</li><li>二</li></ul><p>以上</p>'));
    expect(model.text).toBe('でも、\n承知しました。\n一\n二\n以上');
  });

  it('counts <br> as a newline but not the trailing filler break of an empty or finished line', () => {
    expect(buildTextModel(editor('<p>あ<br>い</p>')).text).toBe('あ\nい');
    expect(buildTextModel(editor('<p>あ</p><p><br data-cke-filler="true"></p><p>い</p>')).text).toBe('あ\n\nい');
    expect(buildTextModel(editor('<p>あ<br class="ProseMirror-trailingBreak"></p><p>い</p>')).text).toBe('あ\nい');
    expect(buildTextModel(editor('<div>あ<br><br></div><div>い</div>')).text).toBe('あ\n\nい');
  });

  it('reads the browser own plain contenteditable markup (text then divs)', () => {
    expect(buildTextModel(editor('一行目<div>二行目</div><div><br></div><div>四行目</div>')).text).toBe('一行目\n二行目\n\n四行目');
  });

  it('skips CKEditor 5 inline fillers and non-editable islands without shifting offsets', () => {
    const root = editor('<p>\u2060\u2060\u2060\u2060\u2060\u2060\u2060でも<span contenteditable="false">[添付]</span>、確認します。</p>');
    const model = buildTextModel(root);
    expect(model.text).toBe('でも、確認します。');
    expect(model.range(0, 2).toString()).toBe('でも');
    const first = root.querySelector('p')!.firstChild!;
    expect(model.toDom(0)).toEqual({ node: first, offset: 7 });
    expect(model.fromDom(first, 9)).toBe(2);
  });

  it('maps offsets to DOM and back across inline formatting, paragraphs and emoji (surrogate pairs)', () => {
    const root = editor('<p>ご注文😀の<b>商品</b>が</p><p>届い<i>て</i>いません</p>');
    const model = buildTextModel(root);
    expect(model.text).toBe('ご注文😀の商品が\n届いていません');
    for (let offset = 0; offset <= model.text.length; offset++) {
      if (model.text[offset - 1] === '\n') continue; // the start of a line is reached from the next piece
      const forward = model.toDom(offset, 'forward');
      expect(model.fromDom(forward.node, forward.offset), `offset ${offset}`).toBe(offset);
    }
    expect(model.range(3, 5).toString()).toBe('😀');
    expectRangesMatch(root);
  });

  it('maps element positions: between paragraphs to the next line, at a paragraph end to that line', () => {
    const root = editor('<p>あい</p><p>うえ</p>');
    const model = buildTextModel(root);
    expect(model.fromDom(root, 1)).toBe(3); // before the second <p>
    expect(model.fromDom(root.firstChild!, 1)).toBe(2); // end of the first <p>
    expect(model.fromDom(root, 2)).toBe(5); // after everything
  });

  it('puts a range end at the end of the earlier text node, not the start of the next', () => {
    const root = editor('<p>でも<b>、</b></p>');
    const r = buildTextModel(root).range(0, 2);
    expect(r.endContainer).toBe(root.querySelector('p')!.firstChild);
    expect(r.toString()).toBe('でも');
  });

  it('handles an empty editor', () => {
    const model = buildTextModel(editor(''));
    expect(model.text).toBe('');
    expect(model.toDom(0).node).toBe(model.root);
    expect(model.range(0, 0).collapsed).toBe(true);
  });
});
