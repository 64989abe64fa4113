// Messages between the extension's contexts. Everything is plain JSON; findings go out, tokens never do.
import type { ChecklistItem, Finding } from '../engine/types';
import type { AnalyzeLimits } from '../engine/limits';
import type { PackConfiguration } from '../distribution/configuration';
import type { PackStatusRow } from '../distribution/sources';
import type { ConsoleRequest } from './console-protocol';

export type AdapterId = 'zendesk' | 'intercom' | 'generic';

/** What the content script knows about the reply box it coaches. */
export interface DraftContext {
  adapter: AdapterId;
  /** The customer's latest message used as context, if the adapter found one. */
  customer?: string;
  /** 'ready': coaching; 'note': an internal note (not coached); 'none': no reply box found; 'paused': the agent paused kizuki here. */
  status: 'ready' | 'note' | 'none' | 'paused';
}

/** Content script -> background: analyse this draft. */
export interface AnalyzeRequest {
  type: 'kizuki:analyze';
  draft: string;
  context: DraftContext;
  /** Findings the agent ignored for this draft, as ignoreKey() values. */
  ignored: string[];
}

export interface AnalyzeResponse {
  findings: Finding[];
  checklist: ChecklistItem[];
  /** Set when a cap of the engine was hit (engine/limits.ts): the panel says so. */
  limits?: AnalyzeLimits;
  /** False while the dictionary is still loading: only rules that need no tokens ran. */
  tokenizerReady: boolean;
  /** Time spent in the engine host (analysis only), ms. */
  engineMs: number;
  /**
   * Engine host -> background: the packs were compiled before the tokenizer was ready, so their examples that need
   * tokens have not run yet (neither for checking the packs nor for the rule titles, which fill each rule's message
   * from its first example); the background configures the host again once `tokenizerReady` is true.
   */
  examplesPending?: boolean;
  /** Set where the engine host is suspended when idle (Firefox's event page): send KeepWarmRequest this often. */
  keepWarmMs?: number;
}

/**
 * The keystroke path: a content script's long-lived port straight to the engine host (Chrome's offscreen document,
 * Firefox's event page), so the service worker is not woken per keystroke. The host answers only once the background
 * has configured it; otherwise the content script falls back to AnalyzeRequest through the background.
 */
export const ENGINE_PORT = 'kizuki-engine';

export interface EnginePortRequest {
  id: number;
  draft: string;
  customer?: string;
}

export type EnginePortAnswer =
  | { ok: true; response: AnalyzeResponse }
  | { ok: false; reason: 'not-configured' | 'error'; error?: string };

export type EnginePortReply = { id: number } & EnginePortAnswer;

/**
 * Host -> content script on ENGINE_PORT, unasked: the engine changed (the dictionary has loaded, so token rules now run;
 * or a new configuration was adopted), so what the page shows may no longer be what the engine would say.
 */
export interface EnginePortEngineChanged {
  engineChanged: true;
}

/**
 * Content script -> background, after painting: what the agent now sees, for the panel, the badge and the counts.
 * Findings only (never the draft); `draftEmpty` tells a sent or discarded draft.
 */
export interface ShownReport {
  type: 'kizuki:shown';
  context: DraftContext;
  findings: Finding[];
  checklist: ChecklistItem[];
  tokenizerReady: boolean;
  draftLength: number;
  draftEmpty: boolean;
  limits?: AnalyzeLimits;
  examplesPending?: boolean;
}

/** Content script -> background, while the agent works on a reply: keeps an idle-suspended engine host alive. */
export interface KeepWarmRequest {
  type: 'kizuki:keep-warm';
}

/** Content script -> background: there is nothing to coach (no reply box, or an internal note). */
export interface IdleReport {
  type: 'kizuki:idle';
  context: DraftContext;
}

/** Background -> engine host (offscreen document in Chrome). */
export interface HostAnalyzeRequest {
  target: 'kizuki-engine';
  type: 'kizuki:host-analyze';
  draft: string;
  customer?: string;
  /** The pack configuration the background expects; the host answers { needConfig: true } when it has another. */
  configKey?: string;
}

/** Background -> engine host: the pack configuration to build the engine from (plain data, see host/packs.ts). */
export interface HostConfigureRequest {
  target: 'kizuki-engine';
  type: 'kizuki:host-configure';
  config: PackConfiguration;
}

/** Background -> engine host: check a downloaded pack (the service worker carries no engine of its own in Chrome). */
export interface HostCheckPackRequest {
  target: 'kizuki-engine';
  type: 'kizuki:host-check-pack';
  text: string;
  url: string;
}

/** Background -> engine host: liveness and tokenizer status (also used by the hosting benchmark). */
export interface HostStatusRequest {
  target: 'kizuki-engine';
  type: 'kizuki:host-status';
}

