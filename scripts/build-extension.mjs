// Builds the browser extension from one source: dist/chrome/ and dist/firefox/ (+ a zip of each for the stores),
// or, with { e2e: true }, dist/chrome-e2e/ and dist/firefox-e2e/ for the real-browser tests (also run on
// http://127.0.0.1 and emit the `kizuki:updated` test event). Code differs between targets only where the engine lives
// (__KIZUKI_OFFSCREEN__); otherwise only the manifest differs.
import { build } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { readFile, writeFile, mkdir, rm, copyFile, readdir, stat } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import path from 'node:path';
import { writeCompactDictionary, COMPACT_DICTIONARY_FILE } from './build-dictionary.mjs';

const FIREFOX_ID = 'kizuki@kizuki.dev';
const E2E_MATCHES = ['http://127.0.0.1/*'];

/**
 * @param {{ root: string, e2e?: boolean, outDir?: string, log?: (line: string) => void }} options
 *   outDir: where dist/<target>/ and the zips go (default <root>/dist; the build test uses a temporary folder)
 * @returns {Promise<string[]>} the directories written
 */
export async function buildExtension({ root, e2e = false, outDir = path.join(root, 'dist'), log = console.log }) {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const source = JSON.parse(await readFile(path.join(root, 'manifest.json'), 'utf8'));
  source.version = pkg.version;

  const targets = e2e ? [['chrome-e2e', chromeManifest(source, true)], ['firefox-e2e', firefoxManifest(source, true)]] : [
    ['chrome', chromeManifest(source, false)],
    ['firefox', firefoxManifest(source)],
  ];
  const written = [];
  for (const [name, manifest] of targets) {
    const out = path.join(outDir, name);
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    await bundle(root, out, e2e, !name.startsWith('firefox'));
    await copyStatic(root, out, name);
    await writeFile(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    if (!e2e) {
      const zip = path.join(outDir, `kizuki-${name}.zip`);
      await writeZip(out, zip);
      log(`extension: ${path.relative(root, out)}/ and ${path.relative(root, zip)}`);
    } else {
      log(`extension: ${path.relative(root, out)}/ (e2e build)`);
    }
    written.push(out);
  }
  return written;
}

/**
 * The built-in pack parsed here rather than in the browser at every start (parsing the YAML was ~60 % of compiling
 * it): JSON text the engine host reads with loadPackData (src/host/packs.ts). A test checks that it is the data
 * the engine's own YAML parsing gives.
 */
export async function builtinPackJson(root) {
  const text = await readFile(path.join(root, 'rules/builtin.yaml'), 'utf8');
  return JSON.stringify(parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 }));
}

/**
 * What the engine works out about each regex of the built-in pack before it can run it (anchors, whether it runs
 * natively): over 100 ms of the engine host's start in the browser, done here once (src/engine/regex-anchors.ts).
 * JSON text, by regex source.
 */
