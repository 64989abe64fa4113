// Converts the IPADIC dictionary shipped in @patdx/kuromoji (12 gzipped files, 96 MiB unpacked) into one
// uncompressed file the extension reads as typed-array views, with no gunzip, no parsing and no copies at start:
// `kizuki-ipadic.bin` (src/engine/compact-dictionary.ts reads it; docs/engine.md describes it).
//
// The data comes from kuromoji's own loader, so it means exactly what kuromoji reads: the trie's keys (read off
// kuromoji's double array, then stored as a breadth-first trie over UTF-16 code units: labels and child counts), the
// connection costs, each entry's context id and cost (its part-of-speech columns follow from the context id: a table),
// its basic form, reading and pronunciation in a string table (24-bit ids; katakana one byte a character; a basic form
// equal to the surface, or a pronunciation equal to the reading, not stored again), the number of entries per key,
// and the unknown-word definitions. Nothing is dropped: every field a token has in kuromoji is there. The trie's keys
// are looked up again with kuromoji's own trie before the file is written; the entries' are checked by
// test/engine/compact-dictionary.test.ts, which compares every token field with kuromoji's on the whole corpus. The
// file is generated at build time, never committed. Every byte counts: at browser start the file's read is most of
// the wait for a ready tokenizer (30 MiB in version 1, 19 MiB in version 2, 11 MiB now).
import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import path from 'node:path';

export const COMPACT_DICTIONARY_FILE = 'kizuki-ipadic.bin';
const MAGIC = 0x315a4b4b; // 'KKZ1' little-endian
const NONE = 0xffffff; // a feature column kuromoji's split did not produce (undefined); string ids are 24-bit
const VERSION = 3;
const SAME_AS_SURFACE = 0xfffffe; // a basic form that is the entry's surface

export function kuromojiDictDir(root) {
  // ESM-only package without an exported package.json: resolve its entry (build/index.mjs) and step up.
  const entry = createRequire(path.join(root, 'package.json')).resolve('@patdx/kuromoji');
  return path.join(path.dirname(entry), '..', 'dict');
}

