// The pack sources in layer order, and adding packs: from a file, a URL (https, optional sha256 pin, update
// interval) or pasted YAML. A pack is checked at once, as it would run (schema, RE2 regexes, examples with the
// tokenizer, locks), and is added only when accepted; a refusal lists every error at its line and column beside
// the source. Each pack can be switched off (unless locked), removed (the agent's own), updated now (URLs), and its
// source and its changes since the previous stored version shown.
import { useState } from 'preact/hooks';
import { importFile, exportConfiguration } from '../distribution/config-file';
import type { PackStatusRow } from '../distribution/sources';
import type { SubscriptionState } from '../distribution/subscription';
import { describeLocatedError, type LocatedError } from '../authoring/locate';
import { diffLines } from '../authoring/diff';
import type { ConsoleFetchResponse } from '../shared/console-protocol';
import { locatePackErrors } from '../authoring/locate';
import { checkCandidate, send, type ConsoleState, type Verdict } from './model';
import { RuleItem, updateSettings } from './rules';
import { download } from './download';

const ORIGIN_LABEL: Record<PackStatusRow['origin'], string> = {
  builtin: '標準',
  'managed-inline': '管理者（ポリシー）',
  'managed-url': '管理者（URL）',
  'agent-url': '個人（URL）',
  'agent-file': '個人（ファイル）',
};
const STATUS_LABEL: Record<PackStatusRow['status'], string> = {
  active: '有効',
  refused: '読み込めません',
  stale: '更新できていません',
  pending: '未取得',
  disabled: 'オフ',
};
export const INTERVALS: [number, string][] = [[15, '15 分ごと'], [60, '1 時間ごと'], [360, '6 時間ごと'], [1440, '1 日ごと']];

function Errors({ errors, testid = 'errors' }: { errors: LocatedError[]; testid?: string }) {
  return (
    <ul class="errors" data-testid={testid}>
      {errors.map((e, i) => (
        <li key={i} data-line={e.line ?? ''} data-column={e.column ?? ''}>{describeLocatedError(e)}</li>
      ))}
    </ul>
  );
}

/** The pack's text with line numbers; lines with an error are marked and say which. */
export function Source({ text, errors = [] }: { text: string; errors?: LocatedError[] }) {
  const byLine = new Map<number, LocatedError[]>();
  for (const e of errors) if (e.line) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  return (
    <ol class="source" data-testid="source" tabIndex={0} aria-label="パックの内容">
      {text.split(/\r?\n/).map((line, i) => {
        const here = byLine.get(i + 1);
        return (
          <li key={i} class={here ? 'has-error' : ''} data-line={i + 1}>
            <code>{line || ' '}</code>
            {here?.map((e, j) => <span key={j} class="inline-error">{e.column ? `${e.column} 列: ` : ''}{e.message}</span>)}
          </li>
        );
      })}
    </ol>
  );
}

