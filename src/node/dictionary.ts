// Node side of the tokenizer: reads the IPADIC files shipped in the kuromoji package, and keeps one
// tokenizer per process, shared by every caller (concurrent callers await the same promise).
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import path from 'node:path';
import { buildTokenizer, type DictionaryLoader, type Tokenizer } from '../engine/index';
import { dictionaryDir as dictionaryDirOf } from './dictionary-dir.mjs';
import { projectRoot } from './packs';

const gunzipAsync = promisify(gunzip);

/** The IPADIC files: the copy shipped in dist/dict/ by `node build.mjs --cli`, else the kuromoji package's own. */
export function dictionaryDir(): string {
  return dictionaryDirOf(projectRoot);
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
