// Builds everything kizuki ships. `node build.mjs --cli` builds only the Node entry points
// (run by `npm install` through `prepare`, so `npx kizuki` works right after install) and rules/pack.schema.json;
// with no flag it also builds the browser extension for Chromium and Firefox.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { kuromojiDictDir, shippedDictDir } from './src/node/dictionary-dir.mjs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
const onlyCli = process.argv.includes('--cli');

/** How TypeScript becomes a Node module here (CLI, benchmarks, the scripts' copy of the e2e harness). */
export const nodeBundleOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies load from node_modules at run time, as the published package would.
  packages: 'external',
  logLevel: 'warning',
};

/**
 * The CLI (and `npm run eval` / `fuzz`) as self-contained bundles: its few runtime libraries (yaml, re2js, kuromoji)
 * are bundled in and the dictionary is copied to dist/dict/, so the npm package (`files` in package.json) has no
 * dependencies to download and installs offline (test/cli/package.test.ts).
 */
export async function buildNode() {
  await build({
    ...nodeBundleOptions,
    packages: undefined,
    // yaml's Node build is CommonJS and requires Node built-ins: give the ESM bundle a require().
    banner: { js: "import { createRequire as __kizukiRequire } from 'node:module'; const require = __kizukiRequire(import.meta.url);" },
    entryPoints: { cli: 'src/cli/main.ts', eval: 'src/cli/eval-main.ts', fuzz: 'src/cli/fuzz-main.ts' },
    outdir: 'dist/node',
    loader: { '.yaml': 'text' },
    sourcemap: true,
  });
  await copyDictionary();
}

/** Copies the IPADIC files (and the package's licence, Apache-2.0) to dist/dict/, skipping files already identical. */
async function copyDictionary() {
  const from = kuromojiDictDir(root);
  const to = shippedDictDir(root);
  await mkdir(to, { recursive: true });
  const files = [...(await readdir(from)).filter((f) => f.endsWith('.dat.gz')).map((f) => [path.join(from, f), f]), [path.join(from, '..', 'LICENSE-2.0.txt'), 'LICENSE-2.0.txt']];
  for (const [source, name] of files) {
    const target = path.join(to, name);
    const [a, b] = await Promise.all([stat(source), stat(target).catch(() => null)]);
    if (!b || a.size !== b.size || a.mtimeMs > b.mtimeMs) await copyFile(source, target);
  }
}

/** Writes rules/pack.schema.json (editors' autocomplete for packs) from src/engine/pack-schema.ts, its single source. */
export async function writePackSchema() {
  const bundled = await build({
    absWorkingDir: root,
    entryPoints: ['src/engine/pack-schema.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'warning',
  });
  const source = Buffer.from(bundled.outputFiles[0].text).toString('base64');
  const { packSchemaJson } = await import(`data:text/javascript;base64,${source}`);
  const file = path.join(root, 'rules', 'pack.schema.json');
  // Written only when it changes: `npm run docs` leaves the tree untouched when nothing did.
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current !== packSchemaJson()) await writeFile(file, packSchemaJson());
}

const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  // `npm install` runs this first (prepare): say plainly when Node is too old (Debian 12's nodejs is 18.19).
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`kizuki には Node 20.19 以上が必要です（いまは ${process.versions.node}）。https://nodejs.org/ か nvm で新しい Node を入れてください。\n` +
      `kizuki needs Node 20.19 or later (this is ${process.versions.node}): install a newer Node from https://nodejs.org/ or with nvm.`);
    process.exit(1);
  }
  await writePackSchema();
  await buildNode();
  if (!onlyCli) {
    const { buildExtension } = await import('./scripts/build-extension.mjs');
    await buildExtension({ root });
  }
}
