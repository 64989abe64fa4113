// What the configuration decides about the agent's controls, derived by the background and written to storage.local
// for the content scripts (which cannot see the managed policy or parse packs): the send check mode and the locked
// rules. The mode comes from the managed policy's `sendCheck`, else from the last organisation pack (inline or URL)
// that declares `sendCheck`, else from the last of the agent's own packs that does, else 'nudge'. What a pack declares
// comes from the engine host's status rows: the background never parses packs itself.
import type { PackStatusRow } from '../distribution/sources';
import { POLICY_VIEW_KEY, parsePolicyView, type PolicyView, type SendCheckMode } from '../shared/controls';
import type { PackConfiguration } from '../distribution/configuration';
import type { KeyValueStore } from '../distribution/sources';

export function policyView(config: PackConfiguration, rows: PackStatusRow[]): PolicyView {
  const active = new Set(rows.filter((r) => r.status === 'active' || r.status === 'stale').map((r) => r.key));
  let sendCheck: SendCheckMode = 'nudge';
  let sendCheckFrom: PolicyView['sendCheckFrom'] = 'default';
  if (config.managed.sendCheck) {
    sendCheck = config.managed.sendCheck;
    sendCheckFrom = 'policy';
  } else {
    const usable = config.sources.filter((s) => !s.blocked && active.has(s.key) && s.origin !== 'builtin');
    const organisation = usable.filter((s) => s.origin === 'managed-inline' || s.origin === 'managed-url');
    const agent = usable.filter((s) => s.origin === 'agent-url' || s.origin === 'agent-file');
    for (const group of [organisation, agent]) {
      const declared = group.map((s) => rows.find((r) => r.key === s.key)).filter((r) => r?.sendCheck !== undefined).at(-1);
      if (declared) {
        sendCheck = declared.sendCheck!;
        sendCheckFrom = `pack:${declared.packId ?? declared.key}`;
        break;
      }
    }
  }
  return { sendCheck, sendCheckFrom, lockedRules: [...config.managed.locked.rules] };
}

/** Writes the view only when it changed (a write to storage.local makes the background look at its configuration). */
export async function publishPolicyView(store: KeyValueStore, view: PolicyView): Promise<void> {
  const current = parsePolicyView(await store.get(POLICY_VIEW_KEY));
  if (JSON.stringify(current) !== JSON.stringify(view) || (await store.get(POLICY_VIEW_KEY)) === undefined) await store.set(POLICY_VIEW_KEY, view);
}
