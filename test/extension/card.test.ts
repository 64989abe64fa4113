// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/content/card';
import type { Finding } from '../../src/engine/types';

const finding: Finding = {
  rule: 'conjunction-demo',
  pack: 'builtin',
  category: 'forbidden-phrase',
  severity: 'error',
  scope: 'span',
  start: 0,
  end: 2,
  text: 'でも',
  message: '「でも」は<img src=x onerror="alert(1)">反論に聞こえます。',
  description: '<b>理由</b>: 言い訳に聞こえます。',
  suggestions: [{ text: '', label: '削除する' }, { text: '恐れ入りますが' }],
};

const warning: Finding = {
  ...finding,
  rule: 'dekimasen',
  category: 'negative-expression',
  severity: 'warning',
  message: '「できません」は突き放した印象を与えます。',
  description: undefined,
  suggestions: [{ text: 'できかねます' }],
};

const noHandlers = { apply() {}, ignore() {}, close() {} };

describe('the card', () => {
  it('shows rule text as text, never as markup', () => {
    const card = renderCard(document, [finding], noHandlers);
    expect(card.querySelector('img')).toBeNull();
    expect(card.querySelector('b')).toBeNull();
    expect(card.querySelector('.kizuki-message')!.textContent).toBe(finding.message);
    expect(card.querySelector('.kizuki-why')!.textContent).toBe(finding.description);
  });

  it('lists every finding on the span, each with its own suggestions and ignore', () => {
    const card = renderCard(document, [finding, warning], noHandlers);
    const sections = [...card.querySelectorAll<HTMLElement>('.kizuki-finding')];
    expect(sections.map((s) => s.dataset.rule)).toEqual(['conjunction-demo', 'dekimasen']);
    expect(sections.map((s) => [...s.querySelectorAll('button')].map((b) => b.textContent))).toEqual([
      ['削除する', '恐れ入りますが', '無視する'],
      ['できかねます', '無視する'],
    ]);
    expect(card.getAttribute('role')).toBe('dialog');
    expect(card.querySelector('[data-role="apply-status"]')!.textContent).toBe('');
  });

  it('acts on the agent\'s own clicks only: a click dispatched by page script does nothing', () => {
    const chosen: string[] = [];
    const card = renderCard(document, [finding, warning], {
      apply: (f, i) => chosen.push(`apply ${f.rule} ${i}`),
      ignore: (f) => chosen.push(`ignore ${f.rule}`),
      close: () => chosen.push('close'),
    });
    // jsdom's click() is untrusted, like a page script's; real clicks are covered by the real-browser tests.
    for (const b of card.querySelectorAll<HTMLButtonElement>('button')) b.click();
    card.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(chosen).toEqual(['close']);
  });

  it('offers no replacement for a finding about the reply as a whole', () => {
    const card = renderCard(document, [{ ...finding, scope: 'reply', start: undefined, end: undefined, text: undefined }], noHandlers);
    expect(card.querySelectorAll('button[data-suggestion-index]')).toHaveLength(0);
    expect(card.querySelector('button[data-action="ignore"]')).not.toBeNull();
  });
});
