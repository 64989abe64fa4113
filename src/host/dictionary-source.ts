// Where the engine host gets the dictionary's bytes: read in a worker, so that the page's own thread (busy at start
// parsing the engine and compiling the built-in pack) does not hold the dictionary's read back (19 MiB). Measured in Chromium on the
// 2-core machine: read on the page's thread, the file arrived only once the thread was free, each millisecond of
// busy work added to the ~0.2 s the read takes; read in a worker and transferred, the two overlap.
import { fetchCompactDictionary } from '../engine/fetch-loader';

/** The worker script (src/host/dictionary-worker.ts), next to the extension's other scripts. */
export const DICTIONARY_WORKER_SCRIPT = 'dictionary-worker.js';

/** What the worker posts back: the bytes (transferred, not copied) or why it could not read them. */
export type DictionaryWorkerReply = { bytes: ArrayBuffer; readAt: number } | { error: string };

declare global {
  /** The read started by dictionary-prefetch.js, the host page's first script; taken by the first host. */
  var kizukiDictionaryPrefetch: { url: string; bytes: Promise<ArrayBuffer> } | undefined;
  /**
   * When a worker had the dictionary's bytes (ms since the epoch): the host's timings tell the read from its delivery
   * to a page thread busy starting the engine. Set by the prefetch's script, read by the host's: a global, not a module.
   */
  var kizukiDictionaryReadAt: number | undefined;
}

/** A worker that has not answered by then is given up on, and the file read on this thread. */
export const DICTIONARY_WORKER_TIMEOUT_MS = 10_000;

/** Reads the compact dictionary in a worker; on this thread where no worker can be started or it failed. */
export async function readDictionary(dictionaryUrl: string, workerUrl = DICTIONARY_WORKER_SCRIPT): Promise<ArrayBuffer> {
  return (await readInWorker(dictionaryUrl, workerUrl)) ?? fetchCompactDictionary(dictionaryUrl);
}

/** The bytes a worker read and transferred, or null if no worker could start, it failed, or it did not answer. */
function readInWorker(dictionaryUrl: string, workerUrl: string): Promise<ArrayBuffer | null> {
  if (typeof Worker !== 'function') return Promise.resolve(null);
  let worker: Worker;
  try {
    worker = new Worker(workerUrl);
  } catch {
    return Promise.resolve(null);
  }
  return new Promise<ArrayBuffer | null>((resolve) => {
    const settle = (bytes: ArrayBuffer | null) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(bytes);
    };
    const timer = setTimeout(() => settle(null), DICTIONARY_WORKER_TIMEOUT_MS);
    worker.onmessage = (event: MessageEvent<DictionaryWorkerReply>) => {
      if ('bytes' in event.data) globalThis.kizukiDictionaryReadAt = event.data.readAt;
      settle('bytes' in event.data ? event.data.bytes : null);
    };
    worker.onmessageerror = () => settle(null);
    worker.onerror = (event) => {
      event.preventDefault();
      settle(null);
    };
    worker.postMessage(dictionaryUrl);
  });
}

/** The dictionary for a new engine host: the read the page's first script started for this URL (once), or a new read. */
export function loadDictionary(dictionaryUrl: string): Promise<ArrayBuffer> {
  const prefetched = globalThis.kizukiDictionaryPrefetch;
  if (prefetched?.url !== dictionaryUrl) return readDictionary(dictionaryUrl);
  globalThis.kizukiDictionaryPrefetch = undefined;
  return prefetched.bytes.catch(() => fetchCompactDictionary(dictionaryUrl));
}
