// kuromoji's IPADIC analysis over the compact dictionary written by scripts/build-dictionary.mjs: the file is read
// as typed-array views (no gunzip, no parsing, no copies), so the tokenizer is ready as soon as the bytes are.
// The lattice, the costs and the tie-breaking are kuromoji 1.0.x's (ViterbiBuilder, ViterbiSearcher), so tokens are
// the same: test/engine/compact-dictionary.test.ts compares every field on the whole labelled corpus.
//
// Input must contain no surrogate code units (safeForKuromoji() guarantees it): positions are UTF-16 offsets.
import type { RawToken } from './tokenizer';

const MAGIC = 0x315a4b4b;
const NONE = 0xffffffff;
const CHECK_EXCEPTION = -0x8000;

interface Header {
  version: number;
  entries: number;
  /** Cells of the double-array trie (past them, every cell reads as unused). */
  cells: number;
  /** String ids below this are katakana-only, stored one byte a character (code − U+30A0) in kanaChars. */
  kanaStrings: number;
  posTuples: (string | null)[][];
  surfaceExceptions: Record<string, string | null>;
  classes: ({ name: string; invoke: boolean; group: boolean } | null)[];
  defaultClass: number;
  unkTargets: (number[] | null)[];
  unkEntries: { left: number; right: number; cost: number; features: string[] }[];
  sections: Record<string, { offset: number; length: number }>;
}

export interface CompactDictionary {
  /** The trie's base values, 3 bytes each (signed, little-endian). */
  base24: Uint8Array;
  /** Each cell's distance back to its parent (check); CHECK_EXCEPTION where the check is listed apart. */
  checkDelta: Int16Array;
  checkExceptionCells: Uint32Array;
  checkExceptionValues: Int32Array;
  connection: Int16Array;
  /** Per entry: its context id (IPADIC's left and right ids are the same) and its word cost. */
  costs: Int16Array;
  pos: Uint16Array;
  /** Per entry: the basic form's and the reading's string ids. */
  refs: Uint32Array;
  /** The entries whose pronunciation is not their reading (ascending), and that pronunciation's string id. */
  pronunciationEntries: Uint32Array;
  pronunciationStrings: Uint32Array;
  /** Trie id → its first entry (entries are numbered in trie-id order); one more than there are trie ids. */
  mapOffsets: Uint32Array;
  /** String id → where its characters start (in kanaChars or otherChars), and how many there are. */
  stringStarts: Uint32Array;
  stringLengths: Uint8Array;
  kanaChars: Uint8Array;
  otherChars: Uint16Array;
  categoryMap: Uint8Array;
  header: Header;
}

/**
 * Views over the file's bytes, plus two offset tables summed from the per-key and per-string counts the file keeps
 * instead (3 MiB less to read, a few milliseconds to sum). Throws on a file that is not a compact dictionary.
 */
export function readCompactDictionary(buffer: ArrayBuffer): CompactDictionary {
  const view = new DataView(buffer);
  if (buffer.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('辞書ファイルの形式が違います');
  const length = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length))) as Header;
  if (header.version !== 2) throw new Error(`辞書ファイルの版が違います: ${header.version}`);
  const s = header.sections;
  const at = <T>(name: string, make: (b: ArrayBuffer, offset: number, length: number) => T): T => {
    const section = s[name];
    if (!section) throw new Error(`辞書ファイルに ${name} がありません`);
    return make(buffer, section.offset, section.length);
  };
  const stringLengths = at('stringLengths', (b, o, l) => new Uint8Array(b, o, l));
  return {
    base24: at('base24', (b, o, l) => new Uint8Array(b, o, l)),
    checkDelta: at('checkDelta', (b, o, l) => new Int16Array(b, o, l)),
    checkExceptionCells: at('checkExceptionCells', (b, o, l) => new Uint32Array(b, o, l)),
    checkExceptionValues: at('checkExceptionValues', (b, o, l) => new Int32Array(b, o, l)),
    connection: at('connection', (b, o, l) => new Int16Array(b, o, l)),
    costs: at('costs', (b, o, l) => new Int16Array(b, o, l)),
    pos: at('pos', (b, o, l) => new Uint16Array(b, o, l)),
    refs: at('refs', (b, o, l) => new Uint32Array(b, o, l)),
    pronunciationEntries: at('pronunciationEntries', (b, o, l) => new Uint32Array(b, o, l)),
    pronunciationStrings: at('pronunciationStrings', (b, o, l) => new Uint32Array(b, o, l)),
    mapOffsets: runningTotals(at('mapCounts', (b, o, l) => new Uint8Array(b, o, l)), 0),
    stringStarts: runningTotals(stringLengths, header.kanaStrings),
    stringLengths,
    kanaChars: at('kanaChars', (b, o, l) => new Uint8Array(b, o, l)),
    otherChars: at('otherChars', (b, o, l) => new Uint16Array(b, o, l)),
    categoryMap: at('categoryMap', (b, o, l) => new Uint8Array(b, o, l)),
    header,
  };
}

