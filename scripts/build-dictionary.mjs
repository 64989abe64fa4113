// Converts the IPADIC dictionary shipped in @patdx/kuromoji (12 gzipped files, 96 MiB unpacked) into one
// uncompressed file the extension reads as typed-array views, with no gunzip, no parsing and no copies at start:
// `kizuki-ipadic.bin` (src/engine/compact-dictionary.ts reads it; docs/engine.md describes it).
//
// The data comes from kuromoji's own loader, so it means exactly what kuromoji reads: the double-array trie
// (trimmed of unused tail cells; base in 24 bits, check as a 16-bit distance to the parent), the connection costs,
// each entry's context id and cost, its features split at commas as kuromoji splits them (part-of-speech columns
// deduplicated into a table; basic forms, readings and pronunciations in a string table, katakana one byte a
// character, a pronunciation equal to the reading not stored again), the number of entries per trie key, and the
// unknown-word definitions. Nothing is dropped: every field a token has in kuromoji is there. The trie's encoding is
// read back here before the file is written; the entries' are checked by test/engine/compact-dictionary.test.ts, which
// compares every token field with kuromoji's on the whole corpus. The file is generated at build time, never committed.
// Every byte counts: at browser start the file's read is most of the wait for a ready tokenizer (30 MiB in version
// 1, 19 MiB now).
import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import path from 'node:path';

export const COMPACT_DICTIONARY_FILE = 'kizuki-ipadic.bin';
const MAGIC = 0x315a4b4b; // 'KKZ1' little-endian
const NONE = 0xffffffff; // a feature column kuromoji's split did not produce (undefined)
const VERSION = 2;
const CHECK_EXCEPTION = 0x8000; // checkDelta's marker (-0x8000): the cell's check is in checkExceptionValues

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

  // Trie: cells past the last used one read as unused (kuromoji's getCheck never matches there either).
  const baseAll = trie.bc.getBaseBuffer();
  const checkAll = trie.bc.getCheckBuffer();
  let last = checkAll.length - 1;
  while (last > 0 && checkAll[last] < 0) last--;
  const cells = last + 1;
  // base as signed 24-bit integers (|values| < 2^23); check as the distance back to the parent cell in 16 bits, with
  // the few cells whose distance does not fit (and the unused ones) listed apart.
  const base24 = new Uint8Array(cells * 3 + ((4 - ((cells * 3) % 4)) % 4));
  const checkDelta = new Int16Array(cells + (cells & 1));
  const checkExceptionCells = [];
  const checkExceptionValues = [];
  for (let c = 0; c < cells; c++) {
    const b = baseAll[c];
    if (b < -0x800000 || b >= 0x800000) throw new Error('build-dictionary: a trie base does not fit in 24 bits');
    base24[c * 3] = b & 0xff;
    base24[c * 3 + 1] = (b >> 8) & 0xff;
    base24[c * 3 + 2] = (b >> 16) & 0xff;
    const delta = c - checkAll[c];
    if (checkAll[c] >= 0 && delta > -CHECK_EXCEPTION && delta < CHECK_EXCEPTION) checkDelta[c] = delta;
    else {
      checkDelta[c] = -CHECK_EXCEPTION;
      checkExceptionCells.push(c);
      checkExceptionValues.push(checkAll[c]);
    }
  }
  // Read every cell back the way src/engine/compact-dictionary.ts does: the encoding must lose nothing.
  const exceptionAt = new Map(checkExceptionCells.map((c, i) => [c, checkExceptionValues[i]]));
  for (let c = 0; c < cells; c++) {
    const b = ((base24[c * 3] | (base24[c * 3 + 1] << 8) | (base24[c * 3 + 2] << 16)) << 8) >> 8;
    const check = checkDelta[c] === -CHECK_EXCEPTION ? exceptionAt.get(c) : c - checkDelta[c];
    if (b !== baseAll[c] || check !== checkAll[c]) throw new Error(`build-dictionary: trie cell ${c} does not read back`);
  }

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
  const surfaceExceptions = {};
  const lookup = (s) => trie.lookup(s);
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
          basic: stringId(features[7]),
          reading: stringId(features[8]),
          pronunciation: stringId(features[9]),
        });
        // kuromoji reports the entry's own first column as the surface; it is the trie key unless a comma split it.
        if (features[0] === undefined || lookup(features[0]) !== t) surfaceExceptions[index] = features[0] ?? null;
      }
      mapValues.push(index);
    }
  }
  mapOffsets[trieIds] = mapValues.length;
  if (dictBytes.length === 0) throw new Error('build-dictionary: empty token dictionary');

  // kuromoji numbers the entries of one trie id consecutively, in trie-id order, so the map is a count per trie id.
  if (mapValues.some((v, i) => v !== i)) throw new Error('build-dictionary: entries are not in trie-id order');
  const mapCounts = new Uint8Array(trieIds);
  for (let t = 0; t < trieIds; t++) {
    const count = mapOffsets[t + 1] - mapOffsets[t];
    if (count > 0xff) throw new Error('build-dictionary: more than 255 entries for one key');
    mapCounts[t] = count;
  }

  // Strings: the katakana-only ones (most readings and pronunciations) first, one byte a character; then the others
  // in UTF-16. A pronunciation equal to the reading (81 % of entries) is not stored again.
  const isKana = (s) => /^[\u30a0-\u30ff]*$/.test(s);
  const order = stringList.map((_, i) => i).sort((a, b) => Number(!isKana(stringList[a])) - Number(!isKana(stringList[b])) || a - b);
  const newId = new Uint32Array(stringList.length);
  order.forEach((old, i) => (newId[old] = i));
  const kanaStrings = order.filter((i) => isKana(stringList[i])).length;
  const id = (old) => (old === NONE ? NONE : newId[old]);

  const n = entries.length;
  // IPADIC gives every entry the same left and right context id: kept once.
  const costs = new Int16Array(n * 2);
  const pos = new Uint16Array(n + (n & 1));
  const refs = new Uint32Array(n * 2);
  const pronunciationEntries = [];
  const pronunciationStrings = [];
  entries.forEach((e, i) => {
    if (e.left !== e.right) throw new Error('build-dictionary: an entry with different left and right context ids');
    costs[i * 2] = e.left;
    costs[i * 2 + 1] = e.cost;
    pos[i] = e.pos;
    refs[i * 2] = id(e.basic);
    refs[i * 2 + 1] = id(e.reading);
    if (e.pronunciation !== e.reading) {
      pronunciationEntries.push(i);
      pronunciationStrings.push(id(e.pronunciation));
    }
  });
  if (posList.length > 0xffff) throw new Error('build-dictionary: too many part-of-speech tuples');

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
    ['base24', base24],
    ['checkDelta', checkDelta],
    ['checkExceptionCells', Uint32Array.from(checkExceptionCells)],
    ['checkExceptionValues', Int32Array.from(checkExceptionValues)],
    ['connection', Int16Array.from(cc.buffer)],
    ['costs', costs],
    ['pos', pos],
    ['refs', refs],
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
    cells,
    kanaStrings,
    posTuples: posList,
    surfaceExceptions,
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
  if (json.length + 8 > header.sections.base24.offset) throw new Error('build-dictionary: header overflow');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
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
