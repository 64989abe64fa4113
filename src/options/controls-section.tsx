// The options page's section for the agent's controls, self-contained so the page itself only imports it: the check
// before sending (its mode and where it comes from), the hidden rules and personal dictionary with undo, and the page's
// dark colours (prefers-color-scheme) until the page's own stylesheet has them. Mounts itself after #app.
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { POLICY_VIEW_KEY, parsePolicyView } from '../shared/controls';
import { controlsText } from '../shared/controls-text';
import { DismissedList } from '../shared/dismissed-list';
import { useLocalValue } from '../shared/use-local-value';

const t = controlsText(browser.i18n.getUILanguage());

const DARK_CSS = `
@media (prefers-color-scheme: dark) {
  :root { color-scheme: dark; color: #e5e7eb; background: #171b22; --line: #374151; --muted: #9ca3af; --teal: #2dd4bf; }
  button { background: transparent; }
  textarea, input { background: #232934; color: #e5e7eb; border: 1px solid #374151; }
}
.kizuki-controls-section .kizuki-dismissed ul { list-style: none; padding: 0; margin: 0; }
.kizuki-controls-section .kizuki-dismissed li { padding: 3px 0; border-bottom: 1px solid var(--line); }
.kizuki-controls-section .kind, .kizuki-controls-section .sub { color: var(--muted); font-size: 12px; }
.kizuki-controls-section .add-word { display: flex; gap: 6px; margin-top: 6px; }
.kizuki-controls-section .add-word input { flex: 1; font: inherit; padding: 3px 6px; }
.kizuki-controls-section button.link { border: none; padding: 0; text-decoration: underline; background: none; }
`;

function ControlsSection() {
  const view = useLocalValue(POLICY_VIEW_KEY, parsePolicyView);
  const from = view?.sendCheckFrom ?? 'default';
  const source = from.startsWith('pack:') ? `${t.sendCheckFrom.pack} ${from.slice(5)}` : t.sendCheckFrom[from as 'default' | 'policy'];
  return (
    <section class="kizuki-controls-section" data-testid="options-controls">
      <h2>{t.sendCheck}</h2>
      <p data-testid="send-check-mode" data-mode={view?.sendCheck ?? 'nudge'}>
        {t.sendCheckMode[view?.sendCheck ?? 'nudge']} <span class="sub">（{source}）</span>
      </p>
      <h2>{t.dismissed}</h2>
      <DismissedList t={t} allowAdd />
    </section>
  );
}

export function mountControlsSection(doc: Document = document): void {
  const style = doc.createElement('style');
  style.textContent = DARK_CSS;
  doc.head.append(style);
  const host = doc.createElement('div');
  host.id = 'kizuki-controls';
  const app = doc.getElementById('app');
  if (app) app.after(host);
  else doc.body.append(host);
  render(<ControlsSection />, host);
}

mountControlsSection();
