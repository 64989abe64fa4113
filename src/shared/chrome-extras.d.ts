// The few Chrome-only extension APIs kizuki uses that webextension-polyfill does not type (offscreen documents,
// side panel). Accessed through `globalThis.chrome`, and only after checking they exist.
declare namespace chrome {
  namespace offscreen {
    function createDocument(parameters: { url: string; reasons: string[]; justification: string }): Promise<void>;
    function hasDocument(): Promise<boolean>;
    function closeDocument(): Promise<void>;
  }
  namespace sidePanel {
    function setPanelBehavior(behavior: { openPanelOnActionClick: boolean }): Promise<void>;
    /** Chrome 116+: only in response to a user action. */
    function open(options: { tabId?: number; windowId?: number }): Promise<void>;
  }
  namespace runtime {
    function getContexts(filter: { contextTypes?: string[] }): Promise<{ contextType: string; documentUrl?: string }[]>;
  }
}
