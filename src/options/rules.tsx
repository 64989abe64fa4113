// The rules of the current stack, readable: Japanese severity, the message as the agent sees it (its template
// filled by the rule's own first example), why, the examples, which pack set and which packs changed it, a link to
// learn more, and a switch (or a lock). A search box filters by any of these.
import { useState } from 'preact/hooks';
import type { CompiledRule, Example } from '../engine/pack';
import { localStore as store } from '../shared/local-store';
import { readSettings, SETTINGS_KEY, type AgentSettings } from '../distribution/sources';
import { SEVERITY_JA } from '../shared/rule-text';
import type { ConsoleState } from './model';

export async function updateSettings(change: (s: AgentSettings) => AgentSettings): Promise<void> {
  await store.set(SETTINGS_KEY, change(await readSettings(store)));
}

/** Why this rule cannot be switched by the agent, or undefined when it can. */
export function ruleLock(state: ConsoleState, rule: { pack: string; id: string }): string | undefined {
  const m = state.config.managed;
  if (state.policyPending) return '管理者の設定を確認しています';
  if (m.locked.rules.includes(`${rule.pack}/${rule.id}`)) return '管理者がこのルールを固定しています';
  if (m.locked.packs.includes(rule.pack)) return '管理者がこのパックを固定しています';
  if (!m.allowAgentRuleToggles) return '管理者の設定により、ルールのオン・オフはできません';
  return undefined;
}

export function packName(state: ConsoleState, packId: string): string {
  if (packId === '@agent') return 'あなたの設定';
  return state.rows.find((r) => r.packId === packId)?.name ?? packId;
}

const exampleText = (e: Example) => (e.customer ? `お客様「${e.customer}」→ 返信「${e.draft}」` : e.draft);

export function RuleItem({ state, rule, detailed }: { state: ConsoleState; rule: CompiledRule; detailed: boolean }) {
  const switchable = detailed;
  const key = `${rule.pack}/${rule.id}`;
  const lock = ruleLock(state, rule);
  const toggled = state.config.settings.toggles.rules?.[key]?.enabled;
  const on = toggled === undefined ? rule.enabled : toggled;
  const title = state.titles.get(key) ?? rule.message;
  const setRule = (enabled: boolean) =>
    updateSettings((s) => {
      const rules = { ...(s.toggles.rules ?? {}) };
      const { enabled: _old, ...rest } = rules[key] ?? {};
      rules[key] = { ...rest, enabled };
      return { ...s, toggles: { ...s.toggles, rules } };
    });
  const changedBy = (rule.overriddenBy ?? []).filter((p) => p !== '@agent');
  return (
    <li class="rule" data-rule-item={key} data-locked={lock ? 'true' : 'false'} data-enabled={String(on)}>
      <div class="rule-head">
        {!switchable ? null : lock ? (
          <span class="lock" data-testid="lock" title={lock} aria-label={`固定: ${lock}`}>🔒</span>
        ) : (
          <input type="checkbox" class="switch" data-rule={key} checked={on} aria-label={`「${title}」を${on ? 'オフにする' : 'オンにする'}`} onChange={(e) => void setRule((e.currentTarget as HTMLInputElement).checked)} />
        )}
        <span class={`sev sev-${rule.severity}`}>{SEVERITY_JA[rule.severity]}</span>
        <span class="rule-title">{title}</span>
      </div>
      <div class="rule-meta muted">
        {packName(state, rule.pack)} のルール（<code>{key}</code>・{rule.category}）
        {changedBy.length ? <span data-testid="changed-by">・{changedBy.map((p) => packName(state, p)).join('、')} が変更</span> : null}
        {!on ? <span>・オフ</span> : null}
        {lock && !switchable ? <span class="lock" aria-hidden="true"> 🔒</span> : null}
        {lock ? <span class="lock-text">・{lock}</span> : null}
      </div>
      {detailed ? (
        <div class="rule-detail">
          {rule.description ? <p class="why">{rule.description}</p> : null}
          {rule.examples.flag.length || rule.examples.pass.length ? (
            <dl class="examples">
              {rule.examples.flag.length ? <><dt>指摘される例</dt>{rule.examples.flag.map((e, i) => <dd key={`f${i}`} class="flag">{exampleText(e)}</dd>)}</> : null}
              {rule.examples.pass.length ? <><dt>指摘されない例</dt>{rule.examples.pass.map((e, i) => <dd key={`p${i}`} class="pass">{exampleText(e)}</dd>)}</> : null}
            </dl>
          ) : null}
          {rule.link ? <a href={rule.link} target="_blank" rel="noopener noreferrer" data-testid="learn-more">詳しく</a> : null}
        </div>
      ) : null}
    </li>
  );
}

export function RulesSection({ state }: { state: ConsoleState }) {
  const [query, setQuery] = useState('');
  const [severity, setSeverity] = useState('');
  const q = query.trim().toLowerCase();
  const rules = state.packs.flatMap((p) => p.rules).filter((r) => {
    if (severity && r.severity !== severity) return false;
    if (!q) return true;
    const key = `${r.pack}/${r.id}`;
    const hay = [key, r.category, r.message, state.titles.get(key) ?? '', r.description ?? '', r.label ?? '', packName(state, r.pack),
      ...r.examples.flag.map((e) => e.draft), ...r.examples.pass.map((e) => e.draft)].join('\n').toLowerCase();
    return hay.includes(q);
  });
  return (
    <section id="rules" aria-labelledby="rules-h">
      <h2 id="rules-h">いま使われているルール</h2>
      <p class="muted">上のパックほど先に読み込まれ、後のパックが変更できます。メッセージは各ルールの最初の例で表示しています。</p>
      <div class="toolbar">
        <label>検索 <input type="search" data-testid="rules-search" value={query} placeholder="ルール名・例文・ID" onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} /></label>
        <label>重要度{' '}
          <select value={severity} data-testid="rules-severity" onChange={(e) => setSeverity((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">すべて</option><option value="error">{SEVERITY_JA.error}</option><option value="warning">{SEVERITY_JA.warning}</option><option value="info">{SEVERITY_JA.info}</option>
          </select>
        </label>
        <span class="muted" aria-live="polite">{rules.length} 件</span>
      </div>
      <ul class="rule-list" data-testid="rule-list">
        {rules.map((r) => <RuleItem key={`${r.pack}/${r.id}`} state={state} rule={r} detailed />)}
      </ul>
    </section>
  );
}
