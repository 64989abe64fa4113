// suggestionEdit / applySuggestion: the one place a suggestion becomes text (src/engine/fix.ts).
import { describe, expect, it } from 'vitest';
import { applyEdit, applySuggestion, suggestionEdit, type Finding, type Suggestion } from '../../src/engine/index';

const span = (draft: string, text: string, nth = 0): Finding => {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = draft.indexOf(text, start + 1);
  if (start < 0) throw new Error(`${text} not in ${draft}`);
  return { rule: 'r', pack: 'p', category: 'c', severity: 'info', scope: 'span', start, end: start + text.length, text, message: 'm', suggestions: [] };
};
const reply: Finding = { rule: 'r', pack: 'p', category: 'c', severity: 'info', scope: 'reply', message: 'm', suggestions: [] };
const apply = (draft: string, f: Finding, s: Suggestion) => applySuggestion(draft, f, s)?.text;

const alternative: Suggestion = { text: '代替案として、〇〇の方法はいかがでしょうか。', insert: 'after-sentence' };

describe('span replacements', () => {
  it('replace exactly [start, end)', () => {
    const draft = 'でも、それは仕様です。';
    expect(suggestionEdit(draft, span(draft, 'でも、'), { text: '' })).toEqual({ start: 0, end: 3, text: '' });
    expect(apply(draft, span(draft, 'でも、'), { text: '恐れ入りますが、' })).toBe('恐れ入りますが、それは仕様です。');
  });

  it('do not double the punctuation after the span', () => {
    const draft = '返品はできません。';
    expect(apply(draft, span(draft, 'できません'), { text: 'いたしかねます。' })).toBe('返品はいたしかねます。');
    expect(apply('はい、でも、', span('はい、でも、', 'でも'), { text: 'ですが、' })).toBe('はい、ですが、');
  });

  it('refuse a finding whose text no longer matches the draft', () => {
    const f = span('返品はできません。', 'できません');
    expect(suggestionEdit('返品はできます。', f, { text: 'x' })).toBeNull();
    expect(applySuggestion('返品は', f, { text: 'x' })).toBeNull();
  });
});

describe('after-sentence insertions (issue 8: the refusal is kept)', () => {
  it('append after the sentence and select the placeholder', () => {
    const draft = '返品はできません。';
    const edit = suggestionEdit(draft, span(draft, 'できません'), alternative)!;
    expect(edit).toMatchObject({ start: 9, end: 9, text: '代替案として、〇〇の方法はいかがでしょうか。' });
    const result = applySuggestion(draft, span(draft, 'できません'), alternative)!;
    expect(result.text).toBe('返品はできません。代替案として、〇〇の方法はいかがでしょうか。');
    expect(result.text.slice(result.select!.start, result.select!.end)).toBe('〇〇');
  });

  it('go after the sentence holding the span, not after the span, and keep the next sentence', () => {
    const draft = '返品はいたしかねますが、ご了承ください。交換は承ります。';
    expect(apply(draft, span(draft, 'いたしかねます'), alternative)).toBe(
      '返品はいたしかねますが、ご了承ください。代替案として、〇〇の方法はいかがでしょうか。交換は承ります。',
    );
  });

  it('close an unpunctuated line with 。 and keep the line break', () => {
    const draft = '返品はできません\nよろしくお願いいたします。';
    expect(apply(draft, span(draft, 'できません'), alternative)).toBe(
      '返品はできません。代替案として、〇〇の方法はいかがでしょうか。\nよろしくお願いいたします。',
    );
    expect(apply('返品はできません  ', span('返品はできません  ', 'できません'), alternative)).toBe(
      '返品はできません。代替案として、〇〇の方法はいかがでしょうか。  ',
    );
  });

  it('go after a closing bracket that follows the 。', () => {
    const draft = '（返品はできません。）次に、';
    expect(apply(draft, span(draft, 'できません'), { text: '交換は承ります。', insert: 'after-sentence' })).toBe('（返品はできません。）交換は承ります。次に、');
  });

  it('accept ○○ (white circles) as a placeholder too, and a custom marker', () => {
    const draft = '返品はできません。';
    const s = { text: '○○はいかがでしょうか。', insert: 'after-sentence' } as const;
    expect(applySuggestion(draft, span(draft, 'できません'), s)!.select).toEqual({ start: 9, end: 11 });
    expect(applySuggestion(draft, span(draft, 'できません'), { ...s, text: '［ ］はいかがでしょうか。' })!.select).toBeUndefined();
    expect(suggestionEdit(draft, span(draft, 'できません'), { ...s, text: '［ ］はいかがでしょうか。' }, { placeholders: ['［ ］'] })!.select).toEqual({ start: 9, end: 12 });
  });

  it('cannot apply to a finding without a span', () => {
    expect(suggestionEdit('確認いたします。', reply, alternative)).toBeNull();
  });
});

const email = ['山田様', '', 'お問い合わせいただきありがとうございます。', 'カスタマーサポートの佐藤です。', '', '配送状況を確認しております。', '', 'よろしくお願いいたします。', '', 'カスタマーサポート', '佐藤'].join('\n');

