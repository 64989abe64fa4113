// The content script's view of the agent's lasting controls (dismissed rules, personal dictionary, pauses) and of
// what the configuration decides about them (send check mode, locked rules), read from storage.local and followed
// as they change in any context (the card here, the panel, the options page, another tab).
import browser from 'webextension-polyfill';
import type { Finding } from '../engine/types';
import {
  CONTROLS_KEY, POLICY_VIEW_KEY, DEFAULT_POLICY_VIEW, controlsStore, emptyControls, isLocked, keepFinding, parseControls,
  parsePolicyView, pausedFor, ruleId, type AgentControls, type PolicyView, type SendCheckMode,
} from '../shared/controls';
import { localStore } from '../shared/local-store';

export class Controls {
  private controls: AgentControls = emptyControls();
  private view: PolicyView = DEFAULT_POLICY_VIEW;
  private readonly store = controlsStore(localStore);
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly ready: Promise<void>;

  constructor(private readonly changed: () => void) {
    this.ready = browser.storage.local
      .get([CONTROLS_KEY, POLICY_VIEW_KEY])
      .then((got) => {
        this.controls = parseControls(got[CONTROLS_KEY]);
        this.view = parsePolicyView(got[POLICY_VIEW_KEY]);
        this.scheduleResume();
        this.changed();
      })
      .catch(() => {});
    browser.storage.onChanged.addListener(this.onChanged);
  }

  private readonly onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !(CONTROLS_KEY in changes || POLICY_VIEW_KEY in changes)) return;
    if (CONTROLS_KEY in changes) this.controls = parseControls(changes[CONTROLS_KEY]!.newValue);
    if (POLICY_VIEW_KEY in changes) this.view = parsePolicyView(changes[POLICY_VIEW_KEY]!.newValue);
    this.scheduleResume();
    this.changed();
  };

  /** A pause everywhere ends by itself: look again when it does. */
  private scheduleResume(): void {
    clearTimeout(this.resumeTimer);
    const left = this.controls.pausedUntil - Date.now();
    if (left > 0) this.resumeTimer = setTimeout(() => this.changed(), Math.min(left + 50, 2 ** 31 - 1));
  }

  get current(): AgentControls {
    return this.controls;
  }

  get policy(): PolicyView {
    return this.view;
  }

  paused(hostname: string): boolean {
    return pausedFor(this.controls, hostname, Date.now()) !== null;
  }

  sendMode(hostname: string): SendCheckMode {
    return this.paused(hostname) ? 'off' : this.view.sendCheck;
  }

  keep(finding: Finding, draft: string): boolean {
    return keepFinding(finding, draft, this.controls, this.view);
  }

  canDismiss(finding: Finding): boolean {
    return !isLocked(finding, this.view);
  }

  async dismiss(finding: Finding, what: 'rule' | 'phrase'): Promise<void> {
    if (!this.canDismiss(finding)) return;
    if (what === 'rule') this.controls = await this.store.dismissRule(ruleId(finding));
    else if (finding.text) this.controls = await this.store.addWord(finding.text);
  }

  dispose(): void {
    clearTimeout(this.resumeTimer);
    browser.storage.onChanged.removeListener(this.onChanged);
  }
}
