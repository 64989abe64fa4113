// Where the IPADIC dictionary files (*.dat.gz) are: the one home of this logic, for the CLI at run time
// (src/node/dictionary.ts), for build.mjs (which ships a copy in dist/dict/ with the npm package) and for the
// extension build (scripts/build-extension.mjs, which copies them into dist/<browser>/dict/).
// Plain JavaScript so the build scripts can import it without compiling.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The dictionary inside the @patdx/kuromoji package installed for `root` (the source of every copy). */
export function kuromojiDictDir(root) {
  // ESM-only package without an exported package.json: resolve its entry (build/index.mjs) and step up.
  const entry = createRequire(path.join(root, 'package.json')).resolve('@patdx/kuromoji');
  return path.join(path.dirname(entry), '..', 'dict');
}

/** The copy build.mjs ships with the npm package (the installed CLI has no node_modules of its own). */
export function shippedDictDir(root) {
  return path.join(root, 'dist', 'dict');
}

/** The dictionary the CLI reads: the shipped copy when there is one, else the package's own files. */
export function dictionaryDir(root) {
  const shipped = shippedDictDir(root);
  return existsSync(path.join(shipped, 'base.dat.gz')) ? shipped : kuromojiDictDir(root);
}
