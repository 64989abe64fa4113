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

describe('the card', () => {
  it('shows rule text as text, never as markup', () => {
    const card = renderCard(document, finding, { apply() {}, ignore() {}, close() {} });
    expect(card.querySelector('img')).toBeNull();
    expect(card.querySelector('b')).toBeNull();
    expect(card.querySelector('.kizuki-message')!.textContent).toBe(finding.message);
    expect(card.querySelector('.kizuki-why')!.textContent).toBe(finding.description);
  });

  it('offers each suggestion and ignore as buttons that report what was chosen', () => {
    const chosen: string[] = [];
    const card = renderCard(document, finding, {
      apply: (i) => chosen.push(`apply ${i}`),
      ignore: () => chosen.push('ignore'),
      close: () => chosen.push('close'),
    });
    expect(card.getAttribute('role')).toBe('dialog');
    const buttons = [...card.querySelectorAll<HTMLButtonElement>('button[data-suggestion-index]')];
    expect(buttons.map((b) => b.textContent)).toEqual(['削除する', '恐れ入りますが']);
    buttons[1]!.click();
    card.querySelector<HTMLButtonElement>('button[data-action="ignore"]')!.click();
    card.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(chosen).toEqual(['apply 1', 'ignore', 'close']);
    expect(card.querySelector('[data-role="apply-status"]')!.textContent).toBe('');
  });

  it('offers no replacement for a finding about the reply as a whole', () => {
    const card = renderCard(document, { ...finding, scope: 'reply', start: undefined, end: undefined, text: undefined }, { apply() {}, ignore() {}, close() {} });
    expect(card.querySelectorAll('button[data-suggestion-index]')).toHaveLength(0);
    expect(card.querySelector('button[data-action="ignore"]')).not.toBeNull();
  });
});
