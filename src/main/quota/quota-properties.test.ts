import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GiB } from '../../shared/units';
import {
  applyDelta,
  approveChange,
  describeUsage,
  usageWithPending,
  type ResourceDelta,
} from './approve';
import { resolveUserLimits, type UserLimits } from './limits';
import { parsePolicy } from './policy';
import { ReservationBook } from './reservations';
import { SnapshotCache } from './snapshot-cache';
import { computeUsage, type GuestForUsage, type Usage } from './usage';

// Properties of the whole engine over random policies: random limits (global, per node, per
// storage, list entries), random usage, random changes and random interleavings of concurrent
// approvals that read usage through the warm snapshot cache.

const user = 'erin@pve';
const nodes = ['pve1', 'pve2'] as const;
const models = ['x86-64-v2-AES', 'host', 'kvm64'] as const;
const devices = ['mapping:gpu-a', 'mapping:gpu-b', 'host:0000:81:00.0'] as const;

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined });
const perNode = (max: number) =>
  maybe(fc.record({ pve1: fc.integer({ min: 0, max }) }, { requiredKeys: [] }));
/** Per-node counts of a list entry, for either node or both. */
const listPerNode = maybe(
  fc.record(
    { pve1: fc.integer({ min: 0, max: 3 }), pve2: fc.integer({ min: 0, max: 3 }) },
    { requiredKeys: [] },
  ),
);

/** A random policy entry with global and per-node limits, storage and list entries. */
const entryArb = fc.record({
  cores: maybe(fc.record({ max: fc.integer({ min: 0, max: 32 }), perNode: perNode(16) })),
  memoryGiB: maybe(fc.integer({ min: 0, max: 64 })),
  tankGiB: maybe(fc.integer({ min: 0, max: 200 })),
  tankOnPve1GiB: maybe(fc.integer({ min: 0, max: 100 })),
  cpuModels: fc.array(
    fc.record({
      match: fc.constantFrom('x86-64-v2*', 'host', '*'),
      max: fc.integer({ min: 0, max: 4 }),
      perNode: listPerNode,
    }),
    { maxLength: 2 },
  ),
  pci: fc.array(
    fc.record({
      match: fc.constantFrom('mapping:gpu-*', 'host:*', '/^mapping:/'),
      max: fc.integer({ min: 0, max: 3 }),
      perNode: listPerNode,
    }),
    { maxLength: 2 },
  ),
});

