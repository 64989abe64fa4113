// The card that opens on an underline: for each finding on that span its message, why, suggestions and ignore; and a
// status line. Lives in the closed shadow root of <kizuki-ui> appended to <html>, never inside the editor. Built with
// textContent only, so rule text can never inject markup. Buttons act on trusted (the agent's own) clicks only.
import type { Finding, Suggestion } from '../engine/types';
import { THEME_CSS } from './theme';

export interface CardHandlers {
  apply(finding: Finding, index: number): void;
  ignore(finding: Finding): void;
  close(): void;
  /** Dismiss for good: the rule, or the flagged phrase (personal dictionary). Absent: not offered (locked rules). */
  dismiss?(finding: Finding, what: 'rule' | 'phrase'): void;
  canDismiss?(finding: Finding): boolean;
}

const SEVERITY_LABEL: Record<Finding['severity'], string> = { error: '要修正', warning: '注意', info: '参考' };

export function suggestionLabel(s: Suggestion): string {
  if (s.label) return s.text && s.label !== s.text ? `${s.label}（${s.text}）` : s.label;
  return s.text === '' ? '削除する' : s.text;
}

/**
 * One card for every finding on the span under the pointer or caret, most severe first (the caller sorts), each with
 * its own suggestions and ignore button.
 */
export function renderCard(doc: Document, findings: readonly Finding[], handlers: CardHandlers): HTMLElement {
  const el = (tag: string, cls?: string, text?: string) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const card = el('div', 'kizuki-card');
  card.setAttribute('role', 'dialog');
  card.setAttribute('aria-label', 'kizuki の指摘');
  card.dataset.severity = findings[0]?.severity ?? 'info';
  card.dataset.rule = findings[0]?.rule ?? '';

  for (const finding of findings) {
    const section = el('section', 'kizuki-finding');
    section.dataset.severity = finding.severity;
    section.dataset.rule = finding.rule;
    const head = el('div', 'kizuki-head');
    head.append(el('span', 'kizuki-severity', SEVERITY_LABEL[finding.severity]));
    if (finding.text) head.append(el('span', 'kizuki-match', `「${finding.text}」`));
    section.append(head, el('p', 'kizuki-message', finding.message));
    if (finding.description) {
      // The most severe finding explains itself in full; the others keep the card short behind a disclosure.
      if (finding === findings[0]) section.append(el('p', 'kizuki-why', finding.description));
      else {
        const more = el('details', 'kizuki-more');
        more.append(el('summary', undefined, '理由'), el('p', 'kizuki-why', finding.description));
        section.append(more);
      }
    }

    const actions = el('div', 'kizuki-actions');
    if (finding.scope === 'span') {
      finding.suggestions.forEach((s, i) => {
        const b = el('button', 'kizuki-suggestion', suggestionLabel(s)) as HTMLButtonElement;
        b.type = 'button';
        b.dataset.suggestionIndex = String(i);
        b.addEventListener('click', (e) => {
          // Only the agent's own click: page script can dispatch clicks into an open shadow root.
          if (e.isTrusted) handlers.apply(finding, i);
        });
        actions.append(b);
      });
    }
    const ignore = el('button', 'kizuki-ignore', '無視する') as HTMLButtonElement;
    ignore.type = 'button';
    ignore.dataset.action = 'ignore';
    ignore.title = 'この下書きではこの指摘を表示しません';
    ignore.addEventListener('click', (e) => {
      if (e.isTrusted) handlers.ignore(finding);
    });
    actions.append(ignore);
    section.append(actions);
    if (handlers.dismiss && handlers.canDismiss?.(finding)) {
      // Quieter than the actions above: for good, and undone from the panel or the options page.
      const forGood = el('div', 'kizuki-forgood');
      const rule = el('button', 'kizuki-dismiss', 'このルールを今後表示しない') as HTMLButtonElement;
      rule.type = 'button';
      rule.dataset.action = 'dismiss-rule';
      rule.title = 'あなたの画面ではこのルールを表示しません（パネルで元に戻せます）';
      rule.addEventListener('click', (e) => e.isTrusted && handlers.dismiss!(finding, 'rule'));
      forGood.append(rule);
      if (finding.scope === 'span' && finding.text) {
        const phrase = el('button', 'kizuki-dismiss', `「${finding.text}」を今後指摘しない`) as HTMLButtonElement;
        phrase.type = 'button';
        phrase.dataset.action = 'dismiss-phrase';
        phrase.title = '個人辞書に登録します（製品名など）。パネルで元に戻せます';
        phrase.addEventListener('click', (e) => e.isTrusted && handlers.dismiss!(finding, 'phrase'));
        forGood.append(phrase);
      }
      section.append(forGood);
    } else if (handlers.dismiss) {
      section.append(el('p', 'kizuki-locked', '管理者が固定したルールです（非表示にできません）'));
    }
    card.append(section);
  }

  const status = el('p', 'kizuki-status');
  status.dataset.role = 'apply-status';
  status.setAttribute('aria-live', 'polite');
  card.append(status);

  card.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      handlers.close();
    }
  });
  return card;
}

