// Content script wiring: picks the reply box the agent works in, runs one CoachSession for it (session.ts), and
// routes page events (focus, IME, hover, keyboard) and extension messages to it.
import browser from 'webextension-polyfill';
import type { Finding } from '../engine/types';
import type { AnalyzeRequest, AnalyzeResponse, CoachCommand, CommandForTestsRequest, CommandRequest, DraftContext, IdleReport, InsertRequest, KeepWarmRequest, OpenPageForTestsRequest, OpenPanelRequest, RevealRequest, SendStatRequest, ShownReport, StatRequest } from '../shared/messages';
import { COACH_COMMANDS } from '../shared/messages';
import { EngineClient } from './engine-client';
import { findActiveEditor, isInternalNote, customerMessage, editableRoot } from './editors';
import { KeepWarm, LatestEvery } from './scheduler';
import { CardHost } from './card-host';
import { surfaceFor } from './surfaces';
import { CoachSession, type SessionHost, type ShownState } from './session';
import { editFor } from './edits';
import { Controls } from './controls';
import { NudgeHost } from './nudge';
import { CountPill } from './pill';
import { SendGuard, type GuardedBox } from './send-guard';

const flag = globalThis as { __kizukiContent?: boolean };
if (!flag.__kizukiContent) {
  flag.__kizukiContent = true;
  start();
}

