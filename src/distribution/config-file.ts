// Export of the effective configuration (to share a setup or attach it to a support ticket) and import of a
// configuration file or a single pack file. Only what the agent controls is imported; managed entries in an
// exported file are informational (IT owns them). Pure functions over plain data.
import type { ManagedConfig } from './managed';
import type { AgentSettings, PackStatusRow } from './sources';
import { isSeverity, MAX_PACK_BYTES, parsePackText, type Severity } from '../engine/index';

export const CONFIG_FORMAT = 'kizuki-config';

export interface ExportedConfiguration {
  format: typeof CONFIG_FORMAT;
  version: 1;
  exportedAt: string;
  /** Layer order, with what each layer currently is. */
  layers: { origin: string; source: string; packId?: string; version?: string; status: string; reason?: string }[];
  managed: { packs: { url: string; sha256?: string }[]; inlinePacks: number; disableBuiltin: boolean; lockedPacks: string[]; lockedRules: string[] };
  agent: AgentSettings;
}

export function exportConfiguration(managed: ManagedConfig, settings: AgentSettings, rows: PackStatusRow[], now: Date): string {
  const config: ExportedConfiguration = {
    format: CONFIG_FORMAT,
    version: 1,
    exportedAt: now.toISOString(),
    layers: rows.map((r) => ({
      origin: r.origin,
      source: r.key,
      ...(r.packId ? { packId: r.packId } : {}),
      ...(r.version ? { version: r.version } : {}),
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
    })),
    managed: {
      packs: managed.packs,
      inlinePacks: managed.inlinePacks.length,
      disableBuiltin: managed.disableBuiltin,
      lockedPacks: managed.locked.packs,
      lockedRules: managed.locked.rules,
    },
    agent: settings,
  };
  return JSON.stringify(config, null, 2) + '\n';
}

export type ImportOutcome =
  | { ok: true; kind: 'configuration'; settings: AgentSettings; notes: string[] }
  | { ok: true; kind: 'pack'; name: string; text: string }
  | { ok: false; error: string };

/**
 * Reads a dropped or chosen file: an exported configuration replaces the agent's settings; anything else is
 * taken as a pack (YAML/JSON) to add. The pack itself is validated by the loader when the configuration is built.
 */
export function importFile(name: string, text: string): ImportOutcome {
  if (text.length > MAX_PACK_BYTES) return { ok: false, error: `${name}: ファイルが大きすぎます（上限 ${MAX_PACK_BYTES.toLocaleString()} 文字）` };
  const parsed = parsePackText(text, name);
  if (!parsed.ok) return { ok: false, error: `${name}: YAML/JSON として読めません` };
  const data = parsed.data as Record<string, unknown> | null;
  if (data && typeof data === 'object' && data.format === CONFIG_FORMAT) return readConfiguration(name, data);
  if (!data || typeof data !== 'object' || typeof data.id !== 'string' || !Array.isArray(data.rules ?? data.overrides)) {
    return { ok: false, error: `${name}: kizuki のパックでも設定ファイルでもありません（id と rules が必要です）` };
  }
  return { ok: true, kind: 'pack', name, text };
}

function readConfiguration(name: string, data: Record<string, unknown>): ImportOutcome {
  if (data.version !== 1) return { ok: false, error: `${name}: 設定ファイルの version ${String(data.version)} には対応していません` };
  const agent = (data.agent ?? {}) as Record<string, unknown>;
  const notes: string[] = [];
  const settings: AgentSettings = { subscriptions: [], filePacks: [], toggles: {} };
  if (Array.isArray(agent.subscriptions)) {
    for (const s of agent.subscriptions as { url?: unknown; sha256?: unknown; updateIntervalMinutes?: unknown }[]) {
      if (typeof s?.url === 'string') {
        settings.subscriptions.push({
          url: s.url,
          ...(typeof s.sha256 === 'string' ? { sha256: s.sha256 } : {}),
          ...(typeof s.updateIntervalMinutes === 'number' && Number.isFinite(s.updateIntervalMinutes) ? { updateIntervalMinutes: s.updateIntervalMinutes } : {}),
        });
      }
      else notes.push('URL のない購読を読み飛ばしました');
    }
  }
  if (Array.isArray(agent.filePacks)) {
    for (const f of agent.filePacks as { name?: unknown; text?: unknown; addedAt?: unknown }[]) {
      if (typeof f?.name === 'string' && typeof f.text === 'string') {
        settings.filePacks.push({ name: f.name, text: f.text, addedAt: typeof f.addedAt === 'string' ? f.addedAt : new Date(0).toISOString() });
      } else notes.push('name と text のないパックを読み飛ばしました');
    }
  }
  const toggles = (agent.toggles ?? {}) as Record<string, unknown>;
  if (Array.isArray(toggles.disabledPacks)) settings.toggles.disabledPacks = toggles.disabledPacks.filter((p): p is string => typeof p === 'string');
  if (toggles.rules && typeof toggles.rules === 'object') {
    settings.toggles.rules = {};
    for (const [id, v] of Object.entries(toggles.rules as Record<string, { enabled?: unknown; severity?: unknown }>)) {
      const change: { enabled?: boolean; severity?: Severity } = {};
      if (typeof v?.enabled === 'boolean') change.enabled = v.enabled;
      if (isSeverity(v?.severity)) change.severity = v.severity;
      settings.toggles.rules[id] = change;
    }
  }
  if (data.managed) notes.push('管理者の設定（managed）は組織のポリシーで決まるため、読み込みませんでした');
  return { ok: true, kind: 'configuration', settings, notes };
}