function limitsOf(entry: ValueOf<typeof entryArb>): UserLimits {
  const json: Record<string, unknown> = {
    pools: ['erin'],
    cpuModels: entry.cpuModels,
    pci: entry.pci,
  };
  if (entry.cores) json.cores = entry.cores;
  if (entry.memoryGiB !== undefined) json.memory = { max: `${entry.memoryGiB}GiB` };
  if (entry.tankGiB !== undefined || entry.tankOnPve1GiB !== undefined) {
    json.storage = {
      tank: {
        max: entry.tankGiB === undefined ? null : `${entry.tankGiB}GiB`,
        ...(entry.tankOnPve1GiB === undefined
          ? {}
          : { perNode: { pve1: `${entry.tankOnPve1GiB}GiB` } }),
      },
    };
  }
  const parsed = parsePolicy({ version: 1, users: { [user]: json } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const limits = resolveUserLimits(parsed.policy, user);
  if (limits === null) throw new Error('unreachable: the user was just added');
  return limits;
}

/** Random guests as PVE returns their configs. */
const guestArb = fc.record({
  node: fc.constantFrom(...nodes),
  cores: fc.integer({ min: 1, max: 8 }),
  memoryMiB: fc.integer({ min: 256, max: 8192 }),
  cpu: maybe(fc.constantFrom(...models)),
  pci: fc.subarray([...devices], { maxLength: 2 }),
  diskGiB: fc.integer({ min: 1, max: 60 }),
});

function guestsOf(specs: readonly ValueOf<typeof guestArb>[]): GuestForUsage[] {
  return specs.map((spec, index) => {
    const vmid = 100 + index;
    const config: Record<string, unknown> = {
      cores: spec.cores,
      memory: String(spec.memoryMiB),
      scsi0: `tank:vm-${vmid}-disk-0,size=${spec.diskGiB}G`,
      digest: `d${vmid}`,
    };
    if (spec.cpu !== undefined) config.cpu = spec.cpu;
    spec.pci.forEach((device, slot) => {
      config[`hostpci${slot}`] = device.startsWith('mapping:')
        ? `mapping=${device.slice('mapping:'.length)},pcie=1`
        : device.slice('host:'.length);
    });
    return { node: spec.node, type: 'qemu', vmid, pool: 'erin', config };
  });
}

/** A random change on one node, touching any of the resources. */
const changeArb: fc.Arbitrary<ResourceDelta> = fc.record(
  {
    node: fc.constantFrom(...nodes),
    cores: fc.integer({ min: -6, max: 6 }),
    memoryBytes: fc.integer({ min: -8, max: 8 }).map((g) => g * GiB),
    storageBytes: fc.integer({ min: -40, max: 40 }).map((g) => ({ tank: g * GiB })),
    cpuModels: fc.dictionary(fc.constantFrom(...models), fc.integer({ min: -2, max: 2 }), {
      maxKeys: 2,
    }),
    pciDevices: fc.dictionary(fc.constantFrom(...devices), fc.integer({ min: -1, max: 2 }), {
      maxKeys: 2,
    }),
  },
  { requiredKeys: ['node'] },
);

/** Every row of the usage as resource id -> [used, limit]. */
function levels(
  limits: UserLimits,
  usage: Usage,
): Map<string, { used: number; limit: number | null }> {
  return new Map(
    describeUsage(limits, usage).map((r) => [r.resource, { used: r.used, limit: r.limit }]),
  );
}

function negated(change: ResourceDelta): ResourceDelta {
  const flip = (record: Record<string, number> | undefined) =>
    record && Object.fromEntries(Object.entries(record).map(([k, v]) => [k, -Math.abs(v)]));
  const down: ResourceDelta = { node: change.node };
  if (change.cores !== undefined) down.cores = -Math.abs(change.cores);
  if (change.memoryBytes !== undefined) down.memoryBytes = -Math.abs(change.memoryBytes);
  if (change.storageBytes) down.storageBytes = flip(change.storageBytes);
  if (change.cpuModels) down.cpuModels = flip(change.cpuModels);
  if (change.pciDevices) down.pciDevices = flip(change.pciDevices);
  return down;
}

describe('quota engine properties over random policies', () => {
  it('always approves a change that only frees resources, even over quota', () => {
    fc.assert(
      fc.property(
        entryArb,
        fc.array(guestArb, { maxLength: 8 }),
        changeArb,
        (entry, specs, change) => {
          const limits = limitsOf(entry);
          const usage = computeUsage(limits, guestsOf(specs));

          expect(approveChange(limits, usage, negated(change)).approved).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('approves only changes after which every limit that held still holds', () => {
    fc.assert(
      fc.property(
        entryArb,
        fc.array(guestArb, { maxLength: 8 }),
        changeArb,
        (entry, specs, change) => {
          const limits = limitsOf(entry);
          const usage = computeUsage(limits, guestsOf(specs));
          const before = levels(limits, usage);

          const decision = approveChange(limits, usage, change);
          if (!decision.approved) return;
          for (const [resource, after] of levels(limits, applyDelta(usage, change))) {
            const start = before.get(resource);
            if (after.limit === null || start === undefined || start.used > after.limit) continue;
            expect({ resource, used: after.used }).toEqual({
              resource,
              used: Math.min(after.used, after.limit),
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same usage and decision whatever the order of config keys and guests', () => {
    fc.assert(
      fc.property(
        entryArb,
        fc.array(guestArb, { minLength: 1, maxLength: 6 }),
        changeArb,
        fc.infiniteStream(fc.nat()),
        (entry, specs, change, seeds) => {
          const limits = limitsOf(entry);
          const guests = guestsOf(specs);
          const reorder = <T>(items: T[]): T[] =>
            items
              .map((item) => ({ item, rank: seeds.next().value as number }))
              .sort((a, b) => a.rank - b.rank)
              .map(({ item }) => item);
          const shuffled = reorder(guests).map((g) => ({
            ...g,
            config: Object.fromEntries(reorder(Object.entries(g.config))),
          }));

          const usage = computeUsage(limits, guests);
          const again = computeUsage(limits, shuffled);

          expect(again).toEqual(usage);
          expect(JSON.stringify(again)).toBe(JSON.stringify(usage));
          expect(approveChange(limits, again, change)).toEqual(
            approveChange(limits, usage, change),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never lets concurrent changes priced from the warm snapshot overspend a limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        entryArb,
        fc.array(guestArb, { maxLength: 6 }),
        fc.array(fc.record({ change: changeArb, committed: fc.boolean() }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (s, entry, specs, requests) => {
          const limits = limitsOf(entry);

          const outcome = await interleave(
            s,
            limits,
            computeUsage(limits, guestsOf(specs)),
            requests,
          );

          expect(outcome).toEqual({ violations: [], pending: [] });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never lets concurrent PCI attaches and detaches overspend a per-node entry', async () => {
    const pciEntry = fc.record({
      match: fc.constantFrom('mapping:gpu-*', 'host:*', '/^mapping:/'),
      max: fc.integer({ min: 0, max: 6 }),
      perNode: fc.record({ pve1: fc.integer({ min: 0, max: 3 }) }),
    });
    const attach: fc.Arbitrary<ResourceDelta> = fc.record({
      node: fc.constantFrom(...nodes),
      pciDevices: fc.dictionary(fc.constantFrom(...devices), fc.integer({ min: -1, max: 2 }), {
        minKeys: 1,
        maxKeys: 2,
      }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        entryArb,
        fc.array(pciEntry, { minLength: 1, maxLength: 2 }),
        fc.array(guestArb, { maxLength: 6 }),
        fc.array(fc.record({ change: attach, committed: fc.boolean() }), {
          minLength: 2,
          maxLength: 8,
        }),
        async (s, entry, pci, specs, requests) => {
          const limits = limitsOf({ ...entry, pci });
          const cluster = computeUsage(limits, guestsOf(specs));
          const nodeRows = [...levels(limits, cluster).keys()].filter((r) =>
            /^pci:.*@pve1$/.test(r),
          );

          const outcome = await interleave(s, limits, cluster, requests);

          expect(nodeRows).toHaveLength(limits.pciDevices.length);
          expect(outcome).toEqual({ violations: [], pending: [] });
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * Runs the requests at once, each priced under the user's lock from the warm snapshot with the
 * reservations added, the way the core does, in the order the scheduler picks. Returns every
 * limit that held at the start and was exceeded after some commit (and per-node list counts that
 * stopped adding up to the global ones), and what is still reserved.
 */
async function interleave(
  s: fc.Scheduler,
  limits: UserLimits,
  initial: Usage,
  requests: readonly { change: ResourceDelta; committed: boolean }[],
): Promise<{ violations: string[]; pending: ResourceDelta[] }> {
  let cluster = initial;
  const start = levels(limits, cluster);
  let clock = 0;
  const cache = new SnapshotCache<Usage>(10_000, () => clock);
  const book = new ReservationBook(() => cache.invalidate());
  const violations: string[] = [];
  const check = (): void => {
    for (const [resource, now] of levels(limits, cluster)) {
      const before = start.get(resource);
      if (now.limit === null || before === undefined || before.used > now.limit) continue;
      if (now.used > now.limit) violations.push(`${resource}: ${now.used} > ${now.limit}`);
    }
    // Per-node list counts are what per-node entries are priced from; they must add up.
    for (const field of ['cpuModels', 'pciDevices'] as const) {
      const sums = new Map<string, number>();
      for (const counts of Object.values(cluster.perNode)) {
        for (const [item, n] of Object.entries(counts[field]))
          sums.set(item, (sums.get(item) ?? 0) + n);
      }
      for (const [item, n] of Object.entries(cluster[field])) {
        if ((sums.get(item) ?? 0) !== n) violations.push(`${field} ${item}: nodes do not add up`);
      }
    }
  };
  // Reading the cluster takes a round trip, during which other commits may finish.
  const readCluster = (): Promise<Usage> =>
    s.schedule(Promise.resolve(), 'read configs').then(() => cluster);

  const run = async ({ change, committed }: (typeof requests)[number]): Promise<void> => {
    const release = await book.withUserLock(user, async () => {
      const pending = book.pending(user);
      const usage = await cache.get(user, readCluster);
      const decision = approveChange(limits, usageWithPending(usage, pending), change);
      return decision.approved ? book.reserve(user, change) : null;
    });
    if (release === null) return;
    await s.schedule(Promise.resolve(), 'PVE answers');
    if (committed) cluster = applyDelta(cluster, change);
    clock += 1;
    release();
    check();
  };

  await s.waitFor(Promise.all(requests.map(run)));
  return { violations, pending: [...book.pending(user)] };
}
