// The dictionary reader's worker (see dictionary-source.ts): reads and opens the file it is sent the URL of, and
// transfers it back to the page.
import { answerDictionaryRequest, type DictionaryWorkerReply } from './dictionary-source';

const scope = self as unknown as { onmessage: ((event: MessageEvent<string>) => void) | null; postMessage(reply: DictionaryWorkerReply, transfer?: Transferable[]): void };
scope.onmessage = (event) => void answerDictionaryRequest(event.data, (reply, transfer) => scope.postMessage(reply, transfer));
