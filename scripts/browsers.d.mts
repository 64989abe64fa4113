// Types for scripts/browsers.mjs (plain JavaScript so that .ci/run can use it before `npm ci`).
export type BrowserKind = 'chromium' | 'firefox';
export interface FoundBrowser {
  kind: BrowserKind;
  /** The path looked at (an explicit variable's value even when nothing is there), or null. */
  path: string | null;
  found: boolean;
  /** The variable that named it, 'search' (usual places, PATH) or 'none'. */
  from: string;
}
interface PlatformOptions {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
}
export const BROWSER_ENV: Record<BrowserKind, string[]>;
export const APT_PACKAGES: Record<BrowserKind | 'fonts', string>;
export function findBrowser(kind: BrowserKind, options?: PlatformOptions): FoundBrowser;
export function hasCjkFonts(options?: PlatformOptions): boolean;
export function browsersSkipped(env?: Record<string, string | undefined>): boolean;
export function isCi(env?: Record<string, string | undefined>): boolean;
export function installCommand(kinds: (BrowserKind | 'fonts')[], options?: PlatformOptions): string;
export function missingBrowsers(options?: PlatformOptions): { browsers: BrowserKind[]; fonts: 'fonts'[] };
export function ensureBrowsers(options?: {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  log?: (line: string) => void;
  /** Runs apt-get (tests pass a stand-in). */
  install?: (aptPackages: string[]) => void;
  /** Linux, root, apt-get (tests pass a stand-in). */
  canInstall?: () => boolean;
}): { skipped: true } | { skipped: false; chromium: string; firefox: string };
