// Reading packs from disk for the CLI and tests. The built-in pack's examples run in `npm test`
// (and in `kizuki pack test rules/builtin.yaml`), so ordinary start-up skips them.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadPackText, type CompiledSignal, type PackResult, type Tokenizer } from '../engine/index';

/** Both src/node/ and the bundled dist/node/ sit two levels below the project root. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const builtinPackPath = path.join(projectRoot, 'rules', 'builtin.yaml');
/** The JSON Schema of packs, shipped in the npm package (its `$id` is stable for format 1). */
export const packSchemaPath = path.join(projectRoot, 'rules', 'pack.schema.json');

/**
 * How a pack written in `dir` points editors at the schema (`# yaml-language-server: $schema=…`): the copy in the
 * nearest node_modules/kizuki, else this installation's, as a relative path so that it resolves offline, from the
 * installed package, as biome's or eslint's `$schema` references do.
 */
export function packSchemaReference(dir: string): string {
  const from = path.resolve(dir);
  const relative = (to: string) => {
    const posix = path.relative(from, to).split(path.sep).join('/');
    return posix.startsWith('.') ? posix : `./${posix}`;
  };
  for (let d = from; ; d = path.dirname(d)) {
    const installed = path.join(d, 'node_modules', 'kizuki', 'rules', 'pack.schema.json');
    if (existsSync(installed)) return relative(installed);
    if (path.dirname(d) === d) break;
  }
  return relative(packSchemaPath);
}

export async function readPackFile(
  file: string,
  options: { tokenizer: Tokenizer | null; baseSignals?: CompiledSignal[]; runExamples?: boolean },
): Promise<PackResult> {
  let text: string;
  try {
    text = await readTextFile(file);
  } catch (error) {
    // The pack error already names the file: keep only the reason.
    return { ok: false, errors: [{ file, message: error instanceof TextFileError ? error.reason : (error as Error).message }] };
  }
  return loadPackText(text, { file, ...options });
}

export async function loadBuiltinPack(tokenizer: Tokenizer | null, runExamples = false): Promise<PackResult> {
  return readPackFile(builtinPackPath, { tokenizer, runExamples });
}

/** A text file that could not be read; the message names the file, `reason` is the rest. */
export class TextFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Reads a UTF-8 text file, refusing binary content with a message a person understands. */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'ファイルが見つかりません'
      : code === 'EACCES' ? '読み取り権限がありません'
      : code === 'EISDIR' ? 'フォルダーです（ファイルを指定してください）'
      : (error as Error).message;
    throw new TextFileError(file, reason);
  }
  return decodeText(bytes, file);
}

export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.includes(0)) throw new TextFileError(name, 'テキストファイルではありません（バイナリのようです）');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new TextFileError(name, 'UTF-8 のテキストとして読めません');
  }
}
