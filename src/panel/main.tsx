// Side panel (Chrome) / sidebar (Firefox): checklist, findings, and the customer message used, for one tab.
// `panel.html?tab=<id>` binds to that tab; otherwise it follows the active tab of its window.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { TabState, RevealRequest, SiteToggleRequest, InsertRequest } from '../shared/messages';
import { tabStateKey } from '../shared/messages';
import { adapters, hostMatches } from '../content/adapters';
import { labels, type Labels } from './i18n';
import type { ChecklistItem, Finding } from '../engine/types';
import { describeLimits } from '../engine/limits';
import { useLocalValue } from '../shared/use-local-value';
import { emptyStats, isoWeek, statsToCsv, STATS_KEY, trend, type StatsData } from '../stats/local-stats';
import { CHART_COLORS, CHART_LEGEND, weekBars } from '../stats/chart';
import { PACK_STATUS_KEY } from '../shared/messages';
import type { PackStatusRow } from '../distribution/sources';
import { ct, DismissedSection, PauseControls } from './controls';

const t: Labels = labels(browser.i18n.getUILanguage());
document.documentElement.lang = browser.i18n.getUILanguage().toLowerCase().startsWith('ja') ? 'ja' : 'en';
const boundTab = Number(new URLSearchParams(location.search).get('tab')) || undefined;

function useTabId(): number | undefined {
  const [tabId, setTabId] = useState<number | undefined>(boundTab);
  useEffect(() => {
    if (boundTab !== undefined) return;
    let windowId: number | undefined;
    void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
      windowId = tab?.windowId;
      setTabId(tab?.id);
    });
    const onActivated = (info: { tabId: number; windowId: number }) => {
      if (windowId === undefined || info.windowId === windowId) setTabId(info.tabId);
    };
    browser.tabs.onActivated.addListener(onActivated);
    return () => browser.tabs.onActivated.removeListener(onActivated);
  }, []);
  return tabId;
}

function useTabState(tabId: number | undefined): TabState | null | undefined {
  // undefined = still loading; null = nothing reported for this tab yet.
  const [state, setState] = useState<TabState | null | undefined>(undefined);
  useEffect(() => {
    if (tabId === undefined) return;
    const key = tabStateKey(tabId);
    setState(undefined);
    void browser.storage.session.get(key).then((got) => setState((got[key] as TabState | undefined) ?? null));
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === 'session' && key in changes) setState((changes[key]!.newValue as TabState | undefined) ?? null);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, [tabId]);
  return state;
}

function StateLine({ state }: { state: TabState | null | undefined }) {
  let kind: 'loading' | 'empty' | 'paused' | 'empty-draft' | 'ready';
  let text: string;
  // undefined: still reading; null: nothing ever reported for this tab (no reply box kizuki runs on).
  if (state === undefined) [kind, text] = ['loading', t.loading];
  else if (state === null) [kind, text] = ['empty', ct.noReplyBox];
  else if (state.status === 'paused') [kind, text] = ['paused', ct.paused];
  else if (state.status === 'none') [kind, text] = ['empty', t.noEditor];
  else if (state.status === 'note') [kind, text] = ['empty', t.note];
  else if (state.draftLength === 0) [kind, text] = ['empty-draft', ct.emptyDraft];
  else if (state.findings.length === 0) [kind, text] = ['ready', t.noFindings];
  else [kind, text] = ['ready', `${t.findings}: ${state.findings.length}`];
  return (
    <p class="state" data-testid="state" data-state={kind}>
      {text}
      {state?.status === 'ready' && !state.tokenizerReady && <span class="sub">{t.dictionaryLoading}</span>}
      {state?.status === 'ready' && state.limits && <span class="sub limits" data-testid="limits">{describeLimits(state.limits)}</span>}
    </p>
  );
}

const STATE_TEXT = (s: ChecklistItem['state']) => (s === 'satisfied' ? t.satisfied : s === 'missing' ? t.missing : t.notRequired);

/** The reply-level finding behind a missing checklist item: its suggestion and, for escalation, its steps. */
const findingFor = (item: ChecklistItem, findings: Finding[]) =>
  findings.find((f) => f.scope === 'reply' && f.rule === item.rule && f.pack === item.pack);

