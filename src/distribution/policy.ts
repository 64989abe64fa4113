// The managed policy for the configuration a QA lead has set up in the options page, for IT to push to every
// agent: the value kizuki reads from chrome.storage.managed / Firefox's 3rdparty policy (schema/managed.json), and
// the files each browser takes it in. Pure data in, JSON out; nothing here touches storage or the network.
import type { ManagedConfig, PackUrl } from './managed';
import type { AgentSettings } from './sources';
import type { Severity } from '../engine/types';

/** The policy value, with exactly the fields of schema/managed.json. */
export interface ManagedPolicy {
  packs?: { url: string; sha256?: string }[];
  inlinePacks?: string[];
  disableBuiltin?: boolean;
  lockedPacks?: string[];
  lockedRules?: string[];
  allowAgentPacks?: boolean;
  allowAgentRuleToggles?: boolean;
  updateIntervalMinutes?: number;
}

export interface PolicyChoices {
  lockedPacks: string[];
  lockedRules: string[];
  allowAgentPacks: boolean;
  allowAgentRuleToggles: boolean;
  updateIntervalMinutes: number;
  /** Turn the lead's own rule switches (off, severity) into an inline pack of overrides for everyone. */
  includeToggles: boolean;
}

/** Id of the inline pack that carries the lead's rule switches. */
export const TOGGLES_PACK_ID = 'team-switches';

/**
 * What to distribute: IT's current packs, then the lead's own pack URLs and pack files (as inline packs), then the
 * lead's rule switches as an override pack. Packs the lead switched off are left out (the built-in one through
 * disableBuiltin); IT's own packs are always kept.
 */
export function policyFromConfiguration(
  managed: ManagedConfig,
  settings: AgentSettings,
  packIdOf: (sourceKey: string) => string | undefined,
  choices: PolicyChoices,
): ManagedPolicy {
  const off = new Set(settings.toggles.disabledPacks ?? []);
  const urls: PackUrl[] = [...managed.packs];
  for (const s of settings.subscriptions) {
    const id = packIdOf(s.url);
    if (id && off.has(id)) continue;
    if (!urls.some((u) => u.url === s.url)) urls.push({ url: s.url, ...(s.sha256 ? { sha256: s.sha256 } : {}) });
  }
  const inline = [...managed.inlinePacks];
  for (const f of settings.filePacks) {
    const id = packIdOf(`file:${f.name}`);
    if (id && off.has(id)) continue;
    inline.push(f.text);
  }
  if (choices.includeToggles) {
    const overrides: { rule: string; enabled?: boolean; severity?: Severity }[] = [];
    for (const [rule, change] of Object.entries(settings.toggles.rules ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (change.enabled === undefined && change.severity === undefined) continue;
      overrides.push({ rule, ...(change.enabled !== undefined ? { enabled: change.enabled } : {}), ...(change.severity ? { severity: change.severity } : {}) });
    }
    if (overrides.length > 0) {
      inline.push(JSON.stringify({ id: TOGGLES_PACK_ID, name: 'チームのルール設定', version: '1.0.0', description: 'QA リードがオン・オフしたルール', overrides }));
    }
  }
  const policy: ManagedPolicy = {};
  if (urls.length > 0) policy.packs = urls.map((u) => ({ url: u.url, ...(u.sha256 ? { sha256: u.sha256 } : {}) }));
  if (inline.length > 0) policy.inlinePacks = inline;
  if (managed.disableBuiltin || off.has('builtin')) policy.disableBuiltin = true;
  if (choices.lockedPacks.length > 0) policy.lockedPacks = [...new Set(choices.lockedPacks)].sort();
  if (choices.lockedRules.length > 0) policy.lockedRules = [...new Set(choices.lockedRules)].sort();
  policy.allowAgentPacks = choices.allowAgentPacks;
  policy.allowAgentRuleToggles = choices.allowAgentRuleToggles;
  policy.updateIntervalMinutes = Math.max(15, Math.round(choices.updateIntervalMinutes));
  return policy;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/**
 * Chrome / Edge on Linux and macOS managed policy files, and the JSON the Windows registry import tools take:
 * `3rdparty.extensions.<extension id>` (Linux: /etc/opt/chrome/policies/managed/kizuki.json).
 */
export function chromePolicyFile(extensionId: string, policy: ManagedPolicy): string {
  return pretty({ '3rdparty': { extensions: { [extensionId]: policy } } });
}

/** Google Admin console (Chrome browser cloud management): each key as { "Value": … }. */
export function googleAdminPolicy(policy: ManagedPolicy): string {
  return pretty(Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, { Value: v }])));
}

/** Firefox policies.json (distribution/ beside the Firefox binary, or /etc/firefox/policies/). */
export function firefoxPoliciesFile(geckoId: string, policy: ManagedPolicy): string {
  return pretty({ policies: { '3rdparty': { Extensions: { [geckoId]: policy } } } });
}

/** Firefox managed storage manifest (~/.mozilla/managed-storage/<id>.json or /usr/lib/mozilla/managed-storage/). */
export function firefoxManagedStorageFile(geckoId: string, policy: ManagedPolicy): string {
  return pretty({ name: geckoId, description: 'kizuki のチーム設定', type: 'storage', data: policy });
}
