// The engine host page's first script (offscreen.html; Firefox's event page): starts reading the dictionary before
// the engine's 1.2 MB script is parsed. The host takes this read (loadDictionary in dictionary-source.ts).
import { readDictionary } from './dictionary-source';

const url = new URL('dict/', location.href).href;
globalThis.kizukiDictionaryPrefetch = { url, dictionary: readDictionary(url) };
// An unhandled rejection here would be reported before the host has taken the promise; the host reports it.
globalThis.kizukiDictionaryPrefetch.dictionary.catch(() => {});
