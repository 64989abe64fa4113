// Builds everything kizuki ships. `node build.mjs --cli` builds only the Node entry points
// (run by `npm install` through `prepare`, so `npx kizuki` works right after install) and rules/pack.schema.json;
// with no flag it also builds the browser extension for Chromium and Firefox.
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
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

export async function buildNode() {
  await build({
    ...nodeBundleOptions,
    entryPoints: { cli: 'src/cli/main.ts', eval: 'src/cli/eval-main.ts', fuzz: 'src/cli/fuzz-main.ts' },
    outdir: 'dist/node',
    loader: { '.yaml': 'text' },
    sourcemap: true,
  });
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
  await writeFile(path.join(root, 'rules', 'pack.schema.json'), packSchemaJson());
}

const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  await writePackSchema();
  await buildNode();
  if (!onlyCli) {
    const { buildExtension } = await import('./scripts/build-extension.mjs');
    await buildExtension({ root });
  }
}
