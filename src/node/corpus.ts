// Reading a labelled corpus (docs/corpus-format.md) from disk: every *.jsonl file of a folder, in name order.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabelledCase } from '../engine/index';
import { projectRoot } from './packs';

export const corpusDir = path.join(projectRoot, 'test', 'corpus');
/**
 * Cases written blind: by writers who had not read the built-in pack or its spec, from support situations. They are
 * never used to tune rules; their figure is reported beside the corpus figure to show whether the rules generalise.
 */
export const blindCorpusDir = path.join(corpusDir, 'blind');

/** Throws with file and line when a line is not a JSON object with a string draft. */
export function readCorpus(dir = corpusDir): LabelledCase[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  } catch (error) {
    throw new Error(`${dir}: コーパスのフォルダーを読めません (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (files.length === 0) throw new Error(`${dir}: ラベル付きコーパス（*.jsonl）がありません`);
  return files.flatMap((f) =>
    readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .map((line, i) => ({ line, where: `${f}:${i + 1}` }))
      .filter(({ line }) => line.trim())
      .map(({ line, where }) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          throw new Error(`${where}: JSON として読めません (${(error as Error).message})`);
        }
        const c = value as Partial<LabelledCase> | null;
        if (typeof c !== 'object' || c === null || typeof c.id !== 'string' || typeof c.draft !== 'string') {
          throw new Error(`${where}: "id" と "draft"（文字列）が必要です`);
        }
        return c as LabelledCase;
      }),
  );
}