/** Builds the compact dictionary in memory from the installed kuromoji package. */
export async function buildCompactDictionary(root) {
  const dictDir = kuromojiDictDir(root);
  const { TokenizerBuilder } = await import(createRequire(path.join(root, 'package.json')).resolve('@patdx/kuromoji'));
  const loader = {
    async loadArrayBuffer(file) {
      const bytes = gunzipSync(await readFile(path.join(dictDir, file)));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
  };
  const tokenizer = await new TokenizerBuilder({ loader }).build();
  const tid = tokenizer.token_info_dictionary;
  const unk = tokenizer.unknown_dictionary;
  const trie = tokenizer.viterbi_builder?.trie;
  const cc = tokenizer.viterbi_searcher?.connection_costs;
  if (!tid?.dictionary?.buffer || !tid.target_map || !unk?.character_definition || !trie?.bc || !cc?.buffer) {
    throw new Error('build-dictionary: @patdx/kuromoji internals changed; update scripts/build-dictionary.mjs');
  }

  // Trie: every key of kuromoji's double array (a trie over UTF-8 bytes), with its trie id, read off the cells.
  const keysById = trieKeys(trie.bc.getBaseBuffer(), trie.bc.getCheckBuffer());
  // Read back: each key leads to its own trie id through kuromoji's own lookup.
  for (const [t, key] of keysById) if (trie.lookup(key) !== t) throw new Error(`build-dictionary: trie key ${t} does not read back`);
  // Entries: 10 bytes each in tid.dat (left, right, cost, feature offset).
  const dictBytes = tid.dictionary.buffer;
  const strings = new Map();
  const stringList = [];
  const stringId = (s) => {
    if (s === undefined) return NONE;
    let id = strings.get(s);
    if (id === undefined) {
      id = stringList.length;
      stringList.push(s);
      strings.set(s, id);
    }
    return id;
  };
  const posTuples = new Map();
  const posList = [];
  const posId = (fields) => {
    const key = JSON.stringify(fields);
    let id = posTuples.get(key);
    if (id === undefined) {
      id = posList.length;
      posList.push(fields.map((f) => (f === undefined ? null : f)));
      posTuples.set(key, id);
    }
    return id;
  };
  const entryOfOffset = new Map();
  const entries = [];
  const targetKeys = Object.keys(tid.target_map).map(Number).sort((a, b) => a - b);
  const trieIds = targetKeys.length ? targetKeys[targetKeys.length - 1] + 1 : 0;
  const mapOffsets = new Uint32Array(trieIds + 1);
  const mapValues = [];
  const surfaceExceptions = new Map();
  for (let t = 0; t < trieIds; t++) {
    mapOffsets[t] = mapValues.length;
    for (const raw of tid.target_map[t] ?? []) {
      const offset = Number.parseInt(raw);
      let index = entryOfOffset.get(offset);
      if (index === undefined) {
        index = entries.length;
        entryOfOffset.set(offset, index);
        const line = tid.getFeatures(String(offset));
        const features = line == null ? [] : line.split(',');
        entries.push({
          left: tid.dictionary.getShort(offset),
          right: tid.dictionary.getShort(offset + 2),
          cost: tid.dictionary.getShort(offset + 4),
          pos: posId([1, 2, 3, 4, 5, 6].map((k) => features[k])),
          // A basic form spelled like the entry's surface (64 % of entries) is that surface: not stored.
          basic: features[7] !== undefined && features[7] === features[0] ? SAME_AS_SURFACE : stringId(features[7]),
          reading: stringId(features[8]),
          pronunciation: stringId(features[9]),
        });
        // kuromoji reports the entry's own first column as the surface; it is the trie key unless a comma split it.
        if (features[0] === undefined || features[0] !== keysById.get(t)) surfaceExceptions.set(index, features[0] ?? null);
      }
      mapValues.push(index);
    }
  }
  mapOffsets[trieIds] = mapValues.length;
  if (dictBytes.length === 0) throw new Error('build-dictionary: empty token dictionary');
  // kuromoji numbers the entries of one trie id consecutively, in trie-id order.
  if (mapValues.some((v, i) => v !== i)) throw new Error('build-dictionary: entries are not in trie-id order');
  for (let t = 0; t < trieIds; t++) {
    if (mapOffsets[t + 1] > mapOffsets[t] && !keysById.has(t)) throw new Error(`build-dictionary: entries for trie id ${t}, which no key leads to`);
  }

  // The trie as the file keeps it: over UTF-16 code units, its nodes in breadth-first order, so the children of a node
  // are consecutive and only their count and labels are stored (kuromoji's double array took 6.5 MiB for this).
  // Keys are numbered in the order their nodes come, and the entries renumbered to follow: a key's entries stay in
  // kuromoji's order, which is all its lattice depends on.
  const charTrie = breadthFirstTrie(keysById);
  const keyTrieIds = charTrie.keyTrieIds;
  readBackTrie(charTrie, keysById);
  const newIndex = new Uint32Array(entries.length);
  const ordered = [];
  const mapCounts = new Uint8Array(keyTrieIds.length);
  keyTrieIds.forEach((t, k) => {
    const count = mapOffsets[t + 1] - mapOffsets[t];
    if (count > 0xff) throw new Error('build-dictionary: more than 255 entries for one key');
    mapCounts[k] = count;
    for (let e = mapOffsets[t]; e < mapOffsets[t + 1]; e++) {
      newIndex[e] = ordered.length;
      ordered.push(entries[e]);
    }
  });
  if (ordered.length !== entries.length) throw new Error('build-dictionary: an entry no key leads to');

  // Strings: the katakana-only ones (most readings and pronunciations) first, one byte a character; then the others
  // in UTF-16. A pronunciation equal to the reading (81 % of entries) is not stored again.
  const isKana = (s) => /^[\u30a0-\u30ff]*$/.test(s);
  const order = stringList.map((_, i) => i).sort((a, b) => Number(!isKana(stringList[a])) - Number(!isKana(stringList[b])) || a - b);
  const newId = new Uint32Array(stringList.length);
  order.forEach((old, i) => (newId[old] = i));
  const kanaStrings = order.filter((i) => isKana(stringList[i])).length;
  if (stringList.length >= SAME_AS_SURFACE) throw new Error('build-dictionary: too many strings for 24-bit ids');
  const id = (old) => (old === NONE || old === SAME_AS_SURFACE ? old : newId[old]);

  // Every part-of-speech tuple of IPADIC follows from the entry's context id: one table of 1,316 instead of a column.
  const contextPos = [];
  for (const e of ordered) {
    if ((contextPos[e.left] ??= e.pos) !== e.pos) throw new Error(`build-dictionary: context id ${e.left} has two part-of-speech tuples`);
  }

  const n = ordered.length;
  // IPADIC gives every entry the same left and right context id: kept once.
  const costs = new Int16Array(n * 2);
  const refs24 = new Uint8Array(align(n * 6, 4));
  const put24 = (at, value) => {
    refs24[at] = value & 0xff;
    refs24[at + 1] = (value >> 8) & 0xff;
    refs24[at + 2] = (value >> 16) & 0xff;
  };
  const pronunciationEntries = [];
  const pronunciationStrings = [];
  ordered.forEach((e, i) => {
    if (e.left !== e.right) throw new Error('build-dictionary: an entry with different left and right context ids');
    costs[i * 2] = e.left;
    costs[i * 2 + 1] = e.cost;
    put24(i * 6, id(e.basic));
    put24(i * 6 + 3, id(e.reading));
    if (e.pronunciation !== e.reading) {
      pronunciationEntries.push(i);
      pronunciationStrings.push(id(e.pronunciation));
    }
  });
  if (posList.length > 0xffff) throw new Error('build-dictionary: too many part-of-speech tuples');
  const renumberedExceptions = {};
  for (const [old, surface] of surfaceExceptions) renumberedExceptions[newIndex[old]] = surface;

  const stringLengths = new Uint8Array(stringList.length);
  const kanaChars = [];
  const otherChars = [];
  order.forEach((old, i) => {
    const s = stringList[old];
    if (s.length > 0xff) throw new Error('build-dictionary: a string longer than 255 characters');
    stringLengths[i] = s.length;
    for (let k = 0; k < s.length; k++) {
      if (i < kanaStrings) kanaChars.push(s.charCodeAt(k) - 0x30a0);
      else otherChars.push(s.charCodeAt(k));
    }
  });

  // Unknown words: a handful of classes and entries, kept in the header.
  const charDef = unk.character_definition;
  const categoryMap = Uint8Array.from(charDef.character_category_map);
  const defaultClass = charDef.invoke_definition_map.lookup('DEFAULT');
  const unkKeys = Object.keys(unk.target_map).map(Number);
  let classCount = 1 + Math.max(defaultClass ?? 0, ...unkKeys);
  for (const c of categoryMap) classCount = Math.max(classCount, c + 1);
  const classes = [];
  for (let c = 0; c < classCount; c++) {
    const k = charDef.invoke_definition_map.getCharacterClass(c);
    classes.push(k ? { name: k.class_name, invoke: k.is_always_invoke === 1, group: k.is_grouping === 1 } : null);
  }
  const unkEntries = [];
  const unkIndex = new Map();
  const unkTargets = [];
  for (let c = 0; c < classCount; c++) {
    const list = unk.target_map[c];
    if (!list) {
      unkTargets.push(null);
      continue;
    }
    unkTargets.push(
      list.map((raw) => {
        const offset = Number.parseInt(raw);
        if (!unkIndex.has(offset)) {
          unkIndex.set(offset, unkEntries.length);
          const line = unk.getFeatures(String(offset));
          unkEntries.push({
            left: unk.dictionary.getShort(offset),
            right: unk.dictionary.getShort(offset + 2),
            cost: unk.dictionary.getShort(offset + 4),
            features: (line == null ? [] : line.split(',')).map((f) => f),
          });
        }
        return unkIndex.get(offset);
      }),
    );
  }

  const sections = [
    ['trieLabels', charTrie.labels],
    ['trieChildCounts', charTrie.childCounts],
    ['trieKeyNodes', charTrie.keyNodes],
    ['connection', Int16Array.from(cc.buffer)],
    ['costs', costs],
    ['refs24', refs24],
    ['pronunciationEntries', Uint32Array.from(pronunciationEntries)],
    ['pronunciationStrings', Uint32Array.from(pronunciationStrings)],
    ['mapCounts', mapCounts],
    ['stringLengths', stringLengths],
    ['kanaChars', Uint8Array.from(kanaChars)],
    ['otherChars', Uint16Array.from(otherChars)],
    ['categoryMap', categoryMap],
  ];
  const header = {
    version: VERSION,
    entries: n,
    nodes: charTrie.labels.length,
    wideNodes: charTrie.wideNodes,
    kanaStrings,
    posTuples: posList,
    contextPos: Array.from(contextPos, (p) => p ?? null),
    surfaceExceptions: renumberedExceptions,
    classes,
    defaultClass,
    unkTargets,
    unkEntries,
    sections: {},
  };
  // Section offsets depend on the header's length, which depends on the offsets: lay out twice.
  let layout = 0;
  for (let pass = 0; pass < 2; pass++) {
    const headerBytes = Buffer.byteLength(JSON.stringify(header)) + 64;
    let offset = align(8 + Math.max(layout, headerBytes), 8);
    for (const [name, array] of sections) {
      header.sections[name] = { offset, length: array.length };
      offset = align(offset + array.byteLength, 8);
    }
    header.total = offset;
    layout = headerBytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const out = Buffer.alloc(header.total);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  for (const [name, array] of sections) {
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(out, header.sections[name].offset);
  }
  if (json.length + 8 > header.sections.trieLabels.offset) throw new Error('build-dictionary: header overflow');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Every key of kuromoji's double-array trie (over UTF-8 bytes, a code 0 ending each key) → its trie id. */
function trieKeys(base, check) {
  const children = new Map();
  for (let cell = 1; cell < check.length; cell++) {
    const parent = check[cell];
    if (parent < 0 || parent >= check.length) continue; // an unused cell
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(cell);
  }
  const keys = new Map();
  const stack = [[0, []]];
  while (stack.length) {
    const [cell, bytes] = stack.pop();
    for (const kid of children.get(cell) ?? []) {
      const code = kid - base[cell];
      if (code < 0 || code > 0xff) throw new Error(`build-dictionary: trie cell ${kid} has no byte`);
      if (code !== 0) {
        stack.push([kid, [...bytes, code]]);
        continue;
      }
      if (base[kid] > 0) throw new Error('build-dictionary: a trie key without entries'); // kuromoji would still count it
      const key = Buffer.from(bytes).toString('utf8');
      if (!Buffer.from(key, 'utf8').equals(Buffer.from(bytes))) throw new Error('build-dictionary: a trie key that is not UTF-8');
      keys.set(-base[kid] - 1, key);
    }
  }
  return keys;
}

/**
 * The keys as a trie over UTF-16 code units, nodes numbered breadth first (root 0) with each node's children sorted
 * by code: the file keeps each node's label and number of children (255 and more are listed in the header) and a bit
 * for the nodes that end a key; the reader sums where each node's children start. Keys are numbered in node order.
 */
function breadthFirstTrie(keysById) {
  const root = { kids: new Map(), trieId: -1 };
  for (const [t, key] of keysById) {
    let node = root;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      let next = node.kids.get(code);
      if (!next) node.kids.set(code, (next = { kids: new Map(), trieId: -1 }));
      node = next;
    }
    node.trieId = t;
  }
  const labels = [0];
  const childCounts = [];
  const keyBits = [];
  const keyTrieIds = [];
  const wideNodes = {};
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    if (node.trieId >= 0) {
      keyBits[i >> 3] |= 1 << (i & 7);
      keyTrieIds.push(node.trieId);
    }
    const kids = [...node.kids].sort((a, b) => a[0] - b[0]);
    childCounts.push(Math.min(kids.length, 0xff));
    if (kids.length >= 0xff) wideNodes[i] = kids.length;
    for (const [code, kid] of kids) {
      labels.push(code);
      queue.push(kid);
    }
  }
  const keyNodes = new Uint8Array(Math.ceil(queue.length / 8));
  keyBits.forEach((bits, i) => (keyNodes[i] = bits ?? 0));
  return { labels: Uint16Array.from(labels), childCounts: Uint8Array.from(childCounts), keyNodes, keyTrieIds, wideNodes };
}

/** Walks the stored trie the way src/engine/compact-dictionary.ts does: every key must lead to its own trie id. */
function readBackTrie({ labels, childCounts, keyNodes, keyTrieIds, wideNodes }, keysById) {
  const firstChild = new Uint32Array(labels.length + 1);
  const keyOfNode = new Int32Array(labels.length);
  let next = 1;
  let key = 0;
  for (let v = 0; v < labels.length; v++) {
    firstChild[v] = next;
    next += childCounts[v] === 0xff ? wideNodes[v] : childCounts[v];
    keyOfNode[v] = (keyNodes[v >> 3] >> (v & 7)) & 1 ? key++ : -1;
  }
  firstChild[labels.length] = next;
  for (const [t, text] of keysById) {
    let node = 0;
    for (let i = 0; i < text.length && node >= 0; i++) {
      const kids = labels.subarray(firstChild[node], firstChild[node + 1]);
      const at = kids.indexOf(text.charCodeAt(i));
      node = at < 0 ? -1 : firstChild[node] + at;
    }
    if (node < 0 || keyTrieIds[keyOfNode[node]] !== t) throw new Error(`build-dictionary: trie key ${t} does not read back`);
  }
}

function align(n, to) {
  return Math.ceil(n / to) * to;
}

/**
 * Writes the compact dictionary to `outFile`, reusing a cached copy made from the same kuromoji files and the same
 * version of this script (cacheDir, default <root>/dist/.cache).
 */
export async function writeCompactDictionary({ root, outFile, cacheDir = path.join(root, 'dist/.cache') }) {
  const hash = createHash('sha256');
  hash.update(await readFile(new URL(import.meta.url)));
  const dictDir = kuromojiDictDir(root);
  for (const f of ['base', 'check', 'cc', 'tid', 'tid_map', 'tid_pos', 'unk', 'unk_pos', 'unk_map', 'unk_char', 'unk_compat', 'unk_invoke']) {
    hash.update(await readFile(path.join(dictDir, `${f}.dat.gz`)));
  }
  const cached = path.join(cacheDir, `ipadic-${hash.digest('hex').slice(0, 16)}.bin`);
  let bytes;
  try {
    bytes = await readFile(cached);
  } catch {
    bytes = await buildCompactDictionary(root);
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, cached);
  }
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, bytes);
  return bytes.byteLength;
}

const runAsScript = process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname;
if (runAsScript) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const outFile = process.argv[2] ?? path.join(root, 'dist', COMPACT_DICTIONARY_FILE);
  const t0 = performance.now();
  const size = await writeCompactDictionary({ root, outFile });
  console.log(`${path.relative(root, outFile)}: ${(size / 1048576).toFixed(1)} MiB in ${(performance.now() - t0).toFixed(0)} ms`);
}
