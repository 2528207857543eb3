// A short-lived cache of usage snapshots, so that pricing a change does not re-read every config
// of a user with thousands of guests. Two rules keep it from letting anyone overspend:
//   - `invalidate()` is called before the reservation of a committed change is released (see
//     reservations.ts), so a snapshot in the cache has been read after every released change;
//   - a read that was running when `invalidate()` was called is not kept, because it may have
//     started before the change was committed. Each read remembers the generation it started in.
// Changes made around ProxDesk show up once the snapshot is older than `maxAgeMs`. A value `keep`
// turns down (a reading that could not read every guest) serves the callers that shared its read
// and is then dropped, so the next one reads again.

interface Entry<V> {
  generation: number;
  takenAtMs: number;
  value: Promise<V>;
}

/** Caches one value per key for `maxAgeMs`, dropping everything on `invalidate()`. */
export class SnapshotCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number,
    private readonly keep: (value: V) => boolean = () => true,
  ) {
    if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
      throw new RangeError(`maxAgeMs must be a number >= 0, got ${maxAgeMs}`);
    }
  }

  /**
   * The cached value for `key` if it is fresh and no invalidation happened since its read began;
   * otherwise runs `load` once (callers asking meanwhile share that read) and caches its result.
   */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (
      cached !== undefined &&
      cached.generation === this.generation &&
      this.now() - cached.takenAtMs <= this.maxAgeMs
    ) {
      return cached.value;
    }
    return this.refresh(key, load);
  }

  /** Runs `load` whatever is cached, and caches its result for the next `get`. */
  refresh(key: string, load: () => Promise<V>): Promise<V> {
    const entry: Entry<V> = { generation: this.generation, takenAtMs: this.now(), value: load() };
    if (this.maxAgeMs > 0) this.entries.set(key, entry);
    const drop = (): void => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    // A failed read is never reused, nor one `keep` turns down.
    entry.value.then((value) => {
      if (!this.keep(value)) drop();
    }, drop);
    return entry.value;
  }

  /** Drops every cached value and marks reads in progress as stale. */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /** Whether a fresh value is cached for `key` (for tests and diagnostics). */
  has(key: string): boolean {
    const cached = this.entries.get(key);
    return (
      cached !== undefined &&
      cached.generation === this.generation &&
      this.now() - cached.takenAtMs <= this.maxAgeMs
    );
  }
}
