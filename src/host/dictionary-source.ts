// Where the engine host gets the dictionary: read and opened in a worker, so that the page's own thread (busy at start
// parsing the engine and compiling the built-in pack) neither holds the dictionary's read back (11 MiB) nor spends
// its own time opening it. Measured in Chromium on the 2-core machine: read on the page's thread, the file arrived only
// once the thread was free, each millisecond of busy work added to the ~0.2 s the read takes; read in a worker and
// transferred, the two overlap. Opening it (the trie's, the entries' and the strings' offset tables summed from their
// counts) took that busy thread 30-100 ms at browser start; the worker now does it, and its tables are transferred too.
import { fetchCompactDictionary } from '../engine/fetch-loader';
import { readCompactDictionary, transferablesOf, type CompactDictionary } from '../engine/compact-dictionary';

/** The worker script (src/host/dictionary-worker.ts), next to the extension's other scripts. */
export const DICTIONARY_WORKER_SCRIPT = 'dictionary-worker.js';

/** What the worker posts back: the opened dictionary (its buffers transferred, not copied) or why it could not read it. */
export type DictionaryWorkerReply = { dictionary: CompactDictionary; readAt: number } | { error: string };

declare global {
  /** The read started by dictionary-prefetch.js, the host page's first script; taken by the first host. */
  var kizukiDictionaryPrefetch: { url: string; dictionary: Promise<CompactDictionary> } | undefined;
  /**
   * When a worker had the dictionary read and opened (ms since the epoch): the host's timings tell that from its
   * delivery to a page thread busy starting the engine. Set by the prefetch's script, read by the host's: a global, not a module.
   */
  var kizukiDictionaryReadAt: number | undefined;
}

/** A worker that has not answered by then is given up on, and the file read on this thread. */
export const DICTIONARY_WORKER_TIMEOUT_MS = 10_000;

/** Reads and opens the compact dictionary in a worker; on this thread where no worker can be started or it failed. */
export async function readDictionary(dictionaryUrl: string, workerUrl = DICTIONARY_WORKER_SCRIPT): Promise<CompactDictionary> {
  return (await readInWorker(dictionaryUrl, workerUrl)) ?? readOnThisThread(dictionaryUrl);
}

async function readOnThisThread(dictionaryUrl: string): Promise<CompactDictionary> {
  return readCompactDictionary(await fetchCompactDictionary(dictionaryUrl));
}

/** The worker's side: reads and opens the dictionary, and posts it back with its buffers transferred. */
export function answerDictionaryRequest(dictionaryUrl: string, post: (reply: DictionaryWorkerReply, transfer?: Transferable[]) => void): Promise<void> {
  // A failed post (the dictionary could not be cloned) is answered too: a silent worker costs the page a 10 s wait.
  return readOnThisThread(dictionaryUrl)
    .then((dictionary) => post({ dictionary, readAt: performance.timeOrigin + performance.now() }, transferablesOf(dictionary)))
    .catch((e: unknown) => post({ error: String((e as Error).message ?? e) }));
}

/** The dictionary a worker opened and transferred, or null if no worker could start, it failed, or it did not answer. */
function readInWorker(dictionaryUrl: string, workerUrl: string): Promise<CompactDictionary | null> {
  if (typeof Worker !== 'function') return Promise.resolve(null);
  let worker: Worker;
  try {
    worker = new Worker(workerUrl);
  } catch {
    return Promise.resolve(null);
  }
  return new Promise<CompactDictionary | null>((resolve) => {
    const settle = (dictionary: CompactDictionary | null) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(dictionary);
    };
    const timer = setTimeout(() => settle(null), DICTIONARY_WORKER_TIMEOUT_MS);
    worker.onmessage = (event: MessageEvent<DictionaryWorkerReply>) => {
      if ('dictionary' in event.data) globalThis.kizukiDictionaryReadAt = event.data.readAt;
      settle('dictionary' in event.data ? event.data.dictionary : null);
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
export function loadDictionary(dictionaryUrl: string): Promise<CompactDictionary> {
  const prefetched = globalThis.kizukiDictionaryPrefetch;
  if (prefetched?.url !== dictionaryUrl) return readDictionary(dictionaryUrl);
  globalThis.kizukiDictionaryPrefetch = undefined;
  return prefetched.dictionary.catch(() => readOnThisThread(dictionaryUrl));
}
