// kuromoji's IPADIC analysis over the compact dictionary written by scripts/build-dictionary.mjs: the file is read
// as typed-array views (no gunzip, no copies), plus a few offset tables summed from the counts it keeps (the engine
// host does that in its dictionary worker and transfers the result), so the tokenizer is ready as soon as they are.
// The lattice, the costs and the tie-breaking are kuromoji 1.0.x's (ViterbiBuilder, ViterbiSearcher), so tokens are
// the same: test/engine/compact-dictionary.test.ts compares every field on the whole labelled corpus.
//
// Input must contain no surrogate code units (safeForKuromoji() guarantees it): positions are UTF-16 offsets.
import type { RawToken } from './tokenizer';

const MAGIC = 0x315a4b4b;
/** String ids are 24-bit: this one is a column kuromoji's split did not produce (undefined). */
const NONE = 0xffffff;
/** A basic form that is the entry's own surface. */
const SAME_AS_SURFACE = 0xfffffe;
/** A node's child count from this up is listed in the header (wideNodes). */
const WIDE = 0xff;

interface Header {
  version: number;
  entries: number;
  /** Nodes of the trie (over UTF-16 code units, breadth first, root 0). */
  nodes: number;
  /** Nodes with 255 children or more, and how many. */
  wideNodes: Record<string, number>;
  /** String ids below this are katakana-only, stored one byte a character (code − U+30A0) in kanaChars. */
  kanaStrings: number;
  posTuples: (string | null)[][];
  /** Context id → its part-of-speech tuple (in IPADIC the context id decides it). */
  contextPos: (number | null)[];
  surfaceExceptions: Record<string, string | null>;
  classes: ({ name: string; invoke: boolean; group: boolean } | null)[];
  defaultClass: number;
  unkTargets: (number[] | null)[];
  unkEntries: { left: number; right: number; cost: number; features: string[] }[];
  sections: Record<string, { offset: number; length: number }>;
}

export interface CompactDictionary {
  /** Per trie node: the code unit on the edge into it. A node's children are consecutive, sorted by code. */
  trieLabels: Uint16Array;
  /** Per trie node: where its children start (summed at load), one more than there are nodes. */
  trieFirstChild: Uint32Array;
  /** Per trie node: the key it ends, or -1. Keys are numbered in node order. */
  trieKeyOfNode: Int32Array;
  connection: Int16Array;
  /** Per entry: its context id (IPADIC's left and right ids are the same) and its word cost. */
  costs: Int16Array;
  /** Per entry: the basic form's and the reading's string ids, 3 bytes each (little-endian). */
  refs24: Uint8Array;
  /** The entries whose pronunciation is not their reading (ascending), and that pronunciation's string id. */
  pronunciationEntries: Uint32Array;
  pronunciationStrings: Uint32Array;
  /** Key → its first entry (entries are numbered in key order); one more than there are keys. */
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
 * Views over the file's bytes, plus the offset tables summed from the counts the file keeps instead (the trie's
 * children, each key's entries, each string's characters: megabytes less to read, a few milliseconds to sum). Throws
 * on a file that is not a compact dictionary.
 */
