// scripts/browsers.mjs: the one browser finder (tests, npm start, .ci/run) and the no-silent-skip policy.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBrowsers, findBrowser, installCommand } from '../../scripts/browsers.mjs';

// A platform with nothing installed: Windows paths under empty roots, no PATH.
const bare = { PATH: '', HOME: '/nonexistent' };

describe('findBrowser', () => {
  it('uses CHROME_PATH / FIREFOX_PATH (and the older KIZUKI_* names) as the only place when set', () => {
    expect(findBrowser('chromium', { env: { CHROME_PATH: process.execPath } })).toMatchObject({ found: true, path: process.execPath, from: 'CHROME_PATH' });
    expect(findBrowser('chromium', { env: { KIZUKI_CHROMIUM: process.execPath } })).toMatchObject({ found: true, from: 'KIZUKI_CHROMIUM' });
    expect(findBrowser('firefox', { env: { FIREFOX_PATH: '/nowhere/firefox' } })).toMatchObject({ found: false, path: '/nowhere/firefox' });
  });

  it('finds a browser on PATH when the usual places are empty', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kizuki-path-'));
    writeFileSync(path.join(dir, 'chromium-browser'), '');
    try {
      expect(findBrowser('chromium', { env: { PATH: dir, HOME: dir }, platform: 'darwin' })).toMatchObject({ found: true, path: path.join(dir, 'chromium-browser'), from: 'search' });
      expect(findBrowser('firefox', { env: { PATH: dir, HOME: dir }, platform: 'darwin' })).toMatchObject({ found: false, path: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the exact install command of each platform', () => {
    expect(installCommand(['chromium', 'firefox', 'fonts'], { platform: 'linux' })).toMatch(/apt-get install -y chromium firefox-esr fonts-noto-cjk$/);
    expect(installCommand(['chromium', 'firefox'], { platform: 'darwin' })).toBe('brew install --cask chromium firefox');
    expect(installCommand(['firefox'], { platform: 'win32' })).toBe('winget install --id Mozilla.Firefox -e');
  });
});

describe('ensureBrowsers', () => {
  const quiet = () => {};
  const never = () => {
    throw new Error('must not install');
  };

  it('under CI=true fails at once with the install command, installing nothing, even with KIZUKI_SKIP_BROWSERS=1', () => {
    const env = { ...bare, CI: 'true', KIZUKI_SKIP_BROWSERS: '1' };
    expect(() => ensureBrowsers({ env, platform: 'win32', log: quiet, install: never, canInstall: () => true })).toThrow(/need Chromium and Firefox[\s\S]*winget install --id Google.Chrome -e/);
  });

  it('outside CI installs what is missing when it can, then checks again', () => {
    const env: Record<string, string | undefined> = { ...bare };
    const installed: string[][] = [];
    const install = (packages: string[]) => {
      installed.push(packages);
      env.CHROME_PATH = process.execPath;
      env.FIREFOX_PATH = process.execPath;
    };
    const result = ensureBrowsers({ env, platform: 'win32', log: quiet, install, canInstall: () => true });
    expect(installed).toEqual([['chromium', 'firefox-esr']]);
    expect(result).toMatchObject({ skipped: false, chromium: process.execPath, firefox: process.execPath });
  });

  it('installs missing CJK fonts too (outside CI, as root with apt), but only warns about them under CI', () => {
    const installed: string[][] = [];
    const env = { ...bare, CHROME_PATH: process.execPath, FIREFOX_PATH: process.execPath };
    const logs: string[] = [];
    // No fontconfig on a bare PATH: fonts count as missing on Linux.
    ensureBrowsers({ env, platform: 'linux', log: (l) => logs.push(l), install: (p) => installed.push(p), canInstall: () => true });
    expect(installed).toEqual([['fonts-noto-cjk']]);
    expect(logs[0]).toContain('installing fonts-noto-cjk');
    expect(() => ensureBrowsers({ env: { ...env, CI: 'true' }, platform: 'linux', log: () => {}, install: never, canInstall: () => true })).not.toThrow();
  });

  it('outside CI, when it cannot install, fails at once with the command to run', () => {
    expect(() => ensureBrowsers({ env: { ...bare }, platform: 'win32', log: quiet, install: never, canInstall: () => false })).toThrow(/Install with:\n  winget/);
  });

  it('does not install over a CHROME_PATH that points nowhere: the variable is the mistake', () => {
    const env = { ...bare, CHROME_PATH: '/nowhere/chrome', FIREFOX_PATH: process.execPath };
    expect(() => ensureBrowsers({ env, platform: 'linux', log: quiet, install: never, canInstall: () => true })).toThrow(/CHROME_PATH=\/nowhere\/chrome does not exist/);
  });

  it('KIZUKI_SKIP_BROWSERS=1 outside CI skips (and the run summary says so)', () => {
    expect(ensureBrowsers({ env: { ...bare, KIZUKI_SKIP_BROWSERS: '1' }, platform: 'win32', install: never })).toEqual({ skipped: true });
  });
});
