import Store from 'electron-store';
import type { KeyValueStore } from './key-value-store';

/** Settings kept by electron-store in the app's user-data folder. Only the Electron entry uses it. */
export function createElectronSettingsStore(): KeyValueStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: false });
  // One ProxDesk runs per OS account (the single-instance lock), so every write to the file
  // goes through here and the count below sees each of them.
  let writes = 0;
  return {
    get: (key) => store.get(key),
    set: (key, value) => {
      store.set(key, value);
      writes += 1;
    },
    delete: (key) => {
      store.delete(key);
      writes += 1;
    },
    revision: () => writes,
  };
}
