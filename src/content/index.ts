// Content script: finds the reply box, analyses the draft off the keystroke path (debounced, never during IME
// composition), underlines findings without touching the editor, and opens a card on hover or Alt+Shift+K.
import browser from 'webextension-polyfill';
import type { Finding } from '../engine/types';
import type { AnalyzeRequest, AnalyzeResponse, DraftContext, IdleReport, KeepWarmRequest, OpenPageForTestsRequest, RevealRequest } from '../shared/messages';
import { ignoreKey, type StatRequest } from '../shared/messages';
import { findActiveEditor, isInternalNote, customerMessage, editableRoot, type ActiveEditor } from './editors';
import { buildTextModel, type TextModel } from './text-model';
import { AnalysisScheduler, KeepWarm } from './scheduler';
import { paintHighlights, clearHighlights, TextareaOverlay } from './highlights';
import { CardHost } from './card-host';
import { applySuggestion } from './apply';

interface DraftState {
  /** ignoreKey() values; cleared when the draft is emptied (sent or discarded). */
  ignored: Set<string>;
  findings: Finding[];
  ranges: Map<Finding, Range>;
}

const flag = globalThis as { __kizukiContent?: boolean };
if (!flag.__kizukiContent) {
  flag.__kizukiContent = true;
  start();
}

