// Node side of the tokenizer: reads the IPADIC files shipped in the kuromoji package, and keeps one
// tokenizer per process, shared by every caller (concurrent callers await the same promise).
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildTokenizer, type DictionaryLoader, type Tokenizer } from '../engine/tokenizer';

const gunzipAsync = promisify(gunzip);

export function dictionaryDir(): string {
  // The package is ESM-only and does not export package.json: resolve its entry (build/index.mjs) instead.
  const entry =
    typeof import.meta.resolve === 'function'
      ? fileURLToPath(import.meta.resolve('@patdx/kuromoji'))
      : createRequire(import.meta.url).resolve('@patdx/kuromoji');
  return path.join(path.dirname(entry), '..', 'dict');
}

export function fileDictionaryLoader(dir: string = dictionaryDir()): DictionaryLoader {
  return {
    async loadArrayBuffer(file: string) {
      const bytes = await gunzipAsync(await readFile(path.join(dir, file)));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
  };
}

let shared: Promise<Tokenizer> | undefined;

export function sharedTokenizer(): Promise<Tokenizer> {
  shared ??= buildTokenizer(fileDictionaryLoader()).catch((error: unknown) => {
    shared = undefined; // let a later caller retry instead of caching the failure forever
    throw error;
  });
  return shared;
}
