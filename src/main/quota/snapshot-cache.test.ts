import { describe, expect, it } from 'vitest';
import { SnapshotCache } from './snapshot-cache';

function loader(): { load: () => Promise<number>; calls: () => number } {
  let count = 0;
  return { load: () => Promise.resolve(++count), calls: () => count };
}

describe('SnapshotCache', () => {
  it('reuses a value while it is fresh and reads again once it is older than maxAgeMs', async () => {
    let clock = 0;
    const cache = new SnapshotCache<number>(10_000, () => clock);
    const { load, calls } = loader();

    expect(await cache.get('alice', load)).toBe(1);
    clock = 10_000;
    expect(await cache.get('alice', load)).toBe(1);
    clock = 10_001;
    expect(await cache.get('alice', load)).toBe(2);
    expect(calls()).toBe(2);
  });

  it('keeps one value per key, and shares a read in progress', async () => {
    const cache = new SnapshotCache<number>(10_000, () => 0);
    const { load, calls } = loader();

    const [a, b] = await Promise.all([cache.get('alice', load), cache.get('alice', load)]);
    const bob = await cache.get('bob', load);

    expect([a, b, bob, calls()]).toEqual([1, 1, 2, 2]);
  });

  it('drops everything on invalidate, and never keeps a read that began before it', async () => {
    const cache = new SnapshotCache<string>(10_000, () => 0);
    let finish: (value: string) => void = () => undefined;
    const slow = cache.get('alice', () => new Promise<string>((resolve) => (finish = resolve)));

    cache.invalidate();
    finish('read before the commit');

    expect(await slow).toBe('read before the commit');
    expect(cache.has('alice')).toBe(false);
    expect(await cache.get('alice', () => Promise.resolve('read after'))).toBe('read after');
    expect(cache.has('alice')).toBe(true);
  });

  it('does not keep a failed read, and always reads with maxAgeMs 0', async () => {
    const cache = new SnapshotCache<number>(10_000, () => 0);
    await expect(cache.get('alice', () => Promise.reject(new Error('PVE down')))).rejects.toThrow(
      'PVE down',
    );
    expect(cache.has('alice')).toBe(false);

    const uncached = new SnapshotCache<number>(0, () => 0);
    const { load, calls } = loader();
    await uncached.get('alice', load);
    await uncached.get('alice', load);
    expect(calls()).toBe(2);
  });

  it('refuses a negative or NaN max age', () => {
    expect(() => new SnapshotCache(-1, () => 0)).toThrow(RangeError);
    expect(() => new SnapshotCache(Number.NaN, () => 0)).toThrow(RangeError);
  });

  it('serves a value its keep test turns down to the callers sharing its read, then reads again', async () => {
    const cache = new SnapshotCache<number>(
      10_000,
      () => 0,
      (value) => value > 0,
    );
    let reads = 0;
    const load = (): Promise<number> => Promise.resolve(reads++);

    const [first, shared] = await Promise.all([cache.get('alice', load), cache.get('alice', load)]);
    const next = await cache.get('alice', load);
    const kept = await cache.get('alice', load);

    expect([first, shared, next, kept]).toEqual([0, 0, 1, 1]);
    expect(cache.has('alice')).toBe(true);
  });
});
