// The panel's controls: pause kizuki on the tab's site (helpdesks included) or everywhere for an hour, and the rules
// and phrases the agent hid for good, with undo.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { CONTROLS_KEY, PAUSE_HOUR_MS, controlsStore, parseControls } from '../shared/controls';
import { controlsText, type ControlsText } from '../shared/controls-text';
import { DismissedList } from '../shared/dismissed-list';
import { localStore } from '../shared/local-store';
import { useLocalValue } from '../shared/use-local-value';

export const ct: ControlsText = controlsText(browser.i18n.getUILanguage());
const store = controlsStore(localStore);

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(browser.i18n.getUILanguage(), { hour: '2-digit', minute: '2-digit' });
}

function useHostname(tabId: number): string | null {
  const [host, setHost] = useState<string | null>(null);
  useEffect(() => {
    void browser.tabs.get(tabId).then(
      (tab) => setHost(tab.url && /^https?:/.test(tab.url) ? new URL(tab.url).hostname : null),
      () => setHost(null),
    );
  }, [tabId]);
  return host;
}

export function PauseControls({ tabId }: { tabId: number }) {
  const host = useHostname(tabId);
  const controls = useLocalValue(CONTROLS_KEY, parseControls);
  const [, tick] = useState(0);
  // Re-render when a pause everywhere runs out.
  useEffect(() => {
    const left = (controls?.pausedUntil ?? 0) - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => tick((n) => n + 1), left + 50);
    return () => clearTimeout(timer);
  }, [controls?.pausedUntil]);
  if (!controls) return null;
  const everywhere = controls.pausedUntil > Date.now();
  const site = host !== null && controls.pausedSites.includes(host);
  return (
    <section class="controls" data-testid="pause">
      <h2>{ct.controls}</h2>
      <div class="row">
        {host && (
          <button type="button" data-action="pause-site" data-paused={String(site)} onClick={() => void store.pauseSite(host, !site)}>
            {site ? ct.resumeSite : ct.pauseSite}
          </button>
        )}
        <button type="button" data-action="pause-all" data-paused={String(everywhere)}
          onClick={() => void store.pauseEverywhere(everywhere ? 0 : Date.now() + PAUSE_HOUR_MS)}>
          {everywhere ? ct.resumeAll : ct.pauseHour}
        </button>
      </div>
      {everywhere && <p class="sub" data-testid="paused-until">{ct.pausedEverywhere.replace('{time}', formatTime(controls.pausedUntil))}</p>}
    </section>
  );
}

export function DismissedSection() {
  return (
    <section data-testid="dismissed-section">
      <h2>{ct.dismissed}</h2>
      <DismissedList t={ct} />
    </section>
  );
}
