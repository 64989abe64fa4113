// Colours shared by kizuki's in-page surfaces (card, nudge, pill), light and dark (prefers-color-scheme), as custom
// properties on each shadow root's :host so the page's own styles never reach them.
export const THEME_CSS = `
:host {
  --k-bg: #fff; --k-fg: #1f2937; --k-muted: #4b5563; --k-line: #d1d5db; --k-subtle: #f9fafb; --k-hover: #f3f4f6;
  --k-accent: #0f766e; --k-accent-hover: #115e59; --k-focus: #2563eb; --k-error: #d93025; --k-warning: #d97706; --k-info: #2563eb;
  --k-ok: #047857; --k-bad: #b91c1c;
}
@media (prefers-color-scheme: dark) {
  :host {
    --k-bg: #1f2430; --k-fg: #e5e7eb; --k-muted: #a3aab8; --k-line: #3f4756; --k-subtle: #2a303c; --k-hover: #2f3643;
    --k-accent: #14b8a6; --k-accent-hover: #0d9488; --k-focus: #60a5fa; --k-error: #f87171; --k-warning: #fbbf24; --k-info: #60a5fa;
    --k-ok: #34d399; --k-bad: #fca5a5;
  }
}
`;
