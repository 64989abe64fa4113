// Reading a pack from its YAML (or JSON) text, with the line of each node for error messages. Apart from the rest
// of pack loading (pack.ts), so that the engine host can start without the YAML parser: the built-in pack arrives
// parsed at build time, and this module is loaded only for a pack given as text (src/host/packs.ts).
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { loadPackData, MAX_PACK_DEPTH, type LoadOptions } from './pack';
import { MAX_PACK_BYTES } from './pack-errors';
import type { Path } from './schema';
import type { PackError, PackResult } from './model';

export function parsePackText(text: string, file: string): { ok: true; data: unknown; lineOf: (path: Path) => number | undefined } | { ok: false; errors: PackError[] } {
  if (text.length > MAX_PACK_BYTES) {
    return { ok: false, errors: [{ file, message: `パックが大きすぎます（${text.length.toLocaleString()} 文字、上限 ${MAX_PACK_BYTES.toLocaleString()}）` }] };
  }
  const lineCounter = new LineCounter();
  const tooDeep = { ok: false as const, errors: [{ file, message: `入れ子が深すぎます（${MAX_PACK_DEPTH} 段まで）` }] };
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  } catch (error) {
    if (error instanceof RangeError) return tooDeep;
    throw error;
  }
  // The YAML parser reports a stack overflow on absurd nesting as a parse error; say what it means.
  if (doc.errors.some((e) => /call stack/i.test(e.message))) return tooDeep;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line,
        message: `YAML/JSON として読めません: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const lineOf = (path: Path): number | undefined => {
    let node: unknown = doc.contents;
    let best: number | undefined;
    for (const part of path) {
      const range = (node as YamlNode | undefined)?.range;
      if (range) best = lineCounter.linePos(range[0]).line;
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
        if (!pair) return best;
        const keyRange = (pair.key as YamlNode | null)?.range;
        if (keyRange) best = lineCounter.linePos(keyRange[0]).line;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') node = node.items[part];
      else return best;
    }
    const range = (node as YamlNode | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : best;
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof RangeError) return tooDeep;
    // e.g. an alias used before its anchor (*name before &name), or too many aliases.
    return { ok: false, errors: [{ file, message: `YAML/JSON として読めません: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (depthOf(data) > MAX_PACK_DEPTH) return tooDeep;
  return { ok: true, data, lineOf };
}

/** Nesting depth of parsed data, computed without recursion so that the check itself cannot overflow. */
function depthOf(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    max = Math.max(max, depth + 1);
    if (max > MAX_PACK_DEPTH) return max;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return max;
}

export async function loadPackText(text: string, options: LoadOptions): Promise<PackResult> {
  const parsed = parsePackText(text, options.file);
  if (!parsed.ok) return parsed;
  return loadPackData(parsed.data, options, parsed.lineOf);
}