function start(): void {
  const doc = document;
  /** Per reply box: what the agent ignored in its current draft (cleared when the draft is emptied). */
  const ignoredByBox = new WeakMap<HTMLElement, Set<string>>();
  let session: CoachSession | null = null;
  let lastFocused: HTMLElement | null = null;
  let lastIdle = '';
  let pausedShown = false;

  // The agent's lasting controls: a change re-filters what is shown (a dismissal, an undo) or pauses/resumes.
  const controls = new Controls(() => {
    reevaluate();
    session?.refresh();
    guard.update();
  });
  const nudge = new NudgeHost(doc);
  const pill = new CountPill(doc, () => void send({ type: 'kizuki:open-panel' } satisfies OpenPanelRequest).catch(() => {}));
  const guard = new SendGuard(doc, nudge, {
    box: () => (session ? guardedBox(session) : null),
    mode: () => controls.sendMode(location.hostname),
    controls: () => controls.current,
    policy: () => controls.policy,
    open: (item) => {
      if (item.kind === 'finding' && item.finding?.scope === 'span') revealFinding(item.finding, false);
      else void send({ type: 'kizuki:open-panel' } satisfies OpenPanelRequest).catch(() => {});
    },
    stat: (outcome) => void send({ type: 'kizuki:send-stat', outcome } satisfies SendStatRequest).catch(() => {}),
  });
  const boxes = new WeakMap<CoachSession, GuardedBox>();
  function guardedBox(current: CoachSession): GuardedBox {
    let box = boxes.get(current);
    if (!box) {
      box = {
        el: current.el,
        editor: current.editor,
        get disposed() {
          return current.isDisposed;
        },
        text: () => current.surface.snapshot().text,
        settled: () => current.settled,
        get state() {
          return current.state;
        },
      };
      boxes.set(current, box);
    }
    return box;
  }

  /** The pill and an open nudge follow what is shown. */
  function followFindings(findings: readonly Finding[], text: string): void {
    pill.show(session?.el ?? null, findings, text.trim() === '');
    guard.update();
  }

  // What is shown, reported at most every SHOWN_REPORT_MS: the newest report, never an older one after it.
  const shownReports = new LatestEvery<ShownReport>((report) => void send(report).catch(() => {}));
  const keepWarm = new KeepWarm(() => void send({ type: 'kizuki:keep-warm' } satisfies KeepWarmRequest).catch(() => {}));

  const APPLIED_CARD_MS = 2_500;
  const card = new CardHost(doc, {
    apply: (finding, index) => {
      const current = session;
      if (!current) return;
      const shownCard = card.openCard;
      // One suggestion per card: the second click of a double click must not apply again, nor report the finding gone.
      if (cardsApplying.has(shownCard)) return;
      cardsApplying.add(shownCard);
      void current.apply(finding, index).then((outcome) => {
        if (!outcome.ok) cardsApplying.delete(shownCard);
        card.setStatus(outcome.message, outcome.ok);
        // Long enough to read 「反映しました。選択された「〇〇」を書き換えてください。」 before the card goes.
        if (outcome.ok) card.closeLater(shownCard, APPLIED_CARD_MS);
      });
    },
    ignore: (finding) => {
      session?.ignore(finding);
      card.close(true);
    },
    dismiss: (finding, what) => {
      // For good: stored, then the draft is analysed again through the stored controls (not the per-draft ignore
      // list, so that an undo in the panel or the options page shows it again at once).
      card.close(true);
      host.stat(finding, 'ignored');
      void controls.dismiss(finding, what).then(() => session?.refresh());
    },
    canDismiss: (finding) => controls.canDismiss(finding),
    closed: (refocus) => {
      if (refocus && session) session.el.focus({ preventScroll: true });
    },
    anchorOf: (finding) => session?.anchorOf(finding) ?? null,
  });

  /** Cards (card.openCard numbers) whose suggestion is being applied or was applied. */
  const cardsApplying = new Set<number>();

  // The host's engine changed (the dictionary has loaded, the packs or settings changed): look at the text again.
  const engine = new EngineClient(() => session?.refresh());
  const host: SessionHost = {
    async analyze(draft: string, context: DraftContext, ignored: string[]): Promise<AnalyzeResponse> {
      lastIdle = '';
      keepWarm.activity();
      // The keystroke path: straight to the engine host. The background's path when that is not possible yet.
      const direct = await engine.analyze(draft, context.customer);
      const reply = direct ?? (await send<AnalyzeResponse>({ type: 'kizuki:analyze', draft, context, ignored } satisfies AnalyzeRequest));
      keepWarm.configure(reply?.keepWarmMs);
      return reply;
    },
    idle: (context) => {
      // An internal note: nothing is coached there, so no count either.
      pill.hide();
      reportIdle(context);
    },
    painted(state, reply, context, timing) {
      card.refresh(state.findings);
      followFindings(state.findings, state.text);
      const done = performance.now();
      emitUpdated(state, {
        status: 'ready',
        processingMs: done - timing.firedAt,
        sinceInputMs: timing.lastInputAt ? done - timing.lastInputAt : done - timing.firedAt,
        tokenizerReady: reply.tokenizerReady,
        engineMs: reply.engineMs,
        paintMs: done - timing.answeredAt,
      });
      // The panel, the badge and the counts follow what is on screen (off the keystroke path).
      const shown: ShownReport = {
        type: 'kizuki:shown',
        context,
        findings: state.findings,
        checklist: state.checklist,
        tokenizerReady: reply.tokenizerReady,
        draftLength: state.text.length,
        draftEmpty: state.text.trim() === '',
        ...(reply.limits ? { limits: reply.limits } : {}),
        ...(reply.examplesPending ? { examplesPending: true } : {}),
      };
      shownReports.push(shown);
    },
    carried: (findings) => {
      card.refresh(findings);
      // The pill keeps the last analysis's count until the next answer is painted (a frame or two; while an IME
      // composition is open, until it ends): carried underlines are often one fewer (the edited finding's), so a count
      // written here was written back by the answer, and in Chromium any change to the page's DOM makes the next frame
      // repaint every underlined piece of the editor's text (in the Zendesk fixture 12-13 raster tasks, about 10 ms).
      // An emptied box has nothing to count.
      if ((session?.state.text ?? '').trim() === '') pill.hide();
      guard.update();
    },
    keep: (finding, draft) => controls.keep(finding, draft),
    stat(finding: Finding, event) {
      void send({ type: 'kizuki:stat', rule: `${finding.pack}/${finding.rule}`, event } satisfies StatRequest).catch(() => {});
    },
    editFor,
  };

  /** The e2e build's debounce, raised by a test to prove that nothing it checks passes by timing alone. */
  const debounceMs = (): number | undefined => {
    if (!__KIZUKI_E2E__) return undefined;
    const raised = Number(doc.documentElement.dataset.kizukiDebounceMs);
    return Number.isFinite(raised) && raised > 0 ? raised : undefined;
  };

  function reevaluate(): void {
    const paused = controls.paused(location.hostname);
    const found = paused ? null : findActiveEditor(doc, { lastFocused });
    if (found?.el === session?.el && paused === pausedShown) return;
    pausedShown = paused;
    card.close(false);
    session?.dispose();
    session = null;
    guard.boxChanged();
    pill.hide();
    if (paused) {
      reportIdle({ adapter: 'generic', status: 'paused' });
      return;
    }
    if (!found) {
      reportIdle({ adapter: 'generic', status: 'none' });
      return;
    }
    let ignored = ignoredByBox.get(found.el);
    if (!ignored) ignoredByBox.set(found.el, (ignored = new Set()));
    session = new CoachSession(found, surfaceFor(found, doc), host, ignored, debounceMs());
  }

  function reportIdle(context: DraftContext): void {
    const key = `${context.status}|${context.adapter}|${context.customer ?? ''}`;
    if (key === lastIdle) return;
    lastIdle = key;
    shownReports.cancel();
    const report: IdleReport = { type: 'kizuki:idle', context };
    send(report).catch(() => {});
    emitUpdated({ text: '', findings: [], checklist: [] }, { status: context.status, processingMs: 0, sinceInputMs: 0, tokenizerReady: false });
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

  function emitUpdated(state: ShownState, detail: { status: string; processingMs: number; sinceInputMs: number; tokenizerReady: boolean; engineMs?: number; paintMs?: number }): void {
    // Test and benchmark hook (e2e build only; compiled out of the store builds).
    if (__KIZUKI_E2E__) {
      const payload = {
        ...detail,
        text: state.text,
        checklist: state.checklist,
        adapter: session?.editor.adapter.id ?? null,
        editor: session?.editor.kind ?? null,
        debounceMs: session?.debounceMs ?? null,
        findings: state.findings.map(({ rule, category, severity, start, end, text, scope }) => ({ rule, category, severity, scope, start, end, text })),
      };
      doc.dispatchEvent(new CustomEvent('kizuki:updated', { detail: JSON.stringify(payload) }));
    }
  }

  function reveal(request: RevealRequest): void {
    if (!session) return;
    const rect = session.surface.rectsOf(request.start, request.end)[0];
    session.surface.select(request.start, request.end);
    if (session.editor.kind === 'textarea') session.el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    else if (rect && (rect.top < 0 || rect.bottom > innerHeight)) scrollBy({ top: rect.top - innerHeight / 2, behavior: 'smooth' });
  }

  /** Selects a span finding in the editor and opens its card there (focused for the keyboard). */
  function revealFinding(finding: Finding, focusCard: boolean): void {
    if (!session) return;
    const current = session.current(finding);
    if (!current || current.scope !== 'span') return;
    reveal({ type: 'kizuki:reveal', start: current.start!, end: current.end! });
    const rect = session.anchorOf(current);
    const here = session.findingsAtOffset(current.start!);
    if (rect && here.length > 0) card.open(here, rect, focusCard);
  }

  /** The keyboard commands (manifest `commands`, remappable in the browser's shortcut settings). */
  function runCommand(command: CoachCommand): void {
    if (!session) return;
    if (command === 'open-card') {
      const hit = session.findingsAtCaret();
      if (hit) card.open(hit.findings, hit.rect, true);
      return;
    }
    const spans = session.state.findings.filter((f) => f.scope === 'span').sort((a, b) => a.start! - b.start! || a.end! - b.end!);
    if (spans.length === 0) return;
    const caret = session.surface.caret();
    let next: Finding | undefined;
    if (command === 'next-finding') next = spans.find((f) => caret === null || f.start! >= caret) ?? spans[0];
    else next = [...spans].reverse().find((f) => caret !== null && f.end! < caret) ?? spans[spans.length - 1];
    if (next) revealFinding(next, false);
  }

  // --- events -----------------------------------------------------------------------------------------------
  const inSession = (target: EventTarget | null) => !!session && target instanceof Node && session.el.contains(target);

  const onFocusIn = (e: FocusEvent) => {
    const root = editableRoot(e.target as Node);
    if (root) lastFocused = root;
    reevaluate();
    if (session && inSession(e.target)) keepWarm.activity();
  };
  const onInput = (e: Event) => {
    // A box the agent types into that is not the coached one yet (a second composer, a generic field).
    if (!inSession(e.target)) reevaluate();
  };
  const onCompositionStart = (e: Event) => {
    if (inSession(e.target)) session!.compositionStart();
  };
  const onCompositionEnd = (e: Event) => {
    if (inSession(e.target)) session!.compositionEnd();
  };
  let hoverFrame = 0;
  const onMouseMove = (e: MouseEvent) => {
    if (hoverFrame) return;
    const { clientX, clientY } = e;
    const overCard = card.contains(e.composedPath());
    hoverFrame = requestAnimationFrame(() => {
      hoverFrame = 0;
      if (overCard) return card.keepOpen();
      const hit = session?.findingsAtPoint(clientX, clientY);
      if (hit) card.open(hit.findings, hit.rect, false);
      else card.closeSoon();
    });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // The card's shortcuts are manifest `commands` (runCommand), so the agent can remap them.
    if (e.key === 'Escape' && card.isOpen) {
      card.close(card.contains(e.composedPath()));
    } else if (e.key === 'Escape' && nudge.isOpen) {
      e.preventDefault();
      guard.back();
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
    // A command as its shortcut would deliver it: through the background's commands.onCommand routing.
    doc.addEventListener('kizuki:e2e-command', (e) => {
      const command = (e as CustomEvent<unknown>).detail as CoachCommand;
      if (COACH_COMMANDS.includes(command)) void browser.runtime.sendMessage({ type: 'kizuki:e2e-command', command } satisfies CommandForTestsRequest);
    });
  }

  // Helpdesks swap tickets without focus events and re-render without always touching the nodes one watches:
  // watch the body (cheaply: only re-pick the box, after a pause) and poll slowly as a backup. Edits inside the box
  // are the session's to watch.
  let mutationTimer: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver(() => {
    if (mutationTimer) return;
    mutationTimer = setTimeout(() => {
      mutationTimer = undefined;
      reevaluate();
    }, 400);
  });
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true });
  let pollKey = '';
  const poll = setInterval(() => {
    reevaluate();
    if (session && !session.composing) {
      // The customer message or note/public switch may change without any edit in the box.
      const customer = customerMessage(session.el, session.editor.adapter);
      const note = isInternalNote(session.el, session.editor.adapter);
      const key = `${note}|${customer ?? ''}`;
      if (key !== pollKey) {
        pollKey = key;
        session.refresh();
      }
    }
  }, 2000);

  browser.runtime.onMessage.addListener((raw: unknown, sender: { id?: string }) => {
    // Only the extension itself talks to this script (tabs.sendMessage from the panel or the background).
    if (sender.id !== browser.runtime.id) return undefined;
    const message = raw as RevealRequest | InsertRequest | CommandRequest;
    if (message?.type === 'kizuki:command') {
      if (COACH_COMMANDS.includes(message.command)) runCommand(message.command);
      return Promise.resolve(true);
    }
    if (message?.type === 'kizuki:reveal') {
      reveal(message);
      return Promise.resolve(true);
    }
    if (message?.type === 'kizuki:insert') {
      if (!session) return Promise.resolve({ ok: false, message: 'この項目はもう不足していません。' });
      return session.applyReplyItem(message.rule, message.pack, message.index);
    }
    return undefined;
  });

  function shutdown(): void {
    keepWarm.stop();
    shownReports.cancel();
    clearInterval(poll);
    observer.disconnect();
    doc.removeEventListener('focusin', onFocusIn, true);
    doc.removeEventListener('input', onInput, true);
    doc.removeEventListener('compositionstart', onCompositionStart, true);
    doc.removeEventListener('compositionend', onCompositionEnd, true);
    doc.removeEventListener('mousemove', onMouseMove, true);
    doc.removeEventListener('keydown', onKeyDown, true);
    card.close(false);
    guard.dispose();
    nudge.close();
    pill.hide();
    controls.dispose();
    session?.dispose();
    session = null;
    engine.disconnect();
  }

  reevaluate();
}
