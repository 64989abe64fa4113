// The engine host reads the dictionary in a worker; wherever that fails, it must still get the dictionary (token
// rules depend on it), by reading it on its own thread.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerDictionaryRequest, DICTIONARY_WORKER_TIMEOUT_MS, loadDictionary, readDictionary, type DictionaryWorkerReply } from '../../src/host/dictionary-source';
import type { CompactDictionary } from '../../src/engine/compact-dictionary';

// Opening a dictionary is the compact reader's job (test/engine/compact-dictionary.test.ts); here it only marks the
// bytes it was given (a view over them, and a table of its own as the summed offsets are), so the test tells a
// dictionary opened on this thread from one a worker sent.
vi.mock('../../src/engine/compact-dictionary', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/engine/compact-dictionary')>()),
  readCompactDictionary: (bytes: ArrayBuffer) => ({ openedOnThisThread: bytes, file: new Uint8Array(bytes), sums: new Uint32Array(2), header: {} }) as unknown as CompactDictionary,
}));

const DICT_URL = 'chrome-extension://id/dict/';
const mainThreadBytes = new ArrayBuffer(3);
const mainThreadDictionary = { openedOnThisThread: mainThreadBytes, file: new Uint8Array(mainThreadBytes), sums: new Uint32Array(2), header: {} };
const opened = (marker: number) => ({ marker, header: {} }) as unknown as CompactDictionary;

function stubFetch() {
  const fetchStub = vi.fn(async (_url: string) => ({ ok: true, status: 200, arrayBuffer: async () => mainThreadBytes }));
  vi.stubGlobal('fetch', fetchStub);
  return fetchStub;
}

/** A Worker stand-in that answers the URL it is sent with `reply`, or fails to load (`reply` undefined). */
function stubWorker(reply: DictionaryWorkerReply | undefined) {
  const made: { url: string; terminated: boolean; sent: unknown[] }[] = [];
  class FakeWorker {
    onmessage: ((e: MessageEvent) => void) | null = null;
    onerror: ((e: ErrorEvent) => void) | null = null;
    record: (typeof made)[number];
    constructor(url: string) {
      this.record = { url, terminated: false, sent: [] };
      made.push(this.record);
    }
    postMessage(data: unknown) {
      this.record.sent.push(data);
      queueMicrotask(() => {
        if (reply) this.onmessage?.({ data: reply } as MessageEvent);
        else this.onerror?.({ preventDefault() {} } as ErrorEvent);
      });
    }
    terminate() {
      this.record.terminated = true;
    }
  }
  vi.stubGlobal('Worker', FakeWorker);
  return made;
}

afterEach(() => {
  vi.unstubAllGlobals();
  globalThis.kizukiDictionaryPrefetch = undefined;
});

