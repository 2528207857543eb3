import Store from 'electron-store';
import type { KeyValueStore } from './key-value-store';

/** Settings kept by electron-store in the app's user-data folder. Only the Electron entry uses it. */
export function createElectronSettingsStore(): KeyValueStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: false });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
