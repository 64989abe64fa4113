// A Preact hook for one storage.local key: read once, then follow changes made by any context (background, panel,
// options page). undefined while the first read is pending.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';

export function useLocalValue<T>(key: string, parse: (raw: unknown) => T | Promise<T>): T | undefined {
  const [value, setValue] = useState<T | undefined>();
  useEffect(() => {
    let live = true;
    const read = () =>
      void browser.storage.local
        .get(key)
        .then((r) => parse(r[key]))
        .then((v) => live && setValue(v));
    read();
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && key in changes) read();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, [key]);
  return value;
}
