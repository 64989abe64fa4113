import { readFileSync } from 'node:fs';
import { sharedTokenizer } from '../src/node/dictionary';
import { builtinPackPath } from '../src/node/packs';
import { createEngine, loadPackText, formatPackError, type LoadedPack, type Tokenizer } from '../src/engine/index';

export const tokenizer: Promise<Tokenizer> = sharedTokenizer();

/** Loads a pack from YAML text, failing the test with the pack's own error messages. */
export async function pack(yaml: string, file = 'test.yaml', base: LoadedPack[] = []): Promise<LoadedPack> {
  const result = await loadPackText(yaml, { file, tokenizer: await tokenizer, baseSignals: base.flatMap((p) => p.signals) });
  if (!result.ok) throw new Error(result.errors.map(formatPackError).join('\n'));
  return result.pack;
}

let builtin: Promise<LoadedPack> | undefined;
export function builtinPack(): Promise<LoadedPack> {
  builtin ??= pack(readFileSync(builtinPackPath, 'utf8'), 'rules/builtin.yaml');
  return builtin;
}

export async function builtinEngine() {
  return createEngine({ packs: [await builtinPack()], tokenizer: await tokenizer });
}

/** A tokenizer that counts what it was asked to tokenise. */
export function countingTokenizer(inner: Tokenizer): Tokenizer & { calls: string[] } {
  const calls: string[] = [];
  return { calls, tokenize: (text: string) => (calls.push(text), inner.tokenize(text)) };
}