/** Where each count's run starts, one more than there are counts; the sum starts again from 0 at `restartAt`. */
function runningTotals(counts: Uint8Array, restartAt: number): Uint32Array {
  const starts = new Uint32Array(counts.length + 1);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    if (i === restartAt) total = 0;
    starts[i] = total;
    total += counts[i]!;
  }
  starts[counts.length] = total;
  return starts;
}

/** Where `value` is in the ascending `sorted`, or -1. */
function sortedIndexOf(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid]!;
    if (at === value) return mid;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** One lattice node. `entry` is an entry index (known words) or an unknown-entry index. */
interface Node {
  start: number; // 1-based, as in kuromoji's lattice
  length: number;
  left: number;
  right: number;
  cost: number;
  entry: number;
  known: boolean;
  surface: string;
  best: number;
  prev: Node | null;
}

export interface RawTokenizer {
  tokenize(text: string): RawToken[];
}

export function compactTokenizer(dict: CompactDictionary): RawTokenizer {
  const { base24, checkDelta, checkExceptionCells, checkExceptionValues, connection, costs, pos, refs, pronunciationEntries, pronunciationStrings, mapOffsets, stringStarts, stringLengths, kanaChars, otherChars, categoryMap, header } = dict;
  const backward = connection[1]!;
  const classes = header.classes;
  const strings = new Map<number, string>();
  const stringAt = (id: number): string | undefined => {
    if (id === NONE) return undefined;
    let s = strings.get(id);
    if (s === undefined) {
      const start = stringStarts[id]!;
      const end = start + stringLengths[id]!;
      if (id < header.kanaStrings) {
        s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(0x30a0 + kanaChars[i]!);
      } else s = String.fromCharCode(...otherChars.subarray(start, end));
      if (strings.size > 50_000) strings.clear();
      strings.set(id, s);
    }
    return s;
  };
  /** The entry's pronunciation string id: its reading's, unless listed as one that differs. */
  const pronunciationOf = (e: number): number => {
    const i = sortedIndexOf(pronunciationEntries, e);
    return i < 0 ? refs[e * 2 + 1]! : pronunciationStrings[i]!;
  };
  const classIdOf = (code: number) => (code < categoryMap.length ? categoryMap[code]! : header.defaultClass);
  const col = (value: string | null | undefined) => (value ?? undefined) as string;
  const cells = header.cells;
  // kuromoji's double array reads cells past its end as base 1 - index, check -1.
  const baseOf = (cell: number): number =>
    cell < cells ? ((base24[cell * 3]! | (base24[cell * 3 + 1]! << 8) | (base24[cell * 3 + 2]! << 16)) << 8) >> 8 : 1 - cell;
  const checkOf = (cell: number): number => {
    const delta = checkDelta[cell]!;
    if (delta !== CHECK_EXCEPTION) return cell - delta;
    const i = sortedIndexOf(checkExceptionCells, cell);
    return i < 0 ? -1 : checkExceptionValues[i]!;
  };
  const child = (parent: number, code: number): number => {
    const c = baseOf(parent) + code;
    return c >= 0 && c < cells && checkOf(c) === parent ? c : -1;
  };

  /** kuromoji's lattice for one punctuation-delimited piece, then its best path. */
  function tokenizePiece(piece: string, tokens: RawToken[]): void {
    const endAt: (Node[] | undefined)[] = [];
    const bos: Node = { start: 0, length: 0, left: 0, right: 0, cost: 0, entry: -1, known: false, surface: '', best: 0, prev: null };
    endAt[0] = [bos];
    let eos = 1;
    const append = (node: Node) => {
      const last = node.start + node.length - 1;
      if (eos < last) eos = last;
      (endAt[last] ??= []).push(node);
    };
    for (let p = 0; p < piece.length; p++) {
      // Known words: every dictionary key that is a prefix of the rest, shortest first (UTF-8 double-array trie).
      let found = 0;
      let parent = 0;
      for (let k = p; k < piece.length && parent >= 0; k++) {
        const c = piece.charCodeAt(k);
        if (c < 0x80) parent = child(parent, c);
        else if (c < 0x800) {
          parent = child(parent, (c >>> 6) | 0xc0);
          if (parent >= 0) parent = child(parent, (c & 0x3f) | 0x80);
        } else {
          parent = child(parent, (c >>> 12) | 0xe0);
          if (parent >= 0) parent = child(parent, ((c >> 6) & 0x3f) | 0x80);
          if (parent >= 0) parent = child(parent, (c & 0x3f) | 0x80);
        }
        if (parent < 0) break;
        const terminal = child(parent, 0);
        if (terminal < 0) continue;
        found++;
        const b = baseOf(terminal);
        if (b > 0) continue; // kuromoji: no value, so no entries (target_map[undefined])
        const trieId = -b - 1;
        const length = k - p + 1;
        for (let e = mapOffsets[trieId]!; e < mapOffsets[trieId + 1]!; e++) {
          append({ start: p + 1, length, left: costs[e * 2]!, right: costs[e * 2]!, cost: costs[e * 2 + 1]!, entry: e, known: true, surface: '', best: Number.MAX_VALUE, prev: null });
        }
      }
      // Unknown words: when nothing is known here, or the character class always invokes them.
      const classId = classIdOf(piece.charCodeAt(p));
      const head = classes[classId];
      if (!head) throw new Error('Unknown character: ' + piece[p]);
      if (found === 0 || head.invoke) {
        let end = p + 1;
        if (head.group) {
          while (end < piece.length && classes[classIdOf(piece.charCodeAt(end))]?.name === head.name) end++;
        }
        const surface = piece.slice(p, end);
        for (const u of header.unkTargets[classId] ?? []) {
          const e = header.unkEntries[u]!;
          append({ start: p + 1, length: end - p, left: e.left, right: e.right, cost: e.cost, entry: u, known: false, surface, best: Number.MAX_VALUE, prev: null });
        }
      }
    }
    const eosIndex = endAt.length;
    eos++;
    endAt[eosIndex] = [{ start: eos, length: 0, left: 0, right: 0, cost: 0, entry: -1, known: false, surface: '', best: Number.MAX_VALUE, prev: null }];

    for (let i = 1; i <= eos; i++) {
      const nodes = endAt[i];
      if (!nodes) continue;
      for (const node of nodes) {
        const prevs = endAt[node.start - 1];
        if (!prevs) continue;
        let cost = Number.MAX_VALUE;
        let best: Node | null = null;
        const column = node.left + 2;
        for (const prev of prevs) {
          const total = prev.best + connection[prev.right * backward + column]! + node.cost;
          if (total < cost) {
            best = prev;
            cost = total;
          }
        }
        node.prev = best;
        node.best = cost;
      }
    }
    const path: Node[] = [];
    let node = endAt[endAt.length - 1]![0]!.prev;
    if (!node) return;
    while (node !== bos) {
      path.push(node);
      if (!node.prev) return;
      node = node.prev;
    }
    for (let j = path.length - 1; j >= 0; j--) tokens.push(tokenOf(path[j]!, piece));
  }

  function tokenOf(node: Node, piece: string): RawToken {
    if (!node.known) {
      const f = header.unkEntries[node.entry]!.features;
      return {
        surface_form: node.surface,
        pos: col(f[1]), pos_detail_1: col(f[2]), pos_detail_2: col(f[3]), pos_detail_3: col(f[4]),
        conjugated_type: col(f[5]), conjugated_form: col(f[6]), basic_form: col(f[7]),
      };
    }
    const e = node.entry;
    const p = header.posTuples[pos[e]!]!;
    const exception = header.surfaceExceptions[e];
    return {
      surface_form: exception !== undefined ? (exception as string) : piece.slice(node.start - 1, node.start - 1 + node.length),
      pos: col(p[0]), pos_detail_1: col(p[1]), pos_detail_2: col(p[2]), pos_detail_3: col(p[3]),
      conjugated_type: col(p[4]), conjugated_form: col(p[5]),
      basic_form: stringAt(refs[e * 2]!) as string,
      reading: stringAt(refs[e * 2 + 1]!),
      pronunciation: stringAt(pronunciationOf(e)),
    };
  }

  return {
    tokenize(text: string): RawToken[] {
      const tokens: RawToken[] = [];
      // kuromoji analyses each piece ending in 、 or 。 on its own.
      let from = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x3001 || c === 0x3002) {
          tokenizePiece(text.slice(from, i + 1), tokens);
          from = i + 1;
        }
      }
      if (from < text.length) tokenizePiece(text.slice(from), tokens);
      return tokens;
    },
  };
}