export interface HostStatus {
  tokenizerReady: boolean;
  /** Time from host start to tokenizer ready, ms (undefined while loading). */
  tokenizerMs?: number;
  /** When each start-up step ended, ms after host start (dictionary fetched, engine built, first analysis, ...). */
  timings?: Record<string, number>;
  error?: string;
}

/** Panel -> content script: scroll the editor to this finding and select it. */
export interface RevealRequest {
  type: 'kizuki:reveal';
  start: number;
  end: number;
}

/** Panel -> background: enable or disable coaching on the origin of a tab (opt-in sites). */
export interface SiteToggleRequest {
  type: 'kizuki:site-toggle';
  tabId: number;
  origin: string;
  enable: boolean;
}


/**
 * e2e builds only: open an extension page in a tab of its own (the panel bound to the sender's tab, or the options
 * page). Firefox's WebDriver BiDi refuses to navigate to moz-extension:// pages, so the Firefox tests ask the
 * extension to open them itself.
 */
export interface OpenPageForTestsRequest {
  type: 'kizuki:e2e-open-page';
  page: 'panel' | 'options';
}

export type BackgroundRequest =
  | AnalyzeRequest
  | ShownReport
  | IdleReport
  | SiteToggleRequest
  | OpenPageForTestsRequest
  | KeepWarmRequest
  | PlaygroundRequest
  | StatRequest
  | ConsoleRequest
  | SendStatRequest
  | OpenPanelRequest
  | CommandForTestsRequest;

/** Keyboard commands (manifest `commands`, remappable by the agent): background -> the active tab's content script. */
export type CoachCommand = 'next-finding' | 'previous-finding' | 'open-card';
export const COACH_COMMANDS: readonly CoachCommand[] = ['next-finding', 'previous-finding', 'open-card'];

export interface CommandRequest {
  type: 'kizuki:command';
  command: CoachCommand;
}

/**
 * e2e builds only: run a command as if its shortcut had been pressed (content script -> background, which routes it
 * exactly as commands.onCommand does).
 */
export interface CommandForTestsRequest {
  type: 'kizuki:e2e-command';
  command: CoachCommand;
}

/** Content script -> background: a nudge before sending was shown, or what the agent did with it (counted only). */
export interface SendStatRequest {
  type: 'kizuki:send-stat';
  outcome: 'nudged' | 'sent-anyway' | 'sent-fixed' | 'went-back';
}

/** Content script -> background: open the panel (side panel / sidebar) for the sender's tab (the pill, the nudge). */
export interface OpenPanelRequest {
  type: 'kizuki:open-panel';
}

/** What the panel shows for one tab; kept in storage.session so it survives the worker being stopped. */
export interface TabState {
  status: DraftContext['status'];
  adapter: AdapterId;
  findings: Finding[];
  checklist: ChecklistItem[];
  customer?: string;
  tokenizerReady: boolean;
  draftLength: number;
  updatedAt: number;
  limits?: AnalyzeLimits;
}

export const tabStateKey = (tabId: number) => `tab:${tabId}`;

/** Ignore is per draft and per wording: ignoring 「でも」 hides that rule's 「でも」 findings until the draft is cleared. */
export function ignoreKey(finding: Pick<Finding, 'rule' | 'text'>): string {
  return `${finding.rule}\u0000${finding.text ?? ''}`;
}

/** Panel -> content script: insert suggestion `index` of the reply-level finding of `pack`/`rule` into the reply. */
export interface InsertRequest {
  type: 'kizuki:insert';
  rule: string;
  pack: string;
  index: number;
}

/** Options page -> background: analyse with the current configuration, without touching any tab's state. */
export interface PlaygroundRequest {
  type: 'kizuki:playground';
  draft: string;
  customer?: string;
  /** A pack file to try on top of the current configuration, without adding it. */
  trialPack?: { name: string; text: string };
}

/** The playground's answer: the findings, and how the trial pack fared (active, or refused and why). */
export type PlaygroundResponse = AnalyzeResponse & { trialStatus?: PackStatusRow };

/** Background -> engine host: analyse once with this configuration (a trial), leaving the host's engine as it is. */
export interface HostTryRequest {
  target: 'kizuki-engine';
  type: 'kizuki:host-try';
  config: PackConfiguration;
  draft: string;
  customer?: string;
}

/** storage.local: the status of each pack source (active, refused and why, stale), written by the background for the options page. */
export const PACK_STATUS_KEY = 'kizuki.packStatus';

/** Content script -> background: the agent applied a suggestion of, or ignored, a finding (counted, never its text). */
export interface StatRequest {
  type: 'kizuki:stat';
  /** `pack/rule`. */
  rule: string;
  event: 'applied' | 'ignored';
}
