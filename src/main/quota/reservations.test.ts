import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limitsWith } from '../../../test/fixtures/user-limits';
import { GiB } from '../../shared/units';
import { applyDelta, approveChange, usageWithPending, type ResourceDelta } from './approve';
import { ReservationBook } from './reservations';
import type { Usage } from './usage';

const user = 'alice@pve';

function usageOf(cores: number, coresOnPve1: number, tankBytes: number): Usage {
  const node = {
    memoryBytes: 0,
    swapBytes: 0,
    networkBytesPerSecond: 0,
    storageBytes: {},
    cpuModels: {},
    pciDevices: {},
  };
  return {
    cores,
    memoryBytes: 0,
    swapBytes: 0,
    networkBytesPerSecond: 0,
    storageBytes: { tank: tankBytes },
    cpuModels: {},
    pciDevices: {},
    perNode: {
      pve1: { cores: coresOnPve1, ...node },
      pve2: { cores: cores - coresOnPve1, ...node },
    },
    problems: [],
    unread: [],
  };
}

describe('ReservationBook', () => {
  it('holds reserved changes per user, oldest first, until released', () => {
    const book = new ReservationBook();

    const releaseFirst = book.reserve(user, { node: 'pve1', cores: 2 });
    book.reserve(user, { node: 'pve2', storageBytes: { tank: GiB } });
    book.reserve('bob@pve', { node: 'pve1', cores: 1 });

    expect(book.pending(user)).toEqual([
      { node: 'pve1', cores: 2 },
      { node: 'pve2', storageBytes: { tank: GiB } },
    ]);
    releaseFirst();
    releaseFirst();
    expect(book.pending(user)).toEqual([{ node: 'pve2', storageBytes: { tank: GiB } }]);
    expect(book.pending('bob@pve')).toEqual([{ node: 'pve1', cores: 1 }]);
  });

  it('calls onRelease while the change is still held, once per release', () => {
    const seen: unknown[] = [];
    const book: ReservationBook = new ReservationBook((userid) =>
      seen.push([userid, book.pending(userid).length]),
    );

    const release = book.reserve(user, { node: 'pve1', cpuModels: { host: 1 } });
    release();
    release();

    expect(seen).toEqual([[user, 1]]);
    expect(book.pending(user)).toEqual([]);
  });

  it('keeps its own copy, so a caller changing its object changes nothing held', () => {
    const book = new ReservationBook();
    const delta: ResourceDelta = { node: 'pve1', cores: 2, storageBytes: { tank: GiB } };

    book.reserve(user, delta);
    delta.cores = 100;
    if (delta.storageBytes) delta.storageBytes.tank = 0;
    const [held] = book.pending(user);
    if (held) held.cores = 50;

    expect(book.pending(user)).toEqual([{ node: 'pve1', cores: 2, storageBytes: { tank: GiB } }]);
  });

  it.each<[string, ResourceDelta]>([
    ['NaN cores', { node: 'pve1', cores: Number.NaN }],
    ['infinite storage', { node: 'pve1', storageBytes: { tank: Number.POSITIVE_INFINITY } }],
    ['a bad storage id', { node: 'pve1', storageBytes: { '../etc': 1 } }],
    ['a bad node', { node: 'pve 1', cores: 1 }],
  ])('refuses to reserve %s and holds nothing', (_label, delta) => {
    const book = new ReservationBook();

    expect(() => book.reserve(user, delta)).toThrow(/finite|valid/);
    expect(book.pending(user)).toEqual([]);
  });

  it("runs one user's locked sections one at a time, and other users' alongside", async () => {
    const book = new ReservationBook();
    const events: string[] = [];
    const section = (name: string, userid: string) =>
      book.withUserLock(userid, async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`${name} out`);
        return name;
      });

    const results = await Promise.all([
      section('a1', user),
      section('a2', user),
      section('b1', 'bob@pve'),
    ]);

    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(events.indexOf('a1 out')).toBeLessThan(events.indexOf('a2 in'));
    expect(events.indexOf('b1 in')).toBeLessThan(events.indexOf('a1 out'));
  });

  it('releases the lock when the locked section fails', async () => {
    const book = new ReservationBook();

    await expect(
      book.withUserLock(user, () => Promise.reject(new Error('PVE said no'))),
    ).rejects.toThrow('PVE said no');
    await expect(book.withUserLock(user, () => Promise.resolve('next'))).resolves.toBe('next');
  });
});

describe('approve, reserve and commit under interleaving', () => {
  const limits = limitsWith({
    cores: { max: 16, perNode: { pve1: 8 } },
    storage: { tank: { max: '100GiB' } },
  });
  const request = fc.record({
    node: fc.constantFrom('pve1', 'pve2'),
    cores: fc.integer({ min: -4, max: 6 }),
    tankGiB: fc.integer({ min: -20, max: 40 }),
    committed: fc.boolean(),
  });
  const start = fc
    .tuple(
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 0, max: 100 }),
    )
    .map(([onPve1, onPve2, tankGiB]) => usageOf(onPve1 + onPve2, onPve1, tankGiB * GiB));

  it('never lets committed plus reserved use exceed a limit that usage started under', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        start,
        fc.array(request, { minLength: 1, maxLength: 10 }),
        async (s, initial, requests) => {
          const book = new ReservationBook();
          let committed = initial;
          const violations: string[] = [];
          const check = (): void => {
            const worst = usageWithPending(committed, book.pending(user));
            if (worst.cores > 16) violations.push(`cores ${worst.cores}`);
            if ((worst.perNode.pve1?.cores ?? 0) > 8)
              violations.push(`pve1 cores ${worst.perNode.pve1?.cores}`);
            if ((worst.storageBytes.tank ?? 0) > 100 * GiB)
              violations.push(`tank ${worst.storageBytes.tank}`);
          };

          const run = async (r: (typeof requests)[number]): Promise<void> => {
            const delta: ResourceDelta = {
              node: r.node,
              cores: r.cores,
              storageBytes: { tank: r.tankGiB * GiB },
            };
            const release = await book.withUserLock(user, async () => {
              // Pending first, then the cluster: a change released meanwhile is committed already,
              // so the read sees it. Reading takes a round trip, during which commits finish.
              const pending = book.pending(user);
              const usage = await s.schedule(Promise.resolve(committed), 'read usage');
              const decision = approveChange(limits, usageWithPending(usage, pending), delta);
              return decision.approved ? book.reserve(user, delta) : null;
            });
            check();
            if (release === null) return;
            await s.schedule(Promise.resolve(), 'PVE answers');
            if (r.committed) committed = applyDelta(committed, delta);
            release();
            check();
          };

          await s.waitFor(Promise.all(requests.map(run)));

          expect(violations).toEqual([]);
          expect(book.pending(user)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
