// Where the engine host gets the dictionary's bytes: read in a worker, so that the page's own thread (busy at start
// parsing the engine and compiling the built-in pack) does not hold the 30 MiB read back. Measured in Chromium on the
// 2-core machine: read on the page's thread, the file arrived only once the thread was free, each millisecond of
// busy work added to the ~0.2 s the read takes; read in a worker and transferred, the two overlap.
import { fetchCompactDictionary } from '../engine/fetch-loader';

/** The worker script (src/host/dictionary-worker.ts), next to the extension's other scripts. */
export const DICTIONARY_WORKER_SCRIPT = 'dictionary-worker.js';

/** What the worker posts back: the bytes (transferred, not copied) or why it could not read them. */
export type DictionaryWorkerReply = { bytes: ArrayBuffer } | { error: string };

declare global {
  /** The read started by dictionary-prefetch.js, the host page's first script; taken by the first host. */
  var kizukiDictionaryPrefetch: Promise<ArrayBuffer> | undefined;
}

/** Reads the compact dictionary in a worker; on this thread where no worker can be started or it failed. */
export function readDictionary(dictionaryUrl: string, workerUrl = DICTIONARY_WORKER_SCRIPT): Promise<ArrayBuffer> {
  if (typeof Worker !== 'function') return fetchCompactDictionary(dictionaryUrl);
  return new Promise<ArrayBuffer>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(workerUrl);
    } catch {
      fetchCompactDictionary(dictionaryUrl).then(resolve, reject);
      return;
    }
    const fallBack = () => {
      worker.terminate();
      fetchCompactDictionary(dictionaryUrl).then(resolve, reject);
    };
    worker.onmessage = (event: MessageEvent<DictionaryWorkerReply>) => {
      worker.terminate();
      if ('bytes' in event.data) resolve(event.data.bytes);
      else fetchCompactDictionary(dictionaryUrl).then(resolve, reject);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fallBack();
    };
    worker.postMessage(dictionaryUrl);
  });
}

/** The dictionary for a new engine host: the read the page's first script started (once), or a new read. */
export function loadDictionary(dictionaryUrl: string): Promise<ArrayBuffer> {
  const prefetched = globalThis.kizukiDictionaryPrefetch;
  globalThis.kizukiDictionaryPrefetch = undefined;
  return prefetched?.catch(() => fetchCompactDictionary(dictionaryUrl)) ?? readDictionary(dictionaryUrl);
}
