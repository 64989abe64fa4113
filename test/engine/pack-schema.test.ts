import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packSchema, packSchemaJson } from '../../src/engine/pack-schema';
import { validateSchema } from '../../src/engine/schema';
import { projectRoot, builtinPackPath } from '../../src/node/packs';

const committedPath = path.join(projectRoot, 'rules', 'pack.schema.json');

describe('rules/pack.schema.json', () => {
  it('is exactly what build.mjs generates from src/engine/pack-schema.ts (run `node build.mjs --cli` after editing the schema)', () => {
    expect(readFileSync(committedPath, 'utf8')).toBe(packSchemaJson());
  });

  it('is the schema the built-in pack points editors at, and the built-in pack satisfies it', () => {
    const firstLine = readFileSync(builtinPackPath, 'utf8').split('\n')[0];
    expect(firstLine).toBe('# yaml-language-server: $schema=./pack.schema.json');
    const committed = JSON.parse(readFileSync(committedPath, 'utf8')) as Record<string, unknown>;
    expect(validateSchema(parse(readFileSync(builtinPackPath, 'utf8')), committed)).toEqual([]);
    expect(committed).toEqual(packSchema);
  });
});