export const CARD_CSS = THEME_CSS + `
:host { all: initial; }
.kizuki-card {
  position: fixed; z-index: 2147483647; max-width: 340px; min-width: 220px; box-sizing: border-box; overflow-y: auto;
  padding: 10px 12px; border-radius: 8px; background: var(--k-bg); color: var(--k-fg);
  border: 1px solid var(--k-line); border-left: 4px solid var(--sev); box-shadow: 0 6px 24px rgba(0,0,0,.18);
  font: 13px/1.55 system-ui, "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic UI", sans-serif;
}
.kizuki-card[data-severity="error"], .kizuki-finding[data-severity="error"] { --sev: var(--k-error); }
.kizuki-card[data-severity="warning"], .kizuki-finding[data-severity="warning"] { --sev: var(--k-warning); }
.kizuki-card[data-severity="info"], .kizuki-finding[data-severity="info"] { --sev: var(--k-info); }
.kizuki-finding + .kizuki-finding { margin-top: 8px; padding-top: 8px; border-top: 1px solid var(--k-line); }
.kizuki-head { display: flex; gap: 6px; align-items: baseline; margin-bottom: 4px; }
.kizuki-severity { font-size: 11px; font-weight: 600; color: var(--sev); }
.kizuki-match { font-weight: 600; }
.kizuki-message { margin: 0 0 4px; }
.kizuki-why { margin: 0 0 6px; color: var(--k-muted); font-size: 12px; }
.kizuki-more summary { cursor: pointer; color: var(--k-muted); font-size: 12px; }
.kizuki-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
button { font: inherit; cursor: pointer; border-radius: 6px; padding: 3px 10px; }
.kizuki-suggestion { border: 1px solid var(--k-accent); background: var(--k-accent); color: #fff; }
.kizuki-suggestion:hover, .kizuki-suggestion:focus-visible { background: var(--k-accent-hover); }
.kizuki-ignore { border: 1px solid var(--k-line); background: var(--k-subtle); color: var(--k-fg); }
.kizuki-forgood { display: flex; flex-wrap: wrap; gap: 2px 10px; margin-top: 4px; }
.kizuki-dismiss { border: none; background: none; padding: 0; color: var(--k-muted); font-size: 11px; text-decoration: underline; }
.kizuki-locked { margin: 4px 0 0; color: var(--k-muted); font-size: 11px; }
button:focus-visible { outline: 2px solid var(--k-focus); outline-offset: 1px; }
.kizuki-status { margin: 6px 0 0; font-size: 12px; color: var(--k-bad); }
.kizuki-status:empty { display: none; }
.kizuki-status[data-ok="true"] { color: var(--k-ok); }
`;
