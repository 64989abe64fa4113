// The playground, shaped like the editor: a customer message and a draft whose findings are underlined in place
// (a mirror of the textarea behind it draws the marks), the real card (src/content/card.ts renderCard, in a shadow
// root as on a helpdesk page) for the finding at the caret, the checklist with its reasons, and which pack each
// finding came from. A pack not yet distributed can be dropped here to compare the findings with it and without it
// (it is not added). Analysis goes through the background, on the configuration the agents' tabs use.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { applySuggestion } from '../engine/fix';
import type { ChecklistItem, Finding } from '../engine/types';
import { renderCard, CARD_CSS } from '../content/card';
import { ignoreKey, type PlaygroundRequest, type PlaygroundResponse } from '../shared/messages';
import { SEVERITY_JA } from '../shared/rule-text';
import type { ConsoleState } from './model';
import { packName } from './rules';

type Result = PlaygroundResponse | { error: string };
const CHECK_STATE: Record<ChecklistItem['state'], string> = { satisfied: '満たしています', missing: '不足', 'not-required': '不要' };
const findingKey = (f: Finding) => `${f.pack}/${f.rule}@${f.start ?? 'r'}:${f.text ?? ''}`;

/** The draft as text runs and marked spans (overlapping findings: the first, most severe, wins the mark). */
function segments(draft: string, findings: Finding[]): { text: string; finding?: Finding }[] {
  const spans = findings
    .filter((f) => f.scope === 'span' && f.start !== undefined && f.end !== undefined && f.end > f.start)
    .sort((a, b) => a.start! - b.start! || rank(a) - rank(b));
  const out: { text: string; finding?: Finding }[] = [];
  let at = 0;
  for (const f of spans) {
    if (f.start! < at) continue;
    if (f.start! > at) out.push({ text: draft.slice(at, f.start) });
    out.push({ text: draft.slice(f.start, f.end), finding: f });
    at = f.end!;
  }
  out.push({ text: draft.slice(at) + '\n' });
  return out;
}
const rank = (f: Finding) => (f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2);

function CardHost({ findings, onApply, onIgnore, onClose }: { findings: Finding[]; onApply(f: Finding, i: number): void; onIgnore(f: Finding): void; onClose(): void }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    root.replaceChildren();
    if (findings.length === 0) return;
    const style = document.createElement('style');
    // The page's card is fixed near the underline; here it sits in the playground's column.
    style.textContent = CARD_CSS + '.kizuki-card { position: static; max-width: none; box-shadow: none; }';
    root.append(style, renderCard(document, findings, { apply: onApply, ignore: onIgnore, close: onClose }));
  });
  return <div ref={host} class="card-host" data-testid="pg-card" data-open={findings.length > 0 ? 'true' : 'false'} />;
}

