import type { KeyValueStore } from './key-value-store';

/**
 * One settings value, parsed when the store has been written since the last read and handed out
 * frozen otherwise. Trust and cluster profiles are looked up on every PVE request, and
 * electron-store reads its file on every `get`, so parsing them each time costs the request path
 * far more than the request itself. A parse that throws is not kept: the next read tries again.
 */
export class ParsedSetting<T> {
  private cached: { revision: number; value: T } | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly key: string,
    private readonly parse: (stored: unknown) => T,
  ) {}

  /** The parsed value, as the store holds it now. */
  read(): T {
    const revision = this.store.revision();
    if (this.cached?.revision === revision) return this.cached.value;
    const value = deepFreeze(this.parse(this.store.get(this.key)));
    // Parsing may write the store itself (a migration); the next read then parses once more.
    this.cached = { revision, value };
    return value;
  }
}

// Readers share the one parsed value, so none of them may change it for the others.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
