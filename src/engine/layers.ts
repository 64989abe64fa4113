// Pack layering: built-in → organisation → team → the agent's own toggles. Each pack may change rules of the
// packs before it with `overrides` (off, severity, message, fix: safe). A pack that defines a rule id that an earlier pack
// already has *shadows* it: the later rule replaces the earlier one and a warning is reported. Shadowing is a
// warning, not an error, so that a built-in update adding an id an organisation pack already uses never gets the
// whole organisation pack refused; `overrides: [{ rule: ID, enabled: false }]` states the intent and silences it.
// Pure: input packs are never mutated (they may be cached and shared), the result holds copies of changed rules.
import type { CompiledRule, LoadedPack, PackOverride } from './model';
import type { Severity } from './types';

/** The layer name recorded in `overriddenBy` for the agent's own toggles; not a valid pack id, so never ambiguous. */
export const AGENT_LAYER = '@agent';

export interface AgentToggles {
  /** Pack ids the agent switched off. */
  disabledPacks?: string[];
  /** Per rule (`pack/id`): switched on/off, or a different severity. */
  rules?: Record<string, { enabled?: boolean; severity?: Severity }>;
}

/** What an organisation locks through managed configuration: the agent's toggles cannot change these. */
export interface LockedSettings {
  /** Pack ids that the agent cannot switch off. */
  packs?: string[];
  /** Rules (`pack/id`) that the agent cannot switch off or change. */
  rules?: string[];
}

export interface LayerIssue {
  severity: 'error' | 'warning';
  /** The pack (or `@agent`) whose entry caused the issue. */
  pack: string;
  file?: string;
  rule?: string;
  path?: string;
  line?: number;
  message: string;
}

export interface StackResult {
  packs: LoadedPack[];
  issues: LayerIssue[];
}

export const qualifiedId = (rule: { pack: string; id: string }): string => `${rule.pack}/${rule.id}`;

export interface StackOptions {
  toggles?: AgentToggles;
  locked?: LockedSettings;
  /**
   * Ids of the packs the agent added (URLs or files), which the locks bind like the agent's toggles: they cannot change
   * or switch off a locked rule, switch off a rule of a locked pack, or replace either by reusing its id.
   */
  agentPacks?: readonly string[];
}

export function stackPacks(packs: readonly LoadedPack[], options: StackOptions = {}): StackResult {
  const issues: LayerIssue[] = [];
  const lockedRules = new Set(options.locked?.rules ?? []);
  const lockedPacks = new Set(options.locked?.packs ?? []);
  const agentPacks = new Set(options.agentPacks ?? []);
  /** Why the agent's pack may not apply this override to `target` (Japanese), or undefined when it may. */
  const lockedAgainst = (target: CompiledRule, o: PackOverride): string | undefined => {
    if (lockedRules.has(qualifiedId(target))) return `ルール「${qualifiedId(target)}」は管理者が固定しているため、個人で追加したパックからは変更できません（この上書きは使いません）`;
    if (lockedPacks.has(target.pack) && o.enabled === false) return `パック「${target.pack}」は管理者が固定しているため、個人で追加したパックからそのルール「${target.id}」をオフにできません（この上書きは使いません）`;
    return undefined;
  };
  const lockedFromShadowing = (target: CompiledRule): boolean => lockedRules.has(qualifiedId(target)) || lockedPacks.has(target.pack);
  const out: LoadedPack[] = [];
  const seenPackIds = new Set<string>();
  // Every rule of the packs stacked so far, as the (copied) object that ends up in `out`.
  const earlier: CompiledRule[] = [];
  const copies = new Map<CompiledRule, CompiledRule>();

  const editable = (rule: CompiledRule): CompiledRule => {
    // Rules are copied on first change; the copy replaces the original in its pack's output.
    if (copies.has(rule)) return rule;
    const copy: CompiledRule = { ...rule, overriddenBy: [...(rule.overriddenBy ?? [])] };
    copies.set(copy, copy);
    const owner = out.find((p) => p.id === rule.pack)!;
    owner.rules = owner.rules.map((r) => (r === rule ? copy : r));
    earlier[earlier.indexOf(rule)] = copy;
    return copy;
  };

  for (const pack of packs) {
    if (seenPackIds.has(pack.id)) {
      issues.push({ severity: 'error', pack: pack.id, file: pack.file,
        message: `パック ID「${pack.id}」が 2 回読み込まれています。後のほうは使いません（ID を変えてください）` });
      continue;
    }
    seenPackIds.add(pack.id);
    const stacked: LoadedPack = { ...pack, rules: [...pack.rules] };
    out.push(stacked);

    const explicitlyHandled = new Set<CompiledRule>();
    for (const o of pack.overrides ?? []) {
      const at = { pack: pack.id, file: pack.file, path: `overrides[${o.index}]`, line: o.line };
      const targets = resolveTargets(o.rule, earlier);
      if (targets.length === 0) {
        const own = pack.rules.some((r) => r.id === o.rule || `${pack.id}/${r.id}` === o.rule);
        issues.push({ severity: 'warning', ...at, rule: o.rule, message: own
          ? `「${o.rule}」はこのパック自身のルールです。overrides ではなくルールを直接書き換えてください`
          : `上書きの対象「${o.rule}」が、先に読み込まれたパックにありません（ID の綴り、またはパックの順序を確認してください）` });
        continue;
      }
      for (const target of targets) {
        const refused = agentPacks.has(pack.id) ? lockedAgainst(target, o) : undefined;
        if (refused) {
          issues.push({ severity: 'error', ...at, rule: o.rule, message: refused });
          continue;
        }
        const rule = editable(target);
        explicitlyHandled.add(rule);
        applyOverride(rule, o, pack.id);
      }
    }

    for (const rule of pack.rules) {
      const locked = agentPacks.has(pack.id) ? earlier.filter((r) => r.id === rule.id && r.enabled && lockedFromShadowing(r)) : [];
      if (locked.length > 0) {
        // The locked rule stays; the agent's rule of the same id is not used at all.
        const index = stacked.rules.indexOf(rule);
        stacked.rules[index] = { ...rule, enabled: false, shadowedBy: AGENT_LAYER };
        issues.push({ severity: 'error', pack: pack.id, file: pack.file, rule: rule.id, path: `rules[${pack.rules.indexOf(rule)}]`, line: rule.line,
          message: `ルール「${qualifiedId(locked[0]!)}」は管理者が固定しているため、同じ ID のルールで置き換えられません（このパックのルール「${rule.id}」は使いません）` });
        continue;
      }
      for (const prior of earlier.filter((r) => r.id === rule.id)) {
        if (explicitlyHandled.has(prior) || prior.shadowedBy) continue;
        const shadowed = editable(prior);
        shadowed.shadowedBy = pack.id;
        shadowed.enabled = false;
        issues.push({ severity: 'warning', pack: pack.id, file: pack.file, rule: rule.id,
          path: `rules[${pack.rules.indexOf(rule)}]`, line: rule.line,
          message: `ルール「${rule.id}」はパック「${prior.pack}」の同じ ID のルールを置き換えます。意図したものなら overrides に { rule: ${qualifiedId(prior)}, enabled: false } を書いてください` });
      }
    }
    earlier.push(...stacked.rules);
  }

  applyToggles(out, earlier, options.toggles ?? {}, options.locked ?? {}, issues, editable);
  return { packs: out, issues };
}