export function readCompactDictionary(buffer: ArrayBuffer): CompactDictionary {
  const view = new DataView(buffer);
  if (buffer.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('辞書ファイルの形式が違います');
  const length = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length))) as Header;
  if (header.version !== 3) throw new Error(`辞書ファイルの版が違います: ${header.version}`);
  const s = header.sections;
  const at = <T>(name: string, make: (b: ArrayBuffer, offset: number, length: number) => T): T => {
    const section = s[name];
    if (!section) throw new Error(`辞書ファイルに ${name} がありません`);
    return make(buffer, section.offset, section.length);
  };
  const stringLengths = at('stringLengths', (b, o, l) => new Uint8Array(b, o, l));
  const childCounts = at('trieChildCounts', (b, o, l) => new Uint8Array(b, o, l));
  const keyBits = at('trieKeyNodes', (b, o, l) => new Uint8Array(b, o, l));
  const nodes = header.nodes;
  const trieFirstChild = new Uint32Array(nodes + 1);
  const trieKeyOfNode = new Int32Array(nodes);
  let nextChild = 1;
  let nextKey = 0;
  for (let v = 0; v < nodes; v++) {
    trieFirstChild[v] = nextChild;
    const count = childCounts[v]!;
    nextChild += count === WIDE ? header.wideNodes[v]! : count;
    trieKeyOfNode[v] = (keyBits[v >> 3]! >> (v & 7)) & 1 ? nextKey++ : -1;
  }
  trieFirstChild[nodes] = nextChild;
  if (nextChild !== nodes || nextKey !== s.mapCounts?.length) throw new Error('辞書ファイルが壊れています（trie）');
  return {
    trieLabels: at('trieLabels', (b, o, l) => new Uint16Array(b, o, l)),
    trieFirstChild,
    trieKeyOfNode,
    connection: at('connection', (b, o, l) => new Int16Array(b, o, l)),
    costs: at('costs', (b, o, l) => new Int16Array(b, o, l)),
    refs24: at('refs24', (b, o, l) => new Uint8Array(b, o, l)),
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

/** The buffers under a dictionary's arrays (the file's and the summed tables), to transfer it to another thread. */
export function transferablesOf(dictionary: CompactDictionary): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const value of Object.values(dictionary)) {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
  }
  return [...buffers];
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

/** Where `value` is in the ascending `sorted` (between `from` and before `to`), or -1. */
function sortedIndexOf(sorted: Uint16Array | Uint32Array, value: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to - 1;
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
  const { trieLabels, trieFirstChild, trieKeyOfNode, connection, costs, refs24, pronunciationEntries, pronunciationStrings, mapOffsets, stringStarts, stringLengths, kanaChars, otherChars, categoryMap, header } = dict;
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
  const ref = (at: number): number => refs24[at]! | (refs24[at + 1]! << 8) | (refs24[at + 2]! << 16);
  /** The entry's pronunciation string id: its reading's, unless listed as one that differs. */
  const pronunciationOf = (e: number): number => {
    const i = sortedIndexOf(pronunciationEntries, e);
    return i < 0 ? ref(e * 6 + 3) : pronunciationStrings[i]!;
  };
  const classIdOf = (code: number) => (code < categoryMap.length ? categoryMap[code]! : header.defaultClass);
  const col = (value: string | null | undefined) => (value ?? undefined) as string;
  /** The child of trie node `node` by code unit `code`, or -1 (a node's children are consecutive, sorted by label). */
  const child = (node: number, code: number): number => sortedIndexOf(trieLabels, code, trieFirstChild[node]!, trieFirstChild[node + 1]!);

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
      // Known words: every dictionary key that is a prefix of the rest, shortest first (as kuromoji's trie).
      let found = 0;
      let node = 0;
      for (let k = p; k < piece.length; k++) {
        node = child(node, piece.charCodeAt(k));
        if (node < 0) break;
        const key = trieKeyOfNode[node]!;
        if (key < 0) continue;
        found++;
        const length = k - p + 1;
        for (let e = mapOffsets[key]!; e < mapOffsets[key + 1]!; e++) {
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
    const p = header.posTuples[header.contextPos[costs[e * 2]!]!]!;
    const exception = header.surfaceExceptions[e];
    const surface = exception !== undefined ? (exception as string) : piece.slice(node.start - 1, node.start - 1 + node.length);
    const basic = ref(e * 6);
    return {
      surface_form: surface,
      pos: col(p[0]), pos_detail_1: col(p[1]), pos_detail_2: col(p[2]), pos_detail_3: col(p[3]),
      conjugated_type: col(p[4]), conjugated_form: col(p[5]),
      basic_form: (basic === SAME_AS_SURFACE ? surface : stringAt(basic)) as string,
      reading: stringAt(ref(e * 6 + 3)),
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
