// Background side of the agent's controls: keyboard commands routed to the tab, opening the panel from the page
// (the pill, the nudge), and counting what happened at a nudge before sending (counts only, under `kizuki/send-*`).
import browser from 'webextension-polyfill';
import type { CommandRequest, SendStatRequest } from '../shared/messages';
import { COACH_COMMANDS, type CoachCommand } from '../shared/messages';
import type { createStats } from '../stats/local-stats';

export async function routeCommand(command: string, tabId: number): Promise<boolean> {
  if (!COACH_COMMANDS.includes(command as CoachCommand)) return false;
  await browser.tabs.sendMessage(tabId, { type: 'kizuki:command', command: command as CoachCommand } satisfies CommandRequest).catch(() => undefined);
  return true;
}

/** e2e builds only: how the last request to open the panel was served (session storage), for the tests. */
export const E2E_OPEN_PANEL_KEY = 'kizuki.e2e.openPanel';

/**
 * Opens the side panel (Chrome) or the sidebar (Firefox) for the tab. Both need the agent's click to be the reason;
 * where the browser does not count the click that sent the message, the panel opens in a small window instead.
 */
export async function openPanelFor(tabId: number, windowId: number | undefined): Promise<string> {
  const chromeApi = (globalThis as { chrome?: typeof chrome }).chrome;
  let how: string;
  try {
    if (chromeApi?.sidePanel?.open) {
      await chromeApi.sidePanel.open({ tabId });
      how = 'side-panel';
    } else {
      const sidebar = (browser as unknown as { sidebarAction?: { open(): Promise<void> } }).sidebarAction;
      if (!sidebar) throw new Error('no sidebar');
      await sidebar.open();
      how = 'sidebar';
    }
  } catch {
    await browser.windows.create({ url: browser.runtime.getURL(`panel.html?tab=${tabId}`), type: 'popup', width: 400, height: 640 });
    how = 'window';
  }
  if (__KIZUKI_E2E__) await browser.storage.session.set({ [E2E_OPEN_PANEL_KEY]: { how, tabId, windowId: windowId ?? null } });
  return how;
}

export function sendStat(stats: ReturnType<typeof createStats>, outcome: SendStatRequest['outcome']) {
  const rule = { nudged: 'kizuki/send-nudge', 'sent-anyway': 'kizuki/send-anyway', 'sent-fixed': 'kizuki/send-after-fix', 'went-back': 'kizuki/send-went-back' }[outcome];
  if (!rule) return Promise.resolve({ refused: 1 });
  return stats.record([{ rule, event: 'fired', at: new Date() }]);
}