function Diff({ before, after }: { before: string; after: string }) {
  const lines = diffLines(before, after);
  const changed = lines.filter((l) => l.kind !== 'same').length;
  return (
    <div data-testid="diff">
      <p class="muted">前の版からの変更: {changed === 0 ? 'なし' : `${changed} 行`}</p>
      <ol class="source diff">
        {lines.map((l, i) => (
          <li key={i} class={l.kind} data-kind={l.kind}>
            <span class="diff-mark" aria-label={l.kind === 'added' ? '追加' : l.kind === 'removed' ? '削除' : ''}>{l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' '}</span>
            <code>{l.text || ' '}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}

function sourceText(state: ConsoleState, row: PackStatusRow): { text?: string; previous?: string } {
  const source = state.config.sources.find((s) => s.key === row.key);
  if (row.origin === 'agent-file') {
    const f = state.config.settings.filePacks.find((p) => `file:${p.name}` === row.key);
    return { text: f?.text, previous: f?.previous?.text };
  }
  return { text: source?.text, previous: (source?.subscription as SubscriptionState | undefined)?.previous?.text };
}

function PackRow({ state, row }: { state: ConsoleState; row: PackStatusRow }) {
  const [view, setView] = useState<'' | 'source' | 'diff'>('');
  const [busy, setBusy] = useState('');
  const m = state.config.managed;
  const locked = !!row.packId && m.locked.packs.includes(row.packId);
  const canToggle = !locked && !state.policyPending && m.allowAgentRuleToggles && !!row.packId && (row.status === 'active' || row.status === 'disabled');
  const mine = row.origin === 'agent-url' || row.origin === 'agent-file';
  const isUrl = row.origin === 'agent-url' || row.origin === 'managed-url';
  const { text, previous } = sourceText(state, row);
  const errors = state.errors.get(row.key) ?? [];
  const pack = row.packId ? state.packs.find((p) => p.id === row.packId) : undefined;
  const label = row.name ?? row.key;
  const toggle = () =>
    updateSettings((s) => {
      const off = new Set(s.toggles.disabledPacks ?? []);
      if (row.status === 'disabled') off.delete(row.packId!);
      else off.add(row.packId!);
      return { ...s, toggles: { ...s.toggles, disabledPacks: [...off] } };
    });
  const [confirming, setConfirming] = useState(false);
  const remove = async () => {
    setConfirming(false);
    await updateSettings((s) => ({
      ...s,
      subscriptions: s.subscriptions.filter((p) => p.url !== row.key),
      filePacks: s.filePacks.filter((f) => `file:${f.name}` !== row.key),
    }));
  };
  const updateNow = async () => {
    setBusy('確認しています…');
    const result = await send<ConsoleFetchResponse>({ type: 'kizuki:console', op: 'update-now', url: row.key });
    setBusy(result.state.status === 'active' ? `確認しました（${new Date().toLocaleTimeString('ja-JP')}）` : `更新できませんでした: ${result.state.reason ?? ''}`);
  };
  return (
    <tr data-key={row.key} data-pack={row.packId ?? ''} data-locked={String(locked)}>
      <td class="pack-cell">
        <div class="pack-name">
          {locked ? <span class="lock" data-testid="pack-lock" title="管理者がこのパックを固定しています" aria-label="固定">🔒 </span> : null}
          {label}
        </div>
        <div class="muted">{row.packId ? <code>{row.packId}</code> : <span class="key">{row.key}</span>}{row.ruleCount !== undefined ? `・${row.ruleCount} ルール` : ''}</div>
        {pack && pack.rules.length ? (
          <details data-testid="rules">
            <summary>ルールを見る</summary>
            <ul class="rule-list compact">{pack.rules.map((r) => <RuleItem key={r.id} state={state} rule={r} detailed={false} />)}</ul>
            <p class="muted">オン・オフは下の「いま使われているルール」で切り替えます。</p>
          </details>
        ) : null}
        {view === 'source' && text !== undefined ? <Source text={text} errors={errors} /> : null}
        {view === 'diff' && text !== undefined && previous !== undefined ? <Diff before={previous} after={text} /> : null}
      </td>
      <td>{ORIGIN_LABEL[row.origin]}{isUrl ? <div class="muted url">{row.key}</div> : null}</td>
      <td>{row.version ?? '—'}</td>
      <td>{row.lastUpdate ? new Date(row.lastUpdate).toLocaleString('ja-JP') : '—'}</td>
      <td class="status" data-status={row.status}>
        {STATUS_LABEL[row.status]}
        {row.status !== 'active' && row.reason ? (
          <div class="reason" data-testid="reason">{state.errors.get(row.key) ? <Errors errors={state.errors.get(row.key)!} /> : row.reason}</div>
        ) : null}
      </td>
      <td class="actions">
        {canToggle ? (
          <button type="button" data-action="toggle" onClick={() => void toggle()}>{row.status === 'disabled' ? 'オンにする' : 'オフにする'}</button>
        ) : locked ? <span class="muted">固定</span> : null}
        {text !== undefined ? <button type="button" data-action="source" aria-pressed={view === 'source'} onClick={() => setView(view === 'source' ? '' : 'source')}>内容</button> : null}
        {previous !== undefined ? <button type="button" data-action="diff" aria-pressed={view === 'diff'} onClick={() => setView(view === 'diff' ? '' : 'diff')}>変更点</button> : null}
        {isUrl ? <button type="button" data-action="update" onClick={() => void updateNow()}>今すぐ更新</button> : null}
        {mine && !confirming ? <button type="button" class="danger" data-action="remove" onClick={() => setConfirming(true)}>削除</button> : null}
        {mine && confirming ? (
          <span class="confirm" role="group" aria-label={`「${label}」を削除しますか`}>
            <button type="button" class="danger" data-action="remove-confirm" onClick={() => void remove()} ref={(b) => b?.focus()}>削除する</button>
            <button type="button" data-action="remove-cancel" onClick={() => setConfirming(false)}>やめる</button>
          </span>
        ) : null}
        {busy ? <div class="muted" aria-live="polite" data-testid="update-status">{busy}</div> : null}
      </td>
    </tr>
  );
}

type AddResult = { status: 'added' | 'refused' | 'info'; title: string; verdict?: Verdict; text?: string };

function AddPacks({ state }: { state: ConsoleState }) {
  const [mode, setMode] = useState<'file' | 'url' | 'paste'>('file');
  const [result, setResult] = useState<AddResult | undefined>();
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState('');
  const [sha, setSha] = useState('');
  const [interval, setInterval] = useState(360);
  const [paste, setPaste] = useState('');
  const allowed = state.config.managed.allowAgentPacks;

  const addText = async (name: string, text: string, origin: 'agent-file'): Promise<void> => {
    const key = `file:${name}`;
    const verdict = await checkCandidate(state, key, origin, text);
    if (!verdict.ok) return setResult({ status: 'refused', title: `${name} は追加しませんでした`, verdict, text });
    await updateSettings((s) => {
      const old = s.filePacks.find((f) => f.name === name);
      return {
        ...s,
        filePacks: [
          ...s.filePacks.filter((f) => f.name !== name),
          { name, text, addedAt: new Date().toISOString(), ...(old && old.text !== text ? { previous: { text: old.text, addedAt: old.addedAt } } : old?.previous ? { previous: old.previous } : {}) },
        ],
      };
    });
    setResult({ status: 'added', title: `「${verdict.pack!.name}」（${verdict.pack!.rules} ルール）を追加しました。すぐに使われます。`, verdict });
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setResult(undefined);
    try {
      await work();
    } catch (e) {
      setResult({ status: 'refused', title: `確認できませんでした: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  const onFile = (file: File | undefined) =>
    file &&
    run(async () => {
      const text = await file.text();
      const outcome = importFile(file.name, text);
      if (!outcome.ok) {
        const verdict = await checkCandidate(state, `file:${file.name}`, 'agent-file', text);
        return setResult({ status: 'refused', title: `${file.name} は追加しませんでした`, verdict, text });
      }
      if (outcome.kind === 'configuration') {
        await updateSettings(() => outcome.settings);
        return setResult({ status: 'added', title: `${file.name} の設定を取り込みました。${outcome.notes.join(' ')}` });
      }
      await addText(file.name, text, 'agent-file');
    });

  const onUrl = () =>
    run(async () => {
      const target = url.trim();
      if (sha.trim() && !/^[0-9a-fA-F]{64}$/.test(sha.trim())) return setResult({ status: 'refused', title: 'sha256 は 64 桁の 16 進数です' });
      if (state.config.settings.subscriptions.some((s) => s.url === target) || state.config.managed.packs.some((p) => p.url === target)) {
        return setResult({ status: 'refused', title: 'この URL はすでに登録されています' });
      }
      const fetched = await send<ConsoleFetchResponse>({ type: 'kizuki:console', op: 'fetch-url', url: target, ...(sha.trim() ? { sha256: sha.trim() } : {}) });
      const text = fetched.text ?? fetched.state.good?.text;
      if (fetched.state.status !== 'active' || !text) {
        const errors = fetched.errors && text ? locatePackErrors(text, fetched.errors) : [{ file: target, message: fetched.state.reason ?? 'ダウンロードできませんでした' }];
        return setResult({ status: 'refused', title: `${target} は追加しませんでした`, verdict: { ok: false, errors, warnings: [] }, ...(text ? { text } : {}) });
      }
      const verdict = await checkCandidate(state, target, 'agent-url', text);
      if (!verdict.ok) return setResult({ status: 'refused', title: `${target} は追加しませんでした`, verdict, text });
      await send({ type: 'kizuki:console', op: 'add-url', url: target, ...(sha.trim() ? { sha256: sha.trim() } : {}), updateIntervalMinutes: interval, state: fetched.state });
      setUrl('');
      setSha('');
      setResult({ status: 'added', title: `「${verdict.pack!.name}」（${verdict.pack!.rules} ルール）を登録しました。${INTERVALS.find(([m]) => m === interval)?.[1] ?? ''}に更新を確認します。`, verdict });
    });

  const onPaste = () =>
    run(async () => {
      const id = /^id:\s*([a-z0-9][a-z0-9._-]*)\s*$/m.exec(paste)?.[1] ?? /"id"\s*:\s*"([a-z0-9][a-z0-9._-]*)"/.exec(paste)?.[1] ?? 'pasted';
      await addText(`${id}.yaml`, paste, 'agent-file');
    });

  return (
    <div class="add" data-testid="add">
      <h3>パックを追加する</h3>
      {!allowed ? <p class="muted">管理者の設定により、個人でパックを追加することはできません。</p> : null}
      <div role="tablist" aria-label="追加の方法" class="tabs">
        {([['file', 'ファイルから'], ['url', 'URL から'], ['paste', '貼り付けて']] as const).map(([m, label]) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} data-testid={`add-tab-${m}`} onClick={() => { setMode(m); setResult(undefined); }}>{label}</button>
        ))}
      </div>
      {mode === 'file' ? (
        <p>
          パック（.yaml / .json）か書き出した設定ファイル:{' '}
          <label class="file-button">
            <input type="file" class="visually-hidden" accept=".yaml,.yml,.json" data-testid="import" disabled={busy} onChange={(e) => { const input = e.currentTarget as HTMLInputElement; void onFile(input.files?.[0]); input.value = ''; }} />
            ファイルを選ぶ…
          </label>
        </p>
      ) : null}
      {mode === 'url' ? (
        <form class="url-form" onSubmit={(e) => { e.preventDefault(); void onUrl(); }}>
          <label>URL（https）<input type="url" required data-testid="add-url" value={url} placeholder="https://intranet.example.co.jp/kizuki/team.yaml" onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)} /></label>
          <label>sha256（任意。指定するとこの内容以外は受け付けません）<input type="text" data-testid="add-sha256" value={sha} pattern="[0-9a-fA-F]{64}" spellcheck={false} onInput={(e) => setSha((e.currentTarget as HTMLInputElement).value)} /></label>
          <label>更新の確認{' '}
            <select data-testid="add-interval" value={String(interval)} onChange={(e) => setInterval(Number((e.currentTarget as HTMLSelectElement).value))}>
              {INTERVALS.map(([m, label]) => <option key={m} value={String(m)}>{label}</option>)}
            </select>
          </label>
          <button type="submit" data-testid="add-url-submit" disabled={busy || !url.trim()}>確認して追加</button>
          <p class="muted">パックのサーバーは、拡張機能からの読み込みを許可（CORS）している必要があります。</p>
        </form>
      ) : null}
      {mode === 'paste' ? (
        <form onSubmit={(e) => { e.preventDefault(); void onPaste(); }}>
          <label>パックの YAML / JSON<textarea data-testid="add-paste" class="code" rows={10} value={paste} spellcheck={false} onInput={(e) => setPaste((e.currentTarget as HTMLTextAreaElement).value)} /></label>
          <button type="submit" data-testid="add-paste-submit" disabled={busy || !paste.trim()}>確認して追加</button>
        </form>
      ) : null}
      {busy ? <p class="muted" aria-live="polite">確認しています…（例文を実行しています）</p> : null}
      {result ? (
        <div class={`result ${result.status}`} data-testid="add-result" data-status={result.status} role={result.status === 'refused' ? 'alert' : 'status'}>
          <p>{result.title}</p>
          {result.verdict && result.verdict.errors.length ? <><p>{result.verdict.errors.length} 件の問題があります:</p><Errors errors={result.verdict.errors} testid="add-errors" /></> : null}
          {result.verdict?.warnings.length ? <ul class="warnings">{result.verdict.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul> : null}
          {result.status === 'refused' && result.text ? <Source text={result.text} errors={result.verdict?.errors ?? []} /> : null}
        </div>
      ) : null}
    </div>
  );
}

export function PacksSection({ state }: { state: ConsoleState }) {
  const exportConfig = () => {
    const text = exportConfiguration(state.config.managed, state.config.settings, state.rows, new Date());
    download(`kizuki-config-${new Date().toISOString().slice(0, 10)}.json`, text, 'application/json');
  };
  return (
    <section id="packs" aria-labelledby="packs-h">
      <h2 id="packs-h">ルールパック</h2>
      <p class="muted">上から順に重ねて使います（標準 → 管理者 → 個人）。{state.tokenizerReady ? '' : '辞書を読み込み中です。語の区切りが必要な例文は読み込み後に確認します。'}</p>
      {state.policyPending ? <p class="muted" data-testid="policy-pending">管理者の設定を確認しています。確認できるまで、オン・オフは切り替えられません。</p> : null}
      {state.config.policyProblems.length ? <ul class="errors">{state.config.policyProblems.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
      <table data-testid="packs">
        <thead>
          <tr><th>パック</th><th>提供元</th><th>バージョン</th><th>最終更新</th><th>状態</th><th>操作</th></tr>
        </thead>
        <tbody>
          {state.rows.map((r) => <PackRow key={r.key} state={state} row={r} />)}
        </tbody>
      </table>
      {state.issues.filter((i) => i.severity === 'error').length ? (
        <div class="issues" data-testid="issues">
          <p>使われていない上書き:</p>
          <ul>{state.issues.filter((i) => i.severity === 'error').map((i, n) => <li key={n}>{i.pack}: {i.message}</li>)}</ul>
        </div>
      ) : null}
      <AddPacks state={state} />
      <p><button type="button" data-testid="export-config" onClick={exportConfig}>設定を書き出す（JSON）</button> <span class="muted">個人のパックとオン・オフを、別の端末やサポートへの問い合わせに使えます。</span></p>
    </section>
  );
}
