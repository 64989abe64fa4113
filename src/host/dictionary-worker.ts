// The dictionary reader's worker (see dictionary-source.ts): reads the file it is sent the URL of and transfers the
// bytes back to the page.
import { fetchCompactDictionary } from '../engine/fetch-loader';
import type { DictionaryWorkerReply } from './dictionary-source';

const scope = self as unknown as { onmessage: ((event: MessageEvent<string>) => void) | null; postMessage(reply: DictionaryWorkerReply, transfer?: Transferable[]): void };
scope.onmessage = (event) => {
  fetchCompactDictionary(event.data).then(
    (bytes) => scope.postMessage({ bytes, readAt: performance.timeOrigin + performance.now() }, [bytes]),
    (e: unknown) => scope.postMessage({ error: String((e as Error).message ?? e) }),
  );
};