describe('reply-level insertions', () => {
  it('after-greeting: after the addressee and greeting lines, as a line of its own', () => {
    const s: Suggestion = { text: 'ご不便をおかけしており、申し訳ございません。', insert: 'after-greeting' };
    expect(apply(email, reply, s)).toBe(email.replace('配送状況', 'ご不便をおかけしており、申し訳ございません。\n配送状況'));
    expect(apply('確認いたします。', reply, s)).toBe('ご不便をおかけしており、申し訳ございません。確認いたします。');
    expect(apply('山田様、お問い合わせありがとうございます。確認いたします。', reply, s)).toBe(
      '山田様、お問い合わせありがとうございます。ご不便をおかけしており、申し訳ございません。確認いたします。',
    );
    expect(apply('お問い合わせありがとうございます。', reply, s)).toBe('お問い合わせありがとうございます。ご不便をおかけしており、申し訳ございません。');
    expect(apply('山田様、確認いたします。', reply, s)).toBe('山田様、ご不便をおかけしており、申し訳ございません。確認いたします。');
  });

  it('before-closing: before よろしくお願いいたします and the signature, with the text above it', () => {
    const s: Suggestion = { text: '確認のうえ、本日中に改めてご連絡いたします。', insert: 'before-closing' };
    expect(apply(email, reply, s)).toBe(email.replace('確認しております。', '確認しております。\n確認のうえ、本日中に改めてご連絡いたします。'));
    expect(apply('現在、調査しております。', reply, s)).toBe('現在、調査しております。確認のうえ、本日中に改めてご連絡いたします。');
    expect(apply('調査しております。よろしくお願いいたします。', reply, s)).toBe('調査しております。確認のうえ、本日中に改めてご連絡いたします。よろしくお願いいたします。');
    // No closing formula: the last lines are content, so the text goes at the end.
    expect(apply('調査しております。\n佐藤', reply, s)).toBe('調査しております。\n佐藤\n確認のうえ、本日中に改めてご連絡いたします。');
  });

  it('reply-start: the name as a line of its own; CRLF replies get CRLF', () => {
    const s: Suggestion = { text: '山田様', insert: 'reply-start' };
    expect(suggestionEdit('お問い合わせありがとうございます。', reply, s)).toEqual({ start: 0, end: 0, text: '山田様\n' });
    expect(apply('ご連絡ありがとうございます。\r\n確認いたします。', reply, s)).toBe('山田様\r\nご連絡ありがとうございます。\r\n確認いたします。');
    expect(apply('', reply, s)).toBe('山田様');
  });

  it('reply-end, and the default for a reply-level suggestion without insert', () => {
    expect(apply('確認いたします', reply, { text: '以上です。' })).toBe('確認いたします。以上です。');
    expect(apply('確認いたします。\n\n', reply, { text: '以上です。', insert: 'reply-end' })).toBe('確認いたします。以上です。\n\n');
  });

  it('applyEdit is a plain splice', () => {
    expect(applyEdit('abc', { start: 1, end: 2, text: 'XY' })).toBe('aXYc');
  });
});

describe('every suggestion of the built-in pack on the labelled corpus and the pack examples (properties)', () => {
  it('applies, changes only its edit, never doubles punctuation, keeps the flagged text when inserting, selects a placeholder', async () => {
    const { builtinEngine, builtinPack } = await import('../helpers');
    const { readCorpus } = await import('../../src/node/corpus');
    const engine = await builtinEngine();
    const inputs = [
      ...readCorpus().map((c) => ({ id: c.id, draft: c.draft, customer: c.customer })),
      ...(await builtinPack()).rules.flatMap((r) => r.examples.flag.map((e, i) => ({ id: `${r.id}#${i}`, ...e }))),
    ];
    const problems: string[] = [];
    let applied = 0;
    for (const { id, draft, customer } of inputs) {
      for (const finding of engine.analyze({ draft, customer }).findings) {
        for (const suggestion of finding.suggestions) {
          const where = `${id} ${finding.rule} 「${suggestion.text}」`;
          const edit = suggestionEdit(draft, finding, suggestion);
          if (!edit) {
            problems.push(`${where}: cannot apply`);
            continue;
          }
          applied++;
          const text = applyEdit(draft, edit);
          const after = edit.start + edit.text.length;
          if (text.slice(0, edit.start) !== draft.slice(0, edit.start) || text.slice(after) !== draft.slice(edit.end)) problems.push(`${where}: changed text outside the edit`);
          for (const doubled of ['。。', '、。', '。、']) {
            if (text.includes(doubled) && !draft.includes(doubled)) problems.push(`${where}: ${doubled} in 「${text}」`);
          }
          if (suggestion.insert) {
            // An insertion keeps the draft: at most a 、 before it becomes 。.
            if (edit.end - edit.start > 1) problems.push(`${where}: an insertion replaced 「${draft.slice(edit.start, edit.end)}」`);
            if (finding.text !== undefined && !text.includes(finding.text)) problems.push(`${where}: lost the flagged 「${finding.text}」`);
          }
          if (edit.select && !['〇〇', '○○'].includes(text.slice(edit.select.start, edit.select.end))) problems.push(`${where}: selects 「${text.slice(edit.select.start, edit.select.end)}」`);
          if (/[〇○]{2}/.test(edit.text) && !edit.select) problems.push(`${where}: a placeholder is not selected`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(applied).toBeGreaterThan(500);
  }, 60_000);
});
