// @vitest-environment jsdom
// The send nudge follows the open items while the agent fixes them, but an analysis that finds the same items must
// leave it alone: a button replaced between the press and the release loses the click, and a ticked confirmation
// would be unticked.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { OpenItem } from '../../src/content/nudge';

let NudgeHost: typeof import('../../src/content/nudge').NudgeHost;
beforeAll(async () => {
  vi.stubGlobal('__KIZUKI_E2E__', true); // an open shadow root, to read what is drawn
  ({ NudgeHost } = await import('../../src/content/nudge'));
});

const item = (key: string, start: number): OpenItem => ({
  key,
  kind: 'finding',
  severity: 'error',
  title: `「${key}」`,
  detail: '言い訳に聞こえます。',
  finding: { rule: key, pack: 'builtin', category: 'forbidden-phrase', severity: 'error', scope: 'span', start, end: start + 3, text: key, message: '', suggestions: [] },
});

describe('the send nudge', () => {
  it('keeps its buttons and the ticked confirmation when the open items come again unchanged, and redraws when they change', () => {
    const anchor = document.createElement('button');
    document.body.append(anchor);
    anchor.getBoundingClientRect = () => ({ left: 500, right: 560, top: 400, bottom: 430, width: 60, height: 30, x: 500, y: 400, toJSON() {} }) as DOMRect;
    const nudge = new NudgeHost(document);
    const handlers = { send: vi.fn(), back: vi.fn(), open: vi.fn() };
    nudge.open(anchor, [item('でも、', 0)], { confirmErrors: true }, handlers);
    const root = document.querySelector('kizuki-nudge')!.shadowRoot!;
    const send = root.querySelector('button[data-action="send"]') as HTMLButtonElement;
    const tick = root.querySelector('input[data-action="confirm"]') as HTMLInputElement;
    tick.checked = true;
    tick.dispatchEvent(new Event('change'));
    expect(send.disabled).toBe(false);

    nudge.update([item('でも、', 0)]);
    expect(send.isConnected).toBe(true);
    expect((root.querySelector('input[data-action="confirm"]') as HTMLInputElement).checked).toBe(true);

    // The finding moved (an edit before it): the item leads elsewhere now, so it is drawn again.
    nudge.update([item('でも、', 5)]);
    expect(send.isConnected).toBe(false);
    nudge.update([]);
    expect(root.querySelector('.kizuki-nudge-title')!.textContent).toBe('指摘はすべて直りました。');
  });
});
