// @vitest-environment jsdom
// The textarea overlay reuses its marks from one layout to the next and rewrites only what changed. Whatever the
// sequence of findings (growing, shrinking, moving, changing severity, hidden and shown again, another field), what
// it draws must be exactly what a fresh overlay draws for the same findings.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/engine/types';

let TextareaOverlay: typeof import('../../src/content/highlights').TextareaOverlay;

beforeAll(async () => {
  vi.stubGlobal('__KIZUKI_E2E__', true); // an open shadow root, to read what is drawn
  // jsdom lays nothing out: a range's box follows from its offsets (10 px a character, 30 characters a line).
  Range.prototype.getClientRects = function (this: Range) {
    const rects = [];
    for (let line = Math.floor(this.startOffset / 30); line * 30 < this.endOffset; line++) {
      const from = Math.max(this.startOffset, line * 30) % 30;
      const to = Math.min(this.endOffset, line * 30 + 30) - line * 30;
      const rect = { left: from * 10, right: to * 10, width: (to - from) * 10, top: line * 20, bottom: line * 20 + 16, height: 16, x: from * 10, y: line * 20 };
      rects.push({ ...rect, toJSON: () => rect });
    }
    return rects as unknown as DOMRectList;
  };
  ({ TextareaOverlay } = await import('../../src/content/highlights'));
});
afterAll(() => vi.unstubAllGlobals());

const SEVERITIES = ['error', 'warning', 'info'] as const;

function randomFindings(random: () => number, length: number): Finding[] {
  const count = Math.floor(random() * 12);
  return Array.from({ length: count }, (_, i) => {
    const start = Math.floor(random() * length);
    const end = Math.min(length, start + 1 + Math.floor(random() * 70));
    return {
      rule: `rule-${Math.floor(random() * 4)}`, pack: 'builtin', category: 'keigo', severity: SEVERITIES[Math.floor(random() * 3)]!,
      scope: 'span', start, end, text: 'x'.repeat(end - start), message: `m${i}`, suggestions: [],
    } satisfies Finding;
  });
}

function drawn(doc: Document): string {
  const hosts = [...doc.querySelectorAll('kizuki-overlay')].filter((h) => h.isConnected);
  return hosts.map((h) => h.shadowRoot!.querySelector('.marks')!.innerHTML).join('\n');
}

describe('the textarea overlay', () => {
  it('draws what a fresh overlay draws after any sequence of findings, hides and field switches', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const fields = [0, 1].map(() => {
      const field = document.createElement('textarea');
      field.value = 'あ'.repeat(200);
      document.body.append(field);
      return field;
    });
    const reused = new TextareaOverlay(document);
    for (let step = 0; step < 400; step++) {
      const field = fields[Math.floor(random() * 2)]!;
      if (random() < 0.1) reused.hide();
      const findings = randomFindings(random, field.value.length);
      reused.show(field, findings);
      const now = drawn(document);
      reused.hide();
      const fresh = new TextareaOverlay(document);
      fresh.show(field, findings);
      expect(now, `step ${step}`).toBe(drawn(document));
      expect(now.split('data-kizuki-mark').length - 1).toBe(findings.length);
      fresh.hide();
      reused.show(field, findings);
    }
  });
});
