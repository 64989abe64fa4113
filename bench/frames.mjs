// What both browser benchmarks record in the page: every kizuki:updated event of the e2e build, with the time of the
// page's last input event, of the event, and of the next animation frame (when the highlights are painted), plus the
// content script's own split of the time (its clock): input → analysis asked, → answer drawn, with the engine's time
// and the drawing's inside it.

/** Installed in the page before its scripts run (Playwright addInitScript, Puppeteer evaluateOnNewDocument). */
export function recordFrames() {
  window.__frames = [];
  // The editor alone (the peer, measured the same way with or without the extension): each input → the next frame.
  window.__inputFrames = [];
  document.addEventListener(
    'input',
    () => {
      const at = (window.__inputAt = performance.now());
      requestAnimationFrame(() => window.__inputFrames.push(performance.now() - at));
    },
    true,
  );
  document.addEventListener('kizuki:updated', (event) => {
    const detail = JSON.parse(event.detail);
    const entry = {
      text: detail.text,
      rules: detail.findings.map((f) => f.rule),
      tokenizerReady: detail.tokenizerReady,
      inputAt: window.__inputAt ?? 0,
      eventAt: performance.now(),
      frameAt: 0,
      sinceInputMs: detail.sinceInputMs,
      processingMs: detail.processingMs,
      engineMs: detail.engineMs,
      paintMs: detail.paintMs,
    };
    window.__frames.push(entry);
    requestAnimationFrame(() => (entry.frameAt = performance.now()));
  });
}

/** Collects recorded keystroke frames and prints where their time went. */
export class KeystrokeParts {
  waited = [];
  answered = [];
  engine = [];
  drawing = [];
  toFrame = [];
  unseen = [];

  add(frame) {
    this.unseen.push(frame.eventAt - frame.inputAt - frame.sinceInputMs);
    this.waited.push(frame.sinceInputMs - frame.processingMs);
    this.answered.push(frame.processingMs);
    this.engine.push(frame.engineMs);
    this.drawing.push(frame.paintMs);
    this.toFrame.push(frame.frameAt - frame.eventAt);
  }

  /** One line: median / p95 of each part. */
  summary(stats) {
    const part = (values) => {
      const known = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
      if (known.length === 0) return 'n/a (an older build)';
      const s = stats(known);
      return `${s.median.toFixed(1)} / ${s.p95.toFixed(1)} ms`;
    };
    return `median / p95: input → analysis asked ${part(this.waited)}; → answer drawn ${part(this.answered)} (engine ${part(this.engine)}, drawing ${part(this.drawing)}); → next frame ${part(this.toFrame)}; input event → the content script's input ${part(this.unseen)}`;
  }
}

/** The keystroke figures with the extension against the peer's (the same keystrokes without it): ratio and difference. */
export function overPeer(withExtension, peer) {
  const part = (k) => `${k} ×${(withExtension[k] / peer[k]).toFixed(2)} (+${(withExtension[k] - peer[k]).toFixed(1)} ms)`;
  return `with the extension: ${part('median')}, ${part('p95')} over the editor alone`;
}