export async function builtinRegexFactsJson(root) {
  const bundled = await build({
    absWorkingDir: root,
    stdin: {
      contents: "export { loadPackData } from './src/engine/pack'; export { rememberedRegexFacts } from './src/engine/regex-anchors';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'warning',
  });
  const engine = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
  const loaded = await engine.loadPackData(JSON.parse(await builtinPackJson(root)), { file: 'builtin', tokenizer: null, runExamples: false, trusted: true });
  if (!loaded.ok) throw new Error(`the built-in pack does not compile: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  return JSON.stringify(engine.rememberedRegexFacts());
}

function chromeManifest(source, e2e) {
  const m = structuredClone(source);
  if (e2e) addE2EMatches(m);
  return m;
}

function addE2EMatches(m) {
  for (const cs of m.content_scripts) cs.matches = [...cs.matches, ...E2E_MATCHES];
  m.host_permissions = [...m.host_permissions, ...E2E_MATCHES];
}

function firefoxManifest(source, e2e = false) {
  const m = structuredClone(source);
  if (e2e) addE2EMatches(m);
  // Firefox has no offscreen documents and no side panel: the background is an event page (with a DOM, so it
  // hosts the engine itself) and the panel is a sidebar.
  m.background = { scripts: ['dictionary-prefetch.js', 'background.js'], type: 'module' };
  // Firefox reads managed storage from policies.json (3rdparty.Extensions.<id>), not from a manifest schema.
  delete m.storage;
  m.permissions = m.permissions.filter((p) => p !== 'offscreen' && p !== 'sidePanel');
  delete m.side_panel;
  delete m.minimum_chrome_version;
  m.sidebar_action = {
    default_title: 'kizuki',
    default_panel: 'panel.html',
    default_icon: m.action.default_icon,
  };
  m.browser_specific_settings = {
    gecko: {
      id: FIREFOX_ID,
      // CSS Custom Highlight API (underlines) arrived in Firefox 140.
      strict_min_version: '140.0',
      // Nothing leaves the browser: drafts are analysed locally.
      data_collection_permissions: { required: ['none'] },
    },
    // data_collection_permissions needs Firefox for Android 142.
    gecko_android: { strict_min_version: '142.0' },
  };
  return m;
}

/**
 * Modules that only define things: the engine (pure by design) and the libraries it uses. esbuild keeps a module's
 * top-level code when it cannot prove it harmless (`new Set(...)` in yaml's lexer, a schema built by calls), even if
 * nothing imported from it is used; marked here, they leave bundles that do not use them (Chrome's service worker).
 */
const PURE_MODULES = /[\\/](?:src[\\/]engine|node_modules[\\/](?:yaml|re2js|@patdx[\\/]kuromoji))[\\/]/;
const pureModules = {
  name: 'kizuki-pure-modules',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolvingPure || args.kind === 'entry-point') return undefined;
      const resolved = await b.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: { resolvingPure: true } });
      return resolved.errors.length === 0 && PURE_MODULES.test(resolved.path) ? { path: resolved.path, sideEffects: false } : undefined;
    });
  },
};

async function bundle(root, out, e2e, offscreen) {
  const common = {
    absWorkingDir: root,
    outdir: out,
    bundle: true,
    platform: 'browser',
    target: ['chrome116', 'firefox140'],
    loader: { '.yaml': 'text' },
    define: {
      __KIZUKI_E2E__: e2e ? 'true' : 'false',
      // Chrome: the engine host is the offscreen document, and the service worker is built without an engine.
      __KIZUKI_OFFSCREEN__: offscreen ? 'true' : 'false',
      __KIZUKI_BUILTIN_JSON__: JSON.stringify(await builtinPackJson(root)),
      __KIZUKI_BUILTIN_REGEX_FACTS__: JSON.stringify(await builtinRegexFactsJson(root)),
    },
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    // Drops code behind `if (__KIZUKI_E2E__)` from shipping builds; whitespace and names stay readable for reviewers.
    minifySyntax: true,
    // Japanese text as UTF-8, not \uXXXX escapes: the built-in pack's strings in the engine host were 620 KB escaped.
    charset: 'utf8',
    plugins: [pureModules],
    logLevel: 'warning',
  };
  // The service worker on its own, in one file: with the pages' chunks it would import code it never runs (Chrome's
  // build drops the engine from it, see __KIZUKI_OFFSCREEN__).
  await build({ ...common, format: 'esm', entryPoints: { background: 'src/background/index.ts' } });
  await build({
    ...common,
    format: 'esm',
    // Shared code and what is imported on demand (the YAML reader in the engine host) go into chunks.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    entryPoints: {
      offscreen: 'src/offscreen/offscreen.ts',
      panel: 'src/panel/main.tsx',
      options: 'src/options/main.tsx',
    },
  });
  // Content scripts and workers are classic scripts: no module format.
  await build({
    ...common,
    format: 'iife',
    // The dictionary's reader (a worker) and the engine host page's first script, which starts it.
    entryPoints: {
      content: 'src/content/index.ts',
      bridge: 'src/content/bridge.ts',
      'dictionary-worker': 'src/host/dictionary-worker.ts',
      'dictionary-prefetch': 'src/host/dictionary-prefetch.ts',
    },
  });
}

async function copyStatic(root, out, target) {
  await copyFile(path.join(root, 'src/panel/panel.html'), path.join(out, 'panel.html'));
  await copyFile(path.join(root, 'src/panel/panel.css'), path.join(out, 'panel.css'));
  await copyFile(path.join(root, 'src/options/options.html'), path.join(out, 'options.html'));
  await copyFile(path.join(root, 'src/options/options.css'), path.join(out, 'options.css'));
  if (target.startsWith('firefox')) {
    // No offscreen documents in Firefox: the background page hosts the engine.
    await rm(path.join(out, 'offscreen.js'), { force: true });
  } else {
    await copyFile(path.join(root, 'src/offscreen/offscreen.html'), path.join(out, 'offscreen.html'));
  }
  if (!target.startsWith('firefox')) {
    // Chrome validates chrome.storage.managed against this schema (storage.managed_schema in the manifest).
    await mkdir(path.join(out, 'schema'));
    await copyFile(path.join(root, 'schema/managed.json'), path.join(out, 'schema/managed.json'));
  }
  // Manifest strings (name, description, command descriptions) in Japanese and English (default_locale: ja).
  for (const locale of await readdir(path.join(root, '_locales'))) {
    await mkdir(path.join(out, '_locales', locale), { recursive: true });
    await copyFile(path.join(root, '_locales', locale, 'messages.json'), path.join(out, '_locales', locale, 'messages.json'));
  }
  await mkdir(path.join(out, 'icons'));
  for (const f of await readdir(path.join(root, 'icons'))) {
    if (f.endsWith('.png')) await copyFile(path.join(root, 'icons', f), path.join(out, 'icons', f));
  }
  // The dictionary in the form the tokenizer reads directly: one uncompressed file of typed arrays, made from the
  // installed kuromoji's IPADIC (scripts/build-dictionary.mjs; the store zip compresses it).
  await writeCompactDictionary({ root, outFile: path.join(out, 'dict', COMPACT_DICTIONARY_FILE) });
}

// A minimal zip writer (deflate, no zip64) so packaging needs no `zip` binary on a clean machine.
async function writeZip(dir, zipPath) {
  const files = [];
  async function walk(rel) {
    for (const name of (await readdir(path.join(dir, rel))).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if ((await stat(path.join(dir, r))).isDirectory()) await walk(r);
      else files.push(r);
    }
  }
  await walk('');
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const name of files) {
    const data = await readFile(path.join(dir, name));
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(stored ? 0 : 8, 8);
    header.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00, so builds are reproducible
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(body.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBuf.length, 26);
    locals.push(header, nameBuf, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += header.length + nameBuf.length + body.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  await writeFile(zipPath, Buffer.concat([...locals, ...centrals, end]));
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let crc = 0xffffffff;
  for (let i = 0; i < buf.length; i++) crc = CRC_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