function resolveTargets(target: string, earlier: CompiledRule[]): CompiledRule[] {
  return target.includes('/') ? earlier.filter((r) => qualifiedId(r) === target) : earlier.filter((r) => r.id === target);
}

function applyOverride(rule: CompiledRule, o: Omit<PackOverride, 'index'>, by: string): void {
  if (o.enabled !== undefined) rule.enabled = o.enabled;
  if (o.severity !== undefined) rule.severity = o.severity;
  if (o.message !== undefined) rule.message = o.message;
  if (o.description !== undefined) rule.description = o.description;
  if (o.link !== undefined) rule.link = o.link;
  if (o.fix !== undefined) rule.fix = o.fix;
  rule.overriddenBy = [...(rule.overriddenBy ?? []).filter((p) => p !== by), by];
}

function applyToggles(
  packs: LoadedPack[],
  rules: CompiledRule[],
  toggles: AgentToggles,
  locked: LockedSettings,
  issues: LayerIssue[],
  editable: (rule: CompiledRule) => CompiledRule,
): void {
  const lockedPacks = new Set(locked.packs ?? []);
  const lockedRules = new Set(locked.rules ?? []);
  for (const id of toggles.disabledPacks ?? []) {
    const pack = packs.find((p) => p.id === id);
    if (!pack) continue; // a pack that is no longer installed: nothing to switch off
    if (lockedPacks.has(id)) {
      issues.push({ severity: 'warning', pack: AGENT_LAYER, message: `パック「${id}」は管理者が固定しているため、オフにできません` });
      continue;
    }
    for (const rule of pack.rules) {
      if (lockedRules.has(qualifiedId(rule))) continue;
      applyOverride(editable(rule), { rule: qualifiedId(rule), enabled: false }, AGENT_LAYER);
    }
  }
  for (const [id, change] of Object.entries(toggles.rules ?? {})) {
    const rule = rules.find((r) => qualifiedId(r) === id);
    if (!rule) continue;
    if (lockedRules.has(id)) {
      issues.push({ severity: 'warning', pack: AGENT_LAYER, rule: id, message: `ルール「${id}」は管理者が固定しているため、変更できません` });
      continue;
    }
    // A locked pack cannot be switched off as a whole, nor rule by rule.
    if (lockedPacks.has(rule.pack) && change.enabled === false) {
      issues.push({ severity: 'warning', pack: AGENT_LAYER, rule: id, message: `パック「${rule.pack}」は管理者が固定しているため、そのルール「${rule.id}」をオフにできません` });
      continue;
    }
    applyOverride(editable(rule), { rule: id, ...change }, AGENT_LAYER);
  }
}
