// Options page (Preact): the pack sources with their status (active, refused and why, stale), switching packs off,
// importing a pack file, and a playground that runs a customer message and a draft through the current
// configuration. Messages from packs are rendered as text by Preact, never as markup.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { localStore as store } from '../shared/local-store';
import type { PackStatusRow } from '../distribution/sources';
import { readSettings, SETTINGS_KEY, type AgentSettings } from '../distribution/sources';
import { importFile } from '../distribution/config-file';
import { useLocalValue } from '../shared/use-local-value';
import { PACK_STATUS_KEY, type PlaygroundRequest, type PlaygroundResponse } from '../shared/messages';
import './controls-section';

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

async function updateSettings(change: (s: AgentSettings) => AgentSettings): Promise<void> {
  await store.set(SETTINGS_KEY, change(await readSettings(store)));
}

/** One pack's rules with a switch each; the agent's choice is stored as a toggle (`pack/id`) layered on top. */
function Rules({ row, settings }: { row: PackStatusRow; settings: AgentSettings }) {
  const setRule = (id: string, enabled: boolean) =>
    updateSettings((s) => {
      const rules = { ...(s.toggles.rules ?? {}) };
      const key = `${row.packId}/${id}`;
      if (enabled) delete rules[key];
      else rules[key] = { ...(rules[key] ?? {}), enabled: false };
      return { ...s, toggles: { ...s.toggles, rules } };
    });
  return (
    <details data-testid="rules">
      <summary>ルールを個別にオン・オフする</summary>
      <ul class="rules">
        {(row.rules ?? []).map((r) => {
          const on = settings.toggles.rules?.[`${row.packId}/${r.id}`]?.enabled !== false;
          return (
            <li key={r.id}>
              <label>
                <input type="checkbox" data-rule={`${row.packId}/${r.id}`} checked={on} onChange={(e) => void setRule(r.id, (e.currentTarget as HTMLInputElement).checked)} />{' '}
                <code>{r.id}</code> <span class={`sev-${r.severity}`}>{r.severity}</span> <span class="muted">{r.message}</span>
              </label>
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function Packs() {
  const rows = useLocalValue(PACK_STATUS_KEY, (raw) => (raw as PackStatusRow[] | undefined) ?? []);
  const settings = useLocalValue(SETTINGS_KEY, () => readSettings(store));
  const [message, setMessage] = useState('');
  if (rows === undefined) return <p class="muted">読み込み中…</p>;
  const toggle = (packId: string, on: boolean) =>
    updateSettings((s) => {
      const off = new Set(s.toggles.disabledPacks ?? []);
      if (on) off.delete(packId);
      else off.add(packId);
      return { ...s, toggles: { ...s.toggles, disabledPacks: [...off] } };
    });
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const outcome = importFile(file.name, await file.text());
    if (!outcome.ok) {
      setMessage(outcome.error);
      return;
    }
    if (outcome.kind === 'configuration') {
      await updateSettings(() => outcome.settings);
      setMessage(`${file.name} の設定を取り込みました。${outcome.notes.join(' ')}`);
      return;
    }
    await updateSettings((s) => ({
      ...s,
      filePacks: [...s.filePacks.filter((f) => f.name !== file.name), { name: file.name, text: outcome.text, addedAt: new Date().toISOString() }],
    }));
    setMessage(`${file.name} を追加しました。次の確認から使われます。`);
  };
  return (
    <section>
      <h2>ルールパック</h2>
      {rows.length === 0 ? (
        <p class="muted" data-testid="packs-empty">まだ返信を確認していません。返信欄で入力すると、使われているパックがここに表示されます。</p>
      ) : (
        <table data-testid="packs">
          <thead>
            <tr><th>パック</th><th>提供元</th><th>バージョン</th><th>最終更新</th><th>状態</th><th /></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-key={r.key} data-pack={r.packId ?? ''}>
                <td>
                  {r.name ?? r.key}
                  {r.ruleCount !== undefined ? <div class="muted">{r.ruleCount} ルール</div> : null}
                  {settings && r.packId && r.rules?.length ? <Rules row={r} settings={settings} /> : null}
                </td>
                <td>{ORIGIN_LABEL[r.origin]}</td>
                <td>{r.version ?? '—'}</td>
                <td>{r.lastUpdate ? new Date(r.lastUpdate).toLocaleString('ja-JP') : '—'}</td>
                <td class="status" data-status={r.status}>
                  {STATUS_LABEL[r.status]}
                  {r.reason ? <div class="reason" data-testid="reason">{r.reason}</div> : null}
                </td>
                <td>
                  {r.packId && (r.status === 'active' || r.status === 'disabled') ? (
                    <button type="button" onClick={() => void toggle(r.packId!, r.status === 'disabled')}>
                      {r.status === 'disabled' ? 'オンにする' : 'オフにする'}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <label>
          パックをファイルから追加: <input type="file" accept=".yaml,.yml,.json" data-testid="import" onChange={(e) => void onFile((e.currentTarget as HTMLInputElement).files?.[0])} />
        </label>
      </p>
      {message ? <p class="muted" data-testid="import-message">{message}</p> : null}
    </section>
  );
}

function Playground() {
  const [customer, setCustomer] = useState('');
  const [draft, setDraft] = useState('');
  const [result, setResult] = useState<PlaygroundResponse | { error: string } | undefined>();
  const [trialPack, setTrialPack] = useState<{ name: string; text: string } | undefined>();
  const takeTrial = async (file: File | undefined) => setTrialPack(file ? { name: file.name, text: await file.text() } : undefined);
  useEffect(() => {
    if (draft.trim() === '') {
      setResult(undefined);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      const request: PlaygroundRequest = { type: 'kizuki:playground', draft, ...(customer.trim() ? { customer } : {}), ...(trialPack ? { trialPack } : {}) };
      browser.runtime
        .sendMessage(request)
        .then((r) => !stale && setResult(r as PlaygroundResponse))
        .catch((e: Error) => !stale && setResult({ error: e.message }));
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [customer, draft, trialPack]);
  return (
    <section>
      <h2>試してみる（現在の設定で確認します）</h2>
      <div class="playground">
        <label>お客様のメッセージ<textarea data-testid="pg-customer" value={customer} onInput={(e) => setCustomer((e.currentTarget as HTMLTextAreaElement).value)} /></label>
        <label>返信の下書き<textarea data-testid="pg-draft" value={draft} onInput={(e) => setDraft((e.currentTarget as HTMLTextAreaElement).value)} /></label>
      </div>
      <p
        class="drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void takeTrial(e.dataTransfer?.files[0]);
        }}
      >
        <label>
          配布前のパックを試す（ここにドロップするか選択。追加はされません）:{' '}
          <input type="file" accept=".yaml,.yml,.json" data-testid="pg-trial" onChange={(e) => void takeTrial((e.currentTarget as HTMLInputElement).files?.[0])} />
        </label>
        {trialPack ? (
          <span data-testid="pg-trial-status" data-status={result && 'trialStatus' in result ? result.trialStatus?.status ?? '' : ''}>
            {' '}{trialPack.name}: {result && 'trialStatus' in result && result.trialStatus
              ? result.trialStatus.status === 'active' ? `有効（${result.trialStatus.ruleCount ?? 0} ルール）` : `読み込めません — ${result.trialStatus.reason ?? ''}`
              : '下書きを入力すると試します'}
          </span>
        ) : null}
      </p>
      {result && 'error' in result ? <p class="error">{result.error}</p> : null}
      {result && 'findings' in result ? (
        <ul class="findings" data-testid="pg-findings">
          {result.findings.map((f, i) => (
            <li key={i} data-rule={f.rule} data-pack={f.pack}>
              <span class={`sev-${f.severity}`}>●</span> {f.scope === 'span' ? `「${f.text}」` : '返信全体'} {f.message}{' '}
              <span class="muted">[{f.pack}/{f.rule}]</span>
            </li>
          ))}
          {result.findings.length === 0 ? <li class="muted">指摘はありません。</li> : null}
        </ul>
      ) : null}
    </section>
  );
}

function Options() {
  return (
    <main>
      <h1>kizuki の設定</h1>
      <Packs />
      <Playground />
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