function Checklist({ items, findings, tabId, emptyDraft }: { items: ChecklistItem[]; findings: Finding[]; tabId: number; emptyDraft: boolean }) {
  const [status, setStatus] = useState<Record<string, string>>({});
  const insert = async (finding: Finding, index: number) => {
    const request: InsertRequest = { type: 'kizuki:insert', rule: finding.rule, pack: finding.pack, index };
    try {
      const outcome = (await browser.tabs.sendMessage(tabId, request)) as { ok: boolean; message: string } | undefined;
      setStatus((s) => ({ ...s, [finding.rule]: outcome?.message ?? t.insertFailed }));
    } catch {
      setStatus((s) => ({ ...s, [finding.rule]: t.insertFailed }));
    }
  };
  return (
    <section>
      <h2>{t.checklist}</h2>
      <ul class="checklist" data-testid="checklist">
        {items.map((item) => {
          // An empty draft has nothing missing yet: what is required is still to do.
          const todo = emptyDraft && item.state === 'missing';
          const finding = item.state === 'missing' && !todo ? findingFor(item, findings) : undefined;
          return (
            <li key={item.rule} data-category={item.category} data-state={todo ? 'todo' : item.state} data-rule={item.rule} title={item.reason}>
              <span class="mark" aria-hidden="true">{todo ? '○' : item.state === 'satisfied' ? '✓' : item.state === 'missing' ? '!' : '–'}</span>
              <span class="label">{item.label}</span>
              <span class="item-state">{todo ? ct.todo : STATE_TEXT(item.state)}</span>
              <span class="reason">{item.reason}</span>
              {finding && (
                <div class="guidance" data-testid="guidance">
                  {finding.description && <p class="steps" data-testid="steps">{finding.description}</p>}
                  {finding.suggestions.map((s, i) => (
                    <div class="insert" key={i}>
                      <q>{s.text}</q>
                      <button type="button" data-testid="insert" data-suggestion-index={i} onClick={() => void insert(finding, i)}>
                        {t.insert}
                      </button>
                    </div>
                  ))}
                  {status[finding.rule] && <p class="sub" data-testid="insert-status" aria-live="polite">{status[finding.rule]}</p>}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Findings({ findings, tabId }: { findings: Finding[]; tabId: number }) {
  const reveal = (f: Finding) => {
    if (f.start === undefined || f.end === undefined) return;
    const request: RevealRequest = { type: 'kizuki:reveal', start: f.start, end: f.end };
    void browser.tabs.sendMessage(tabId, request).catch(() => {});
  };
  return (
    <section>
      <h2>{t.findings}</h2>
      <ul class="findings" data-testid="findings">
        {findings.map((f, i) => (
          <li key={`${f.rule}:${f.start ?? 'r'}:${i}`} data-rule={f.rule} data-severity={f.severity} data-category={f.category}>
            <button type="button" onClick={() => reveal(f)} disabled={f.scope !== 'span'}>
              <span class={`sev sev-${f.severity}`} />
              <span class="quote">{f.scope === 'span' ? `「${f.text}」` : t.reply}</span>
              <span class="message">{f.message}</span>
              {(f.pack !== 'builtin' || f.overriddenBy?.length) && (
                // Only packs other than the built-in one are named (the built-in pack is the default).
                <span class="source" data-testid="finding-pack">
                  {f.pack !== 'builtin' && `${t.fromPack}: ${f.pack}`}
                  {f.overriddenBy?.length ? `${f.pack !== 'builtin' ? '（' : ''}${t.changedBy}: ${f.overriddenBy.join('、')}${f.pack !== 'builtin' ? '）' : ''}` : ''}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Customer({ state }: { state: TabState }) {
  return (
    <section>
      <h2>{t.customer}</h2>
      <blockquote class="customer" data-testid="customer" data-found={state.customer ? 'true' : 'false'}>
        {state.customer ?? t.noCustomer}
      </blockquote>
    </section>
  );
}

/** Whether the manifest's own content scripts already run on this URL (then the site cannot be switched off here). */
function coveredByManifest(url: URL): boolean {
  const patterns = (browser.runtime.getManifest().content_scripts ?? []).flatMap((c) => c.matches ?? []);
  return patterns.some((pattern) => {
    const m = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
    if (!m) return false;
    const scheme = m[1] === '*' ? ['http:', 'https:'] : [m[1] + ':'];
    return scheme.includes(url.protocol) && hostMatches(m[2]!.replace(/:\d+$/, ''), url.hostname);
  });
}

function SiteToggle({ tabId }: { tabId: number }) {
  const [origin, setOrigin] = useState<string | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    void browser.tabs.get(tabId).then(async (tab) => {
      if (!tab.url || !/^https?:/.test(tab.url)) return setOrigin(null);
      const url = new URL(tab.url);
      // Helpdesks (and whatever the manifest itself covers) are on by default; the toggle is for everything else.
      if (adapters.some((a) => a.hosts.some((h) => hostMatches(h, url.hostname))) || coveredByManifest(url)) return setOrigin(null);
      setOrigin(url.origin);
      setEnabled(await browser.permissions.contains({ origins: [`${url.origin}/*`] }));
    }).catch(() => setOrigin(null));
  }, [tabId]);
  if (!origin) return null;
  const toggle = async () => {
    setError('');
    try {
      if (!enabled && !(await browser.permissions.request({ origins: [`${origin}/*`] }))) return;
      const request: SiteToggleRequest = { type: 'kizuki:site-toggle', tabId, origin, enable: !enabled };
      const result = (await browser.runtime.sendMessage(request)) as { ok: boolean; error?: string };
      if (!result.ok) throw new Error(result.error);
      setEnabled(!enabled);
    } catch (e) {
      setError(`${t.siteError}: ${(e as Error).message}`);
    }
  };
  return (
    <section class="site" data-testid="site">
      <h2>{t.site}: {origin}</h2>
      <button type="button" onClick={toggle} data-enabled={String(enabled)}>{enabled ? t.disableSite : t.enableSite}</button>
      <p class="sub">{t.siteHelp}</p>
      {error && <p class="error">{error}</p>}
    </section>
  );
}

/** The agent's own counts (never text), last 4 weeks: a small chart per week, and the rules that fired most, by name. */
function MyStats() {
  const data = useLocalValue(STATS_KEY, (raw) => (raw as StatsData | undefined) ?? emptyStats());
  const rows = useLocalValue(PACK_STATUS_KEY, (raw) => (raw as PackStatusRow[] | undefined) ?? []);
  // A fresh profile has no stored pack status (rule names) yet: ask the background to store it.
  useEffect(() => {
    if (rows?.length === 0) void browser.runtime.sendMessage({ type: 'kizuki:console', op: 'status' }).catch(() => {});
  }, [rows?.length === 0]);
  if (!data) return null;
  const now = new Date();
  const weeks = trend(data, null, 4, now);
  const totals = new Map<string, [number, number, number]>();
  for (const { week } of weeks) {
    for (const [rule, counts] of Object.entries(data.weeks[week] ?? {})) {
      const sum = totals.get(rule) ?? [0, 0, 0];
      totals.set(rule, [sum[0] + counts[0], sum[1] + counts[1], sum[2] + counts[2]]);
    }
  }
  const top = [...totals.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 5);
  // Names from the pack status the engine host stores: a requirement's label, else the message as the agent sees it.
  const nameOf = (rule: string) => {
    const [pack, id] = rule.split('/');
    const r = rows?.find((row) => row.packId === pack)?.rules?.find((x) => x.id === id);
    return r?.label ?? r?.title ?? rule;
  };
  const { bars } = weekBars(weeks, 240, 56);
  const exportCsv = () => {
    const url = URL.createObjectURL(new Blob([statsToCsv(data)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `kizuki-stats-${isoWeek(now)}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section data-testid="stats">
      <h2>{t.stats}</h2>
      <svg class="week-chart" data-testid="stats-trend" viewBox="0 0 240 72" role="img" aria-label={bars.map((b) => b.title).join('。')}>
        <line x1="0" y1="56" x2="240" y2="56" stroke="#94a3b8" />
        {bars.map((b) => (
          <g key={b.week}>
            <title>{b.title}</title>
            {b.segments.map((seg) => <rect key={seg.kind} x={b.x} y={seg.y} width={b.width} height={seg.height} fill={CHART_COLORS[seg.kind]} />)}
            <text x={b.x + b.width / 2} y="69" text-anchor="middle">{b.label}</text>
          </g>
        ))}
      </svg>
      <p class="sub legend">{(Object.keys(CHART_LEGEND) as (keyof typeof CHART_LEGEND)[]).map((k) => <span key={k}><i style={{ background: CHART_COLORS[k] }} />{CHART_LEGEND[k]}</span>)}</p>
      {top.length === 0 ? (
        <p class="sub">{t.noStats}</p>
      ) : (
        <table class="stats">
          <thead><tr><th>{t.rule}</th><th>{t.fired}</th><th>{t.applied}</th><th>{t.ignored}</th></tr></thead>
          <tbody>
            {top.map(([rule, [fired, applied, ignored]]) => (
              <tr key={rule} data-rule={rule}><td class="rule-name" title={`${nameOf(rule)}（${rule}）`}><span>{nameOf(rule)}</span></td><td>{fired}</td><td>{applied}</td><td>{ignored}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" class="link" data-testid="stats-export" onClick={exportCsv}>{t.exportCsv}</button>
      <p class="sub">{t.statsPrivacy}</p>
    </section>
  );
}

function App() {
  const tabId = useTabId();
  const state = useTabState(tabId);
  return (
    <main>
      <h1>{t.title}</h1>
      <StateLine state={state} />
      {state && state.status === 'ready' && tabId !== undefined && (
        <>
          <Checklist items={state.checklist} findings={state.findings} tabId={tabId} emptyDraft={state.draftLength === 0} />
          {state.findings.length > 0 && state.draftLength > 0 && <Findings findings={state.findings} tabId={tabId} />}
        </>
      )}
      {state && state.status !== 'none' && <Customer state={state} />}
      {tabId !== undefined && <PauseControls tabId={tabId} />}
      {tabId !== undefined && <SiteToggle tabId={tabId} />}
      <DismissedSection />
      <MyStats />
    </main>
  );
}

render(<App />, document.getElementById('app')!);
