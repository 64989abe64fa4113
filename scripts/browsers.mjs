// The one place that finds the browsers the real-browser tests drive (Chromium for Playwright, Firefox for Puppeteer)
// and says how to install what is missing. Used by test/e2e/ (harness.ts, firefox.ts, global-setup.ts), by
// scripts/start.mjs and the benchmarks, and by .ci/run (`node scripts/browsers.mjs --apt-missing`).
// Plain JavaScript with no dependencies, so a shell script can run it before `npm ci`.
import { existsSync, statSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variables that name a browser explicitly, first wins. KIZUKI_* are the older names, still honoured. */
export const BROWSER_ENV = {
  chromium: ['CHROME_PATH', 'KIZUKI_CHROMIUM'],
  firefox: ['FIREFOX_PATH', 'KIZUKI_FIREFOX'],
};

/** Debian/Ubuntu packages: the two browsers, and CJK fonts so Japanese renders in screenshots. */
export const APT_PACKAGES = { chromium: 'chromium', firefox: 'firefox-esr', fonts: 'fonts-noto-cjk' };

function usualPlaces(kind, platform, env) {
  if (platform === 'darwin') {
    const apps = ['/Applications', path.join(env.HOME ?? '', 'Applications')];
    const bundles = kind === 'chromium'
      ? ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome']
      : ['Firefox.app/Contents/MacOS/firefox', 'Firefox ESR.app/Contents/MacOS/firefox'];
    return apps.flatMap((dir) => bundles.map((b) => path.join(dir, b)));
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.ProgramFiles, env['ProgramFiles(x86)']].filter(Boolean);
    const exes = kind === 'chromium'
      ? ['Chromium\\Application\\chrome.exe', 'Google\\Chrome\\Application\\chrome.exe']
      : ['Mozilla Firefox\\firefox.exe'];
    return roots.flatMap((root) => exes.map((e) => path.win32.join(root, e)));
  }
  return kind === 'chromium'
    ? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium']
    : ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr'];
}

const commandNames = { chromium: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'], firefox: ['firefox-esr', 'firefox'] };

function onPath(names, platform, env) {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const name of names) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const candidate = path.join(dir, name + ext.toLowerCase());
        if (isFile(candidate)) return candidate;
      }
    }
  }
  return null;
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the browser of `kind` ('chromium' | 'firefox') is. An explicit variable (CHROME_PATH / FIREFOX_PATH, or
 * KIZUKI_CHROMIUM / KIZUKI_FIREFOX) is the only place looked at when set: pointing it nowhere means "missing".
 * Otherwise the usual install locations of Linux, macOS and Windows, then PATH.
 * @returns {{ kind: string, path: string | null, found: boolean, from: string }}
 */
export function findBrowser(kind, { env = process.env, platform = process.platform } = {}) {
  for (const name of BROWSER_ENV[kind]) {
    const value = env[name];
    if (value) return { kind, path: value, found: isFile(value), from: name };
  }
  const place = usualPlaces(kind, platform, env).find(isFile) ?? onPath(commandNames[kind], platform, env);
  return { kind, path: place ?? null, found: place !== null, from: place ? 'search' : 'none' };
}

