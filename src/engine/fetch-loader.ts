// Dictionary loader for browsers and MV3 service workers: fetch + DecompressionStream.
// (kuromoji 0.1.2's own browser loader uses XMLHttpRequest, which a service worker does not have.)
import type { DictionaryLoader } from './tokenizer';

export function fetchDictionaryLoader(baseUrl: string): DictionaryLoader {
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  return {
    async loadArrayBuffer(file: string): Promise<ArrayBufferLike> {
      const response = await fetch(base + file);
      if (!response.ok || !response.body) {
        throw new Error(`辞書ファイルを読み込めませんでした: ${file} (HTTP ${response.status})`);
      }
      const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
      return new Response(stream).arrayBuffer();
    },
  };
}