export function PlaygroundSection({ state }: { state: ConsoleState }) {
  const [customer, setCustomer] = useState('');
  const [draft, setDraft] = useState('');
  const [caret, setCaret] = useState<number | undefined>();
  const [cardOpen, setCardOpen] = useState(true);
  const [ignored, setIgnored] = useState<string[]>([]);
  const [result, setResult] = useState<Result | undefined>();
  const [without, setWithout] = useState<Result | undefined>();
  const [trialPack, setTrialPack] = useState<{ name: string; text: string } | undefined>();
  const [dragging, setDragging] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const takeTrial = async (file: File | undefined) => setTrialPack(file ? { name: file.name, text: await file.text() } : undefined);

  useEffect(() => {
    if (draft.trim() === '') {
      setResult(undefined);
      setWithout(undefined);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      const base: PlaygroundRequest = { type: 'kizuki:playground', draft, ...(customer.trim() ? { customer } : {}) };
      const ask = (request: PlaygroundRequest) => browser.runtime.sendMessage(request).then((r) => r as PlaygroundResponse).catch((e: Error) => ({ error: e.message }));
      void Promise.all([ask(trialPack ? { ...base, trialPack } : base), trialPack ? ask(base) : Promise.resolve(undefined)]).then(([withTrial, plain]) => {
        if (stale) return;
        setResult(withTrial);
        setWithout(plain);
      });
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [customer, draft, trialPack, state.config.key]);

  const findings = result && 'findings' in result ? result.findings.filter((f) => !ignored.includes(ignoreKey(f))) : [];
  const atCaret = caret === undefined ? [] : findings.filter((f) => f.scope === 'span' && f.start! <= caret && caret <= f.end!).sort((a, b) => rank(a) - rank(b));
  const syncScroll = () => {
    if (mirror.current && area.current) mirror.current.scrollTop = area.current.scrollTop;
  };
  const trackCaret = () => {
    const a = area.current;
    if (!a) return;
    setCaret(a.selectionStart === a.selectionEnd ? a.selectionStart : undefined);
    setCardOpen(true);
  };
  const apply = (f: Finding, index: number) => {
    const s = f.suggestions[index];
    if (!s) return;
    const next = applySuggestion(draft, f, s);
    if (!next) return;
    setDraft(next.text);
    const a = area.current;
    if (a) {
      a.value = next.text;
      a.focus();
      const sel = next.select ?? { start: next.text.length, end: next.text.length };
      a.setSelectionRange(sel.start, sel.end);
    }
    setCaret(undefined);
  };
  const focusFinding = (f: Finding) => {
    const a = area.current;
    if (!a || f.start === undefined) return;
    a.focus();
    a.setSelectionRange(f.start, f.start);
    setCaret(f.start);
    setCardOpen(true);
  };

  const plainFindings = without && 'findings' in without ? without.findings : undefined;
  const keysOf = (list: Finding[]) => new Set(list.map(findingKey));
  const added = plainFindings ? findings.filter((f) => !keysOf(plainFindings).has(findingKey(f))) : [];
  const removed = plainFindings ? plainFindings.filter((f) => !keysOf(findings).has(findingKey(f))) : [];
  const trialStatus = result && 'trialStatus' in result ? result.trialStatus : undefined;

  return (
    <section id="playground" aria-labelledby="pg-h">
      <h2 id="pg-h">試してみる</h2>
      <p class="muted">いまの設定で確認します（エージェントの画面と同じ結果です）。下書きの中でカーソルを下線に置くとカードが開きます。</p>
      <div class="playground">
        <div class="pg-inputs">
          <label>お客様のメッセージ<textarea data-testid="pg-customer" value={customer} rows={4} onInput={(e) => setCustomer((e.currentTarget as HTMLTextAreaElement).value)} /></label>
          <label for="pg-draft">返信の下書き</label>
          <div class="editor">
            <div class="mirror" ref={mirror} aria-hidden="true" data-testid="pg-mirror">
              {segments(draft, findings).map((s, i) =>
                s.finding ? (
                  <mark key={i} data-severity={s.finding.severity} data-start={s.finding.start} data-end={s.finding.end} data-rule={s.finding.rule}>{s.text}</mark>
                ) : (
                  <span key={i}>{s.text}</span>
                ),
              )}
            </div>
            <textarea
              id="pg-draft"
              ref={area}
              data-testid="pg-draft"
              value={draft}
              rows={8}
              aria-describedby="pg-summary"
              onInput={(e) => {
                setDraft((e.currentTarget as HTMLTextAreaElement).value);
                setIgnored([]);
                trackCaret();
              }}
              onKeyUp={trackCaret}
              onClick={trackCaret}
              onSelect={trackCaret}
              onScroll={syncScroll}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setCardOpen(false);
              }}
            />
          </div>
          <p id="pg-summary" class="muted" aria-live="polite" data-testid="pg-summary">
            {result && 'findings' in result ? (findings.length ? `${findings.length} 件の指摘` : '指摘はありません') : draft.trim() ? '確認しています…' : ''}
            {result && 'findings' in result && !result.tokenizerReady ? '（辞書を読み込み中。語の区切りが必要なルールは後で確認します）' : ''}
          </p>
          <div
            class={`drop${dragging ? ' dragging' : ''}`}
            data-testid="pg-drop"
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              void takeTrial(e.dataTransfer?.files[0]);
            }}
          >
            配布前のパックを重ねて試す（ここにドロップするか選択。追加はされません）:{' '}
            <label class="file-button">
              <input type="file" class="visually-hidden" accept=".yaml,.yml,.json" data-testid="pg-trial" onChange={(e) => void takeTrial((e.currentTarget as HTMLInputElement).files?.[0])} />
              パックを選ぶ…
            </label>
            {trialPack ? (
              <p data-testid="pg-trial-status" data-status={trialStatus?.status ?? ''}>
                {trialPack.name}:{' '}
                {trialStatus
                  ? trialStatus.status === 'active'
                    ? `有効（${trialStatus.ruleCount ?? 0} ルール）`
                    : `読み込めません — ${trialStatus.reason ?? ''}`
                  : '下書きを入力すると試します'}{' '}
                <button type="button" onClick={() => setTrialPack(undefined)}>外す</button>
              </p>
            ) : null}
            {trialPack && plainFindings ? (
              <div class="compare" data-testid="pg-compare">
                <p>このパックがあると: 指摘が {added.length} 件増え、{removed.length} 件減ります。</p>
                {added.length ? <ul data-testid="pg-trial-added">{added.map((f, i) => <li key={i} data-rule={f.rule} data-pack={f.pack}>＋ {f.scope === 'span' ? `「${f.text}」` : '返信全体'} {f.message}</li>)}</ul> : null}
                {removed.length ? <ul data-testid="pg-trial-removed">{removed.map((f, i) => <li key={i} data-rule={f.rule} data-pack={f.pack}>− {f.scope === 'span' ? `「${f.text}」` : '返信全体'} {f.message}</li>)}</ul> : null}
              </div>
            ) : null}
          </div>
        </div>
        <div class="pg-results">
          {cardOpen ? (
            <CardHost findings={atCaret} onApply={apply} onIgnore={(f) => setIgnored((list) => [...list, ignoreKey(f)])} onClose={() => { setCardOpen(false); area.current?.focus(); }} />
          ) : null}
          {result && 'error' in result ? <p class="error">{result.error}</p> : null}
          {result && 'checklist' in result && result.checklist.length ? (
            <>
              <h3>チェックリスト</h3>
              <ul class="checklist" data-testid="pg-checklist">
                {result.checklist.map((item) => (
                  <li key={`${item.pack}/${item.rule}`} data-rule={item.rule} data-state={item.state}>
                    <span class="mark" aria-hidden="true">{item.state === 'satisfied' ? '✓' : item.state === 'missing' ? '!' : '–'}</span>
                    <span class="label">{item.label}</span> <span class="item-state">{CHECK_STATE[item.state]}</span>
                    <div class="reason">{item.reason}</div>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {result && 'findings' in result ? (
            <>
              <h3>指摘</h3>
              <ul class="findings" data-testid="pg-findings">
                {findings.map((f, i) => (
                  <li key={i} data-rule={f.rule} data-pack={f.pack} data-severity={f.severity}>
                    <button type="button" class="finding" disabled={f.scope !== 'span'} onClick={() => focusFinding(f)}>
                      <span class={`sev sev-${f.severity}`}>{SEVERITY_JA[f.severity]}</span> {f.scope === 'span' ? `「${f.text}」` : '返信全体'} {f.message}
                      <span class="muted source-pack" data-testid="pg-finding-pack">
                        {' '}パック: {packName(state, f.pack)}
                        {f.overriddenBy?.length ? `（変更: ${f.overriddenBy.map((p) => packName(state, p)).join('、')}）` : ''}
                      </span>
                    </button>
                  </li>
                ))}
                {findings.length === 0 ? <li class="muted">指摘はありません。</li> : null}
              </ul>
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
