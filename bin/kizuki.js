#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `node build.mjs --cli` (run by `npm install`).
// If the bundle is missing (e.g. install ran with scripts disabled), build it once here.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/node/cli.js');
if (!existsSync(bundle)) {
  const { buildNode } = await import(pathToFileURL(path.join(root, 'build.mjs')).href );
  await buildNode();
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
