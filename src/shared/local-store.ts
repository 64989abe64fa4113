// storage.local behind the distribution modules' KeyValueStore interface (they are storage-agnostic for Node tests).
import browser from 'webextension-polyfill';
import type { KeyValueStore } from '../distribution/sources';

export const localStore: KeyValueStore = {
  get: async (key) => (await browser.storage.local.get(key))[key],
  set: (key, value) => browser.storage.local.set({ [key]: value }),
};
