// The card that opens on an underline: for each finding on that span its message, why, suggestions and ignore; and a
// status line. Lives in the closed shadow root of <kizuki-ui> appended to <html>, never inside the editor. Built with
// textContent only, so rule text can never inject markup. Buttons act on trusted (the agent's own) clicks only.
import type { Finding, Suggestion } from '../engine/types';

export interface CardHandlers {
  apply(finding: Finding, index: number): void;
  ignore(finding: Finding): void;
  close(): void;
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

export const CARD_CSS = `
:host { all: initial; }
.kizuki-card {
  position: fixed; z-index: 2147483647; max-width: 340px; min-width: 220px; box-sizing: border-box; overflow-y: auto;
  padding: 10px 12px; border-radius: 8px; background: #fff; color: #1f2937;
  border: 1px solid #d1d5db; border-left: 4px solid var(--sev); box-shadow: 0 6px 24px rgba(0,0,0,.18);
  font: 13px/1.55 system-ui, "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic UI", sans-serif;
}
.kizuki-card[data-severity="error"] { --sev: #d93025; }
.kizuki-card[data-severity="warning"] { --sev: #d97706; }
.kizuki-card[data-severity="info"] { --sev: #2563eb; }
.kizuki-finding + .kizuki-finding { margin-top: 8px; padding-top: 8px; border-top: 1px solid #e5e7eb; }
.kizuki-finding[data-severity="error"] { --sev: #d93025; }
.kizuki-finding[data-severity="warning"] { --sev: #d97706; }
.kizuki-finding[data-severity="info"] { --sev: #2563eb; }
.kizuki-head { display: flex; gap: 6px; align-items: baseline; margin-bottom: 4px; }
.kizuki-severity { font-size: 11px; font-weight: 600; color: var(--sev); }
.kizuki-match { font-weight: 600; }
.kizuki-message { margin: 0 0 4px; }
.kizuki-why { margin: 0 0 6px; color: #4b5563; font-size: 12px; }
.kizuki-more summary { cursor: pointer; color: #4b5563; font-size: 12px; }
.kizuki-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
button { font: inherit; cursor: pointer; border-radius: 6px; padding: 3px 10px; }
.kizuki-suggestion { border: 1px solid #0f766e; background: #0f766e; color: #fff; }
.kizuki-suggestion:hover, .kizuki-suggestion:focus-visible { background: #115e59; }
.kizuki-ignore { border: 1px solid #d1d5db; background: #f9fafb; color: #374151; }
button:focus-visible { outline: 2px solid #2563eb; outline-offset: 1px; }
.kizuki-status { margin: 6px 0 0; font-size: 12px; color: #b91c1c; }
.kizuki-status:empty { display: none; }
.kizuki-status[data-ok="true"] { color: #047857; }
`;