function start(): void {
  const doc = document;
  const drafts = new WeakMap<HTMLElement, DraftState>();
  let active: ActiveEditor | null = null;
  let lastFocused: HTMLElement | null = null;
  let overlay: TextareaOverlay | null = null;
  let requestSeq = 0;
  let lastIdle = '';
  let dead = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const draftOf = (el: HTMLElement): DraftState => {
    let d = drafts.get(el);
    if (!d) drafts.set(el, (d = { ignored: new Set(), findings: [], ranges: new Map() }));
    return d;
  };

  const scheduler = new AnalysisScheduler((info) => void analyze(info.lastInputAt, info.firedAt));
  const keepWarm = new KeepWarm(() => void send({ type: 'kizuki:keep-warm' } satisfies KeepWarmRequest).catch(() => {}));
  const card = new CardHost(doc, {
    apply: async (finding, index) => {
      if (!active) return;
      const suggestion = finding.suggestions[index];
      if (!suggestion) return;
      const editor = active;
      const outcome = await applySuggestion(editor, finding, suggestion.text);
      card.setStatus(outcome.message, outcome.ok);
      if (outcome.ok) {
        void send({ type: 'kizuki:stat', rule: `${finding.pack}/${finding.rule}`, event: 'applied' } satisfies StatRequest).catch(() => {});
        // CKEditor's model changes fire no input event: analyse now rather than wait for the next keystroke.
        scheduler.now();
        setTimeout(() => card.close(false), 900);
      }
    },
    ignore: (finding) => {
      if (!active) return;
      draftOf(active.el).ignored.add(ignoreKey(finding));
      void send({ type: 'kizuki:stat', rule: `${finding.pack}/${finding.rule}`, event: 'ignored' } satisfies StatRequest).catch(() => {});
      card.close(true);
      scheduler.now();
    },
    closed: (refocus) => {
      if (refocus && active) active.el.focus({ preventScroll: true });
    },
  });

  function clearMarks(): void {
    clearHighlights();
    overlay?.hide();
    card.close(false);
  }

  function reevaluate(): void {
    const found = findActiveEditor(doc, { lastFocused });
    if (found?.el === active?.el) return;
    clearMarks();
    active = found;
    if (active) scheduler.now();
    else reportIdle({ adapter: 'generic', status: 'none' });
  }

  function reportIdle(context: DraftContext): void {
    const key = `${context.status}|${context.adapter}|${context.customer ?? ''}`;
    if (key === lastIdle) return;
    lastIdle = key;
    const report: IdleReport = { type: 'kizuki:idle', context };
    send(report).catch(() => {});
    emitUpdated({ findings: [], checklist: [], status: context.status, processingMs: 0, sinceInputMs: 0, tokenizerReady: false });
  }

  async function send<T>(message: unknown): Promise<T> {
    try {
      return (await browser.runtime.sendMessage(message)) as T;
    } catch (e) {
      // The extension was reloaded or removed: this copy of the script can no longer reach it.
      if (/context invalidated/i.test(String((e as Error).message))) shutdown();
      throw e;
    }
  }

  async function analyze(lastInputAt: number, firedAt: number): Promise<void> {
    if (dead) return;
    if (!active || !active.el.isConnected) {
      reevaluate();
      if (!active) return;
    }
    const editor = active;
    const customer = customerMessage(editor.el, editor.adapter);
    if (isInternalNote(editor.el, editor.adapter)) {
      clearMarks();
      reportIdle({ adapter: editor.adapter.id, status: 'note', ...(customer ? { customer } : {}) });
      return;
    }
    lastIdle = '';
    const draftState = draftOf(editor.el);
    const draft = readDraft(editor).text;
    if (draft.trim() === '') draftState.ignored.clear();
    const seq = ++requestSeq;
    const request: AnalyzeRequest = {
      type: 'kizuki:analyze',
      draft,
      context: { adapter: editor.adapter.id, status: 'ready', ...(customer ? { customer } : {}) },
      ignored: [...draftState.ignored],
    };
    keepWarm.activity();
    let reply: AnalyzeResponse;
    try {
      reply = await send<AnalyzeResponse>(request);
      if (!reply || !Array.isArray(reply.findings)) throw new Error('no reply');
      keepWarm.configure(reply.keepWarmMs);
    } catch {
      if (!dead) retry(400);
      return;
    }
    // A newer request is on its way, the agent switched boxes, or is composing: this reply is stale.
    if (seq !== requestSeq || editor !== active || scheduler.composing) return;
    const current = readDraft(editor);
    if (current.text !== draft) return; // typed meanwhile; that input scheduled a new analysis
    draftState.findings = reply.findings;
    if (editor.kind === 'textarea') {
      overlay ??= new TextareaOverlay(doc);
      overlay.show(editor.el as HTMLTextAreaElement, reply.findings);
      draftState.ranges = new Map();
    } else {
      draftState.ranges = paintHighlights(doc, current.model!, reply.findings);
    }
    card.refresh(reply.findings);
    const done = performance.now();
    emitUpdated({
      findings: reply.findings,
      checklist: reply.checklist,
      status: 'ready',
      processingMs: done - firedAt,
      sinceInputMs: lastInputAt ? done - lastInputAt : done - firedAt,
      tokenizerReady: reply.tokenizerReady,
    });
    // Until the dictionary is loaded only token-free rules ran: ask again shortly.
    if (!reply.tokenizerReady) retry(500);
  }

  function retry(ms: number): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => scheduler.now(), ms);
  }

  function readDraft(editor: ActiveEditor): { text: string; model?: TextModel } {
    if (editor.kind === 'textarea') return { text: (editor.el as HTMLTextAreaElement).value };
    const model = buildTextModel(editor.el);
    return { text: model.text, model };
  }

  function emitUpdated(detail: {
    findings: Finding[];
    checklist: unknown[];
    status: string;
    processingMs: number;
    sinceInputMs: number;
    tokenizerReady: boolean;
  }): void {
    // Test and benchmark hook (e2e build only; compiled out of the store builds).
    if (__KIZUKI_E2E__) {
      const payload = {
        ...detail,
        adapter: active?.adapter.id ?? null,
        editor: active?.kind ?? null,
        findings: detail.findings.map(({ rule, category, severity, start, end, text, scope }) => ({ rule, category, severity, scope, start, end, text })),
      };
      doc.dispatchEvent(new CustomEvent('kizuki:updated', { detail: JSON.stringify(payload) }));
    }
  }

  /** The finding under a client point, with the rect it was found in. */
  function findingAt(x: number, y: number): { finding: Finding; rect: DOMRect } | null {
    if (!active) return null;
    const state = drafts.get(active.el);
    if (!state) return null;
    for (const f of state.findings) {
      if (f.scope !== 'span') continue;
      const rects = active.kind === 'textarea' ? (overlay?.textRects(f.start!, f.end!) ?? []) : [...(state.ranges.get(f)?.getClientRects() ?? [])];
      for (const r of rects) {
        if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 2 && y <= r.bottom + 4) return { finding: f, rect: r as DOMRect };
      }
    }
    return null;
  }

  function findingAtCaret(): { finding: Finding; rect: DOMRect } | null {
    if (!active) return null;
    const state = drafts.get(active.el);
    if (!state) return null;
    let caret: number;
    if (active.kind === 'textarea') caret = (active.el as HTMLTextAreaElement).selectionStart ?? -1;
    else {
      const sel = doc.getSelection();
      if (!sel || !sel.anchorNode || !active.el.contains(sel.anchorNode)) return null;
      caret = buildTextModel(active.el).fromDom(sel.anchorNode, sel.anchorOffset);
    }
    const finding = state.findings.find((f) => f.scope === 'span' && f.start! <= caret && caret <= f.end!);
    if (!finding) return null;
    const rects = active.kind === 'textarea' ? (overlay?.textRects(finding.start!, finding.end!) ?? []) : [...(state.ranges.get(finding)?.getClientRects() ?? [])];
    return { finding, rect: (rects[0] as DOMRect | undefined) ?? active.el.getBoundingClientRect() };
  }

  function reveal(request: RevealRequest): void {
    if (!active) return;
    if (active.kind === 'textarea') {
      const ta = active.el as HTMLTextAreaElement;
      ta.focus();
      ta.setSelectionRange(request.start, request.end);
      ta.scrollIntoView({ block: 'center', behavior: 'smooth' });
      return;
    }
    const range = buildTextModel(active.el).range(request.start, request.end);
    const target = range.startContainer.nodeType === 1 ? (range.startContainer as Element) : range.startContainer.parentElement;
    target?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    active.el.focus({ preventScroll: true });
    const sel = doc.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
  }

  // --- events -----------------------------------------------------------------------------------------------
  const inActive = (target: EventTarget | null) => !!active && target instanceof Node && active.el.contains(target);

  const onFocusIn = (e: FocusEvent) => {
    const root = editableRoot(e.target as Node);
    if (root) lastFocused = root;
    reevaluate();
  };
  const onInput = (e: Event) => {
    if (!inActive(e.target)) {
      reevaluate();
      if (!inActive(e.target)) return;
    }
    scheduler.input((e as InputEvent).isComposing === true);
  };
  const onCompositionStart = (e: Event) => {
    if (inActive(e.target)) scheduler.compositionStart();
  };
  const onCompositionEnd = (e: Event) => {
    if (inActive(e.target)) scheduler.compositionEnd();
  };
  let hoverFrame = 0;
  const onMouseMove = (e: MouseEvent) => {
    if (hoverFrame) return;
    const { clientX, clientY } = e;
    const overCard = card.contains(e.composedPath());
    hoverFrame = requestAnimationFrame(() => {
      hoverFrame = 0;
      if (overCard) return card.keepOpen();
      const hit = findingAt(clientX, clientY);
      if (hit) card.open(hit.finding, hit.rect, false);
      else card.closeSoon();
    });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyK') {
      const hit = findingAtCaret();
      if (hit) {
        e.preventDefault();
        e.stopPropagation();
        card.open(hit.finding, hit.rect, true);
      }
    } else if (e.key === 'Escape' && card.isOpen) {
      card.close(card.contains(e.composedPath()));
    }
  };

  doc.addEventListener('focusin', onFocusIn, true);
  doc.addEventListener('input', onInput, true);
  doc.addEventListener('compositionstart', onCompositionStart, true);
  doc.addEventListener('compositionend', onCompositionEnd, true);
  doc.addEventListener('mousemove', onMouseMove, { capture: true, passive: true });
  doc.addEventListener('keydown', onKeyDown, true);
  // Test hook (e2e build only): see OpenPageForTestsRequest.
  if (__KIZUKI_E2E__) {
    doc.addEventListener('kizuki:e2e-open-page', (e) => {
      const page = (e as CustomEvent<unknown>).detail === 'options' ? 'options' : 'panel';
      void browser.runtime.sendMessage({ type: 'kizuki:e2e-open-page', page } satisfies OpenPageForTestsRequest);
    });
  }

  // Helpdesks swap tickets without focus events and re-render without always touching the nodes one watches:
  // watch the body (cheaply: only re-pick the box, after a pause) and poll slowly as a backup.
  let mutationTimer: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver(() => {
    if (mutationTimer) return;
    mutationTimer = setTimeout(() => {
      mutationTimer = undefined;
      reevaluate();
    }, 400);
  });
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true });
  const poll = setInterval(() => {
    reevaluate();
    if (active && !scheduler.composing) {
      // The customer message or note/public switch may change without any input in the box.
      const customer = customerMessage(active.el, active.adapter);
      const note = isInternalNote(active.el, active.adapter);
      const key = `${note}|${customer ?? ''}`;
      if (key !== pollKey) {
        pollKey = key;
        scheduler.now();
      }
    }
  }, 2000);
  let pollKey = '';

  browser.runtime.onMessage.addListener((raw: unknown) => {
    const message = raw as RevealRequest;
    if (message?.type === 'kizuki:reveal') {
      reveal(message);
      return Promise.resolve(true);
    }
    return undefined;
  });

  function shutdown(): void {
    dead = true;
    scheduler.cancel();
    keepWarm.stop();
    clearInterval(poll);
    observer.disconnect();
    doc.removeEventListener('focusin', onFocusIn, true);
    doc.removeEventListener('input', onInput, true);
    doc.removeEventListener('compositionstart', onCompositionStart, true);
    doc.removeEventListener('compositionend', onCompositionEnd, true);
    doc.removeEventListener('mousemove', onMouseMove, true);
    doc.removeEventListener('keydown', onKeyDown, true);
    clearMarks();
  }

  reevaluate();
}
