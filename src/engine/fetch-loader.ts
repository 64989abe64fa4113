// Dictionary loaders for browsers and MV3 service workers (fetch only: kuromoji 0.1.2's own browser loader uses
// XMLHttpRequest, which a service worker does not have).

/** The file scripts/build-dictionary.mjs writes next to the extension's code, in `dict/`. */
export const COMPACT_DICTIONARY_FILE = 'kizuki-ipadic.bin';

/** The compact dictionary's bytes, as one ArrayBuffer the tokenizer reads in place (no gunzip, no copy). */
export async function fetchCompactDictionary(dictionaryUrl: string): Promise<ArrayBuffer> {
  const url = dictionaryUrl.endsWith('/') ? dictionaryUrl + COMPACT_DICTIONARY_FILE : dictionaryUrl;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`辞書ファイルを読み込めませんでした: ${COMPACT_DICTIONARY_FILE} (HTTP ${response.status})`);
  return response.arrayBuffer();
}
