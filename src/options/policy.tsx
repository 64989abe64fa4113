// Distribution help for IT: the managed policy for the configuration set up on this page (the lead's own packs and
// rule switches included), with the locks and permissions chosen here, in the form each browser takes it, checked
// against schema/managed.json, with copy and download buttons.
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import managedSchema from '../../schema/managed.json';
import { validateSchema, formatPath } from '../engine/schema';
import { chromePolicyFile, firefoxManagedStorageFile, firefoxPoliciesFile, googleAdminPolicy, policyFromConfiguration } from '../distribution/policy';
import type { ConsoleState } from './model';
import { download } from './download';
import { INTERVALS } from './packs';

const GECKO_ID = 'kizuki@kizuki.dev';
type Target = 'chrome' | 'google' | 'firefox' | 'firefox-storage';

export function PolicySection({ state }: { state: ConsoleState }) {
  const m = state.config.managed;
  const active = state.rows.filter((r) => r.packId && (r.status === 'active' || r.status === 'stale'));
  const [lockedPacks, setLockedPacks] = useState<string[]>(m.locked.packs);
  const [lockedRules, setLockedRules] = useState(m.locked.rules.join('\n'));
  const [allowAgentPacks, setAllowAgentPacks] = useState(m.allowAgentPacks);
  const [allowAgentRuleToggles, setAllowToggles] = useState(m.allowAgentRuleToggles);
  const [updateIntervalMinutes, setInterval] = useState(m.updateIntervalMinutes);
  const [includeToggles, setIncludeToggles] = useState(true);
  const [target, setTarget] = useState<Target>('chrome');
  const [copied, setCopied] = useState('');

  const policy = policyFromConfiguration(m, state.config.settings, (key) => state.rows.find((r) => r.key === key)?.packId, {
    lockedPacks,
    lockedRules: lockedRules.split(/\s+/).filter(Boolean),
    allowAgentPacks,
    allowAgentRuleToggles,
    updateIntervalMinutes,
    includeToggles,
  });
  const schemaErrors = validateSchema(policy, managedSchema as Record<string, unknown>);
  const unknownRules = lockedRules.split(/\s+/).filter(Boolean).filter((id) => !state.packs.some((p) => p.rules.some((r) => `${r.pack}/${r.id}` === id)));
  const extensionId = browser.runtime.id;
  const files: Record<Target, { label: string; file: string; text: string; where: string }> = {
    chrome: {
      label: 'Chrome / Edge（ポリシーファイル）',
      file: 'kizuki-chrome-policy.json',
      text: chromePolicyFile(extensionId.includes('@') ? '<Chrome の拡張機能 ID>' : extensionId, policy),
      where: 'Linux は /etc/opt/chrome/policies/managed/（Edge は /etc/opt/edge/policies/managed/）に置きます。Windows ではグループポリシーの「3rdparty\\extensions\\<拡張機能 ID>\\policy」に同じ値を設定します。',
    },
    google: {
      label: 'Google 管理コンソール',
      file: 'kizuki-google-admin.json',
      text: googleAdminPolicy(policy),
      where: '管理コンソールの「Chrome ブラウザ > アプリと拡張機能」で kizuki を選び、「拡張機能に適用するポリシー」に貼り付けます。',
    },
    firefox: {
      label: 'Firefox（policies.json）',
      file: 'policies.json',
      text: firefoxPoliciesFile(GECKO_ID, policy),
      where: 'Firefox のインストール先の distribution/ フォルダー（Linux は /etc/firefox/policies/ も可）に置きます。すでに policies.json がある場合は "3rdparty" の部分を追加します。',
    },
    'firefox-storage': {
      label: 'Firefox（managed storage）',
      file: `${GECKO_ID}.json`,
      text: firefoxManagedStorageFile(GECKO_ID, policy),
      where: '利用者ごとなら ~/.mozilla/managed-storage/、端末全体なら /usr/lib/mozilla/managed-storage/ に置きます。',
    },
  };
  const current = files[target];
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(current.text);
      setCopied('コピーしました');
    } catch {
      setCopied('コピーできませんでした。テキストを選択してコピーしてください');
    }
  };
  const togglePackLock = (id: string, on: boolean) => setLockedPacks((list) => (on ? [...new Set([...list, id])] : list.filter((p) => p !== id)));

  return (
    <section id="policy" aria-labelledby="policy-h">
      <h2 id="policy-h">チームに配布する（IT 担当者向け）</h2>
      <p class="muted">
        このページの設定（あなたが追加したパックとルールのオン・オフを含む）を、組織のポリシーとして全員に配布するための JSON です。
        パックの URL は各ブラウザーが直接取得し、ファイルで追加したパックはポリシーの中に含めます。返信の文章はどこにも送られません。
      </p>
      <div class="policy-grid">
        <fieldset>
          <legend>固定するパック（エージェントがオフにできません）</legend>
          {active.map((r) => (
            <label key={r.key} class="check">
              <input type="checkbox" data-testid="policy-lock-pack" data-pack={r.packId} checked={lockedPacks.includes(r.packId!)} onChange={(e) => togglePackLock(r.packId!, (e.currentTarget as HTMLInputElement).checked)} /> {r.name ?? r.packId}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>固定するルール（1 行に 1 つ、パック/ID）</legend>
          <textarea data-testid="policy-lock-rules" class="code" rows={4} value={lockedRules} spellcheck={false} onInput={(e) => setLockedRules((e.currentTarget as HTMLTextAreaElement).value)} />
          {unknownRules.length ? <p class="error">いまの設定にないルール: {unknownRules.join('、')}</p> : null}
        </fieldset>
        <fieldset>
          <legend>エージェントに許可すること</legend>
          <label class="check"><input type="checkbox" checked={allowAgentPacks} data-testid="policy-allow-packs" onChange={(e) => setAllowAgentPacks((e.currentTarget as HTMLInputElement).checked)} /> 自分でパックを追加する</label>
          <label class="check"><input type="checkbox" checked={allowAgentRuleToggles} data-testid="policy-allow-toggles" onChange={(e) => setAllowToggles((e.currentTarget as HTMLInputElement).checked)} /> ルールやパックをオフにする</label>
          <label class="check"><input type="checkbox" checked={includeToggles} data-testid="policy-include-toggles" onChange={(e) => setIncludeToggles((e.currentTarget as HTMLInputElement).checked)} /> このページでのルールのオン・オフを全員に適用する</label>
          <label>パックの更新確認{' '}
            <select value={String(updateIntervalMinutes)} onChange={(e) => setInterval(Number((e.currentTarget as HTMLSelectElement).value))}>
              {INTERVALS.map(([n, label]) => <option key={n} value={String(n)}>{label}</option>)}
              {INTERVALS.some(([n]) => n === updateIntervalMinutes) ? null : <option value={String(updateIntervalMinutes)}>{updateIntervalMinutes} 分ごと</option>}
            </select>
          </label>
        </fieldset>
      </div>
      <div role="tablist" aria-label="配布先" class="tabs">
        {(Object.keys(files) as Target[]).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={target === t} data-testid={`policy-tab-${t}`} onClick={() => { setTarget(t); setCopied(''); }}>{files[t].label}</button>
        ))}
      </div>
      <p class="muted">{current.where}</p>
      <p data-testid="policy-schema" data-valid={String(schemaErrors.length === 0)} class={schemaErrors.length ? 'error' : 'ok'}>
        {schemaErrors.length === 0 ? '✓ schema/managed.json（拡張機能のポリシー定義）に適合しています' : `ポリシー定義に合いません: ${schemaErrors.map((e) => `${formatPath(e.path)} ${e.message}`).join('、')}`}
      </p>
      <pre class="code policy" data-testid={`policy-${target}`} tabIndex={0} aria-label={`${current.label} の JSON`}>{current.text}</pre>
      <p>
        <button type="button" data-testid="policy-copy" onClick={() => void copy()}>コピー</button>{' '}
        <button type="button" data-testid="policy-download" onClick={() => download(current.file, current.text, 'application/json')}>ダウンロード（{current.file}）</button>{' '}
        <span class="muted" aria-live="polite">{copied}</span>
      </p>
    </section>
  );
}