/** True when Noto Sans CJK (or, where fontconfig is absent, anything: macOS and Windows ship CJK fonts) is installed. */
export function hasCjkFonts({ env = process.env, platform = process.platform } = {}) {
  if (platform !== 'linux') return true;
  try {
    return /noto sans cjk/i.test(execFileSync('fc-list', { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return false;
  }
}

/** KIZUKI_SKIP_BROWSERS=1 opts out of the real-browser tests, outside CI only. */
export function browsersSkipped(env = process.env) {
  return env.KIZUKI_SKIP_BROWSERS === '1' && !isCi(env);
}

export function isCi(env = process.env) {
  return !!env.CI && env.CI !== 'false' && env.CI !== '0';
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = () => existsSync('/usr/bin/apt-get');

/** The exact command that installs `kinds` ('chromium' | 'firefox' | 'fonts') on this platform. */
export function installCommand(kinds, { platform = process.platform } = {}) {
  if (platform === 'darwin') {
    const casks = kinds.flatMap((k) => (k === 'chromium' ? ['chromium'] : k === 'firefox' ? ['firefox'] : []));
    return `brew install --cask ${casks.join(' ')}`;
  }
  if (platform === 'win32') {
    const ids = kinds.flatMap((k) => (k === 'chromium' ? ['Google.Chrome'] : k === 'firefox' ? ['Mozilla.Firefox'] : []));
    return ids.map((id) => `winget install --id ${id} -e`).join(' && ');
  }
  const packages = kinds.map((k) => APT_PACKAGES[k]).join(' ');
  const sudo = isRoot() ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages}`;
}

/** What is missing: browsers first ('chromium', 'firefox'), then 'fonts' on Linux. */
export function missingBrowsers(options = {}) {
  const missing = ['chromium', 'firefox'].filter((k) => !findBrowser(k, options).found);
  const fonts = hasCjkFonts(options) ? [] : ['fonts'];
  return { browsers: missing, fonts };
}

function explain(kinds, options) {
  const lines = kinds.map((k) => {
    const b = findBrowser(k, options);
    const label = k === 'chromium' ? 'Chromium (or Chrome)' : 'Firefox';
    return b.from !== 'search' && b.from !== 'none'
      ? `  ${label}: ${b.from}=${b.path} does not exist`
      : `  ${label}: not found in the usual places or on PATH`;
  });
  return lines.join('\n');
}

/**
 * Makes sure the real-browser tests can run, before any of them starts:
 * - KIZUKI_SKIP_BROWSERS=1 outside CI: nothing is checked; returns { skipped: true } (the run's summary says so);
 * - everything found: returns the paths;
 * - something missing under CI=true: throws with the exact install command (.ci/run installs before testing);
 * - something missing elsewhere (browsers or CJK fonts), as root with apt-get: installs it and checks again;
 * - otherwise: throws with the exact command to run, or the variables to set.
 */
export function ensureBrowsers({ env = process.env, platform = process.platform, log = (line) => console.log(line), install = aptInstall, canInstall = canAptInstall } = {}) {
  if (browsersSkipped(env)) return { skipped: true };
  const options = { env, platform };
  let { browsers, fonts } = missingBrowsers(options);
  // A browser named by a variable that points nowhere is a mistake to fix, not something to install.
  const named = browsers.filter((k) => findBrowser(k, options).from !== 'none');
  // CJK fonts only matter for screenshots, but they come along: a machine set up once has everything.
  if (browsers.length + fonts.length > 0 && named.length === 0 && !isCi(env) && canInstall()) {
    const packages = [...browsers, ...fonts].map((k) => APT_PACKAGES[k]);
    log(`kizuki: installing ${packages.join(', ')} for the real-browser tests (apt-get, as root)…`);
    install(packages);
    ({ browsers, fonts } = missingBrowsers(options));
  }
  if (browsers.length > 0) {
    throw new Error(
      `The real-browser tests need ${browsers.map((k) => (k === 'chromium' ? 'Chromium' : 'Firefox')).join(' and ')}:\n` +
        `${explain(browsers, options)}\n` +
        (named.length > 0 ? `Fix or unset the variable above, or install with:\n` : `Install with:\n`) +
        `  ${installCommand([...browsers, ...fonts], options)}\n` +
        `or point CHROME_PATH / FIREFOX_PATH at an installed browser` +
        (isCi(env) ? '.' : ` (KIZUKI_SKIP_BROWSERS=1 skips these tests, outside CI only).`),
    );
  }
  if (fonts.length > 0) log(`kizuki: no CJK fonts (Japanese renders as boxes in screenshots): ${installCommand(fonts, options)}`);
  return { skipped: false, chromium: findBrowser('chromium', options).path, firefox: findBrowser('firefox', options).path };
}

function canAptInstall() {
  return process.platform === 'linux' && isRoot() && hasApt();
}

function aptInstall(packages) {
  const opts = { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  const update = spawnSync('apt-get', ['update', '-q'], opts);
  const result = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-q', ...packages], opts) : update;
  if (result.status !== 0) {
    throw new Error(`apt-get install -y ${packages.join(' ')} failed (exit ${result.status}); run it yourself:\n  apt-get update && apt-get install -y ${packages.join(' ')}`);
  }
}

// `node scripts/browsers.mjs`: where the browsers are. `--apt-missing`: the apt packages still to install, one line
// (empty when nothing is missing), for .ci/run.
const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  const { browsers, fonts } = missingBrowsers();
  if (process.argv.includes('--apt-missing')) {
    console.log([...browsers, ...fonts].map((k) => APT_PACKAGES[k]).join(' '));
  } else {
    for (const kind of ['chromium', 'firefox']) {
      const b = findBrowser(kind);
      console.log(`${kind}: ${b.found ? b.path : 'missing'}${b.from !== 'search' && b.from !== 'none' ? ` (${b.from})` : ''}`);
    }
    console.log(`CJK fonts: ${fonts.length ? 'missing' : 'ok'}`);
    if (browsers.length + fonts.length > 0) console.log(`install: ${installCommand([...browsers, ...fonts])}`);
  }
}