describe('reading the dictionary for the engine host', () => {
  it('takes the dictionary the worker read and opened, without reading it again on this thread, and when it had it', async () => {
    const fetchStub = stubFetch();
    const workerDictionary = opened(5);
    const workers = stubWorker({ dictionary: workerDictionary, readAt: 1_234.5 });
    globalThis.kizukiDictionaryReadAt = undefined;
    expect(await readDictionary(DICT_URL)).toBe(workerDictionary);
    // The host's timings report it as dictionaryRead, apart from the bytes' delivery to its thread.
    expect(globalThis.kizukiDictionaryReadAt).toBe(1_234.5);
    expect(workers).toEqual([{ url: 'dictionary-worker.js', terminated: true, sent: [DICT_URL] }]);
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('reads on this thread when the worker cannot load or cannot read the file', async () => {
    for (const reply of [undefined, { error: 'HTTP 404' }]) {
      const fetchStub = stubFetch();
      const workers = stubWorker(reply);
      expect(await readDictionary(DICT_URL)).toEqual(mainThreadDictionary);
      expect(fetchStub).toHaveBeenCalledWith(`${DICT_URL}kizuki-ipadic.bin`);
      expect(workers[0]?.terminated).toBe(true);
    }
  });

  it('reads on this thread where there are no workers', async () => {
    const fetchStub = stubFetch();
    vi.stubGlobal('Worker', undefined);
    expect(await readDictionary(DICT_URL)).toEqual(mainThreadDictionary);
    expect(fetchStub).toHaveBeenCalledOnce();
  });

  it('gives the read the page started to the first host only, and reads again for a later one', async () => {
    const fetchStub = stubFetch();
    stubWorker(undefined);
    const prefetched = opened(7);
    globalThis.kizukiDictionaryPrefetch = { url: DICT_URL, dictionary: Promise.resolve(prefetched) };
    expect(await loadDictionary(DICT_URL)).toBe(prefetched);
    expect(fetchStub).not.toHaveBeenCalled();
    expect(await loadDictionary(DICT_URL)).toEqual(mainThreadDictionary);
  });

  it('does not give a host that asks for another dictionary the read the page started', async () => {
    stubFetch();
    stubWorker(undefined);
    const prefetched = opened(7);
    globalThis.kizukiDictionaryPrefetch = { url: DICT_URL, dictionary: Promise.resolve(prefetched) };
    expect(await loadDictionary('chrome-extension://id/other/')).toEqual(mainThreadDictionary);
    expect(await loadDictionary(DICT_URL)).toBe(prefetched);
  });

  it('reads on this thread when the worker never answers', async () => {
    vi.useFakeTimers();
    try {
      const fetchStub = stubFetch();
      const workers = stubWorker({ dictionary: opened(1), readAt: 1 });
      // A worker that takes the request and goes silent.
      vi.stubGlobal('Worker', class {
        onmessage = null;
        onerror = null;
        onmessageerror = null;
        postMessage() {}
        terminate() {
          workers.push({ url: 'silent', terminated: true, sent: [] });
        }
      });
      const read = readDictionary(DICT_URL);
      await vi.advanceTimersByTimeAsync(DICTIONARY_WORKER_TIMEOUT_MS);
      expect(await read).toEqual(mainThreadDictionary);
      expect(fetchStub).toHaveBeenCalledOnce();
      expect(workers.at(-1)).toEqual({ url: 'silent', terminated: true, sent: [] });
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads again when the read the page started failed', async () => {
    stubFetch();
    globalThis.kizukiDictionaryPrefetch = { url: DICT_URL, dictionary: Promise.reject(new Error('aborted')) };
    expect(await loadDictionary(DICT_URL)).toEqual(mainThreadDictionary);
  });

  it('the worker posts the dictionary it opened with every buffer under it transferred, or why it could not', async () => {
    stubFetch();
    const posted: { reply: DictionaryWorkerReply; transfer?: Transferable[] }[] = [];
    await answerDictionaryRequest(DICT_URL, (reply, transfer) => posted.push({ reply, transfer }));
    expect(posted).toEqual([{ reply: { dictionary: mainThreadDictionary, readAt: expect.any(Number) }, transfer: expect.any(Array) }]);
    const sent = posted[0]!;
    const dictionary = (sent.reply as unknown as { dictionary: { file: Uint8Array; sums: Uint32Array } }).dictionary;
    // The file's buffer (under the views into it) and the summed table's, each once.
    expect(sent.transfer).toEqual([mainThreadBytes, dictionary.sums.buffer]);
    expect(sent.transfer![0]).toBe(mainThreadBytes);

    // A dictionary that cannot be posted (not cloneable) is answered with why, not left without a reply.
    posted.length = 0;
    let calls = 0;
    await answerDictionaryRequest(DICT_URL, (reply, transfer) => {
      calls++;
      if ('dictionary' in reply) throw new Error('DataCloneError');
      posted.push({ reply, transfer });
    });
    expect(calls).toBe(2);
    expect(posted).toEqual([{ reply: { error: 'DataCloneError' }, transfer: undefined }]);

    vi.stubGlobal('fetch', async () => ({ ok: false, status: 404 }));
    posted.length = 0;
    await answerDictionaryRequest(DICT_URL, (reply, transfer) => posted.push({ reply, transfer }));
    expect(posted).toEqual([{ reply: { error: expect.stringContaining('HTTP 404') }, transfer: undefined }]);
  });
});
