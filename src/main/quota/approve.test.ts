import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limitsWith } from '../../../test/fixtures/user-limits';
import { AppError } from '../../shared/errors';
import { GiB, KiB, MiB } from '../../shared/units';
import {
  addDeltas,
  applyDelta,
  approveChange,
  describeUsage,
  quotaExceededError,
  type ResourceDelta,
} from './approve';
import { emptyNode, type Usage } from './usage';

const limits = limitsWith({
  cores: { max: 16, perNode: { pve1: 8 } },
  memory: { max: '32GiB' },
  swap: { max: '8GiB' },
  network: { max: '200MB/s' },
  storage: { 'local-lvm': { max: '200GiB' }, tank: { max: '120GiB' } },
});

function usageOf(partial: Partial<Usage>): Usage {
  return {
    cores: 0,
    memoryBytes: 0,
    swapBytes: 0,
    networkBytesPerSecond: 0,
    storageBytes: {},
    cpuModels: {},
    pciDevices: {},
    perNode: {},
    problems: [],
    unread: [],
    ...partial,
  };
}

const usage = usageOf({
  cores: 7,
  memoryBytes: 30 * GiB,
  swapBytes: 512 * MiB,
  networkBytesPerSecond: 150 * MiB,
  storageBytes: { 'local-lvm': 64 * GiB, tank: 84 * GiB },
  perNode: {
    pve1: {
      cores: 3,
      memoryBytes: 20 * GiB,
      swapBytes: 512 * MiB,
      networkBytesPerSecond: 100 * MiB,
      storageBytes: {},
      cpuModels: {},
      pciDevices: {},
    },
    pve2: {
      cores: 4,
      memoryBytes: 10 * GiB,
      swapBytes: 0,
      networkBytesPerSecond: 50 * MiB,
      storageBytes: {},
      cpuModels: {},
      pciDevices: {},
    },
  },
});

describe('approveChange', () => {
  it('approves a change that fits, listing each resource it touches', () => {
    const decision = approveChange(limits, usage, {
      node: 'pve2',
      cores: 2,
      memoryBytes: GiB,
      storageBytes: { tank: 16 * GiB },
    });

    expect(decision).toEqual({
      approved: true,
      shortfalls: [],
      unknown: [],
      items: [
        {
          resource: 'cores',
          label: 'Cores',
          unit: 'count',
          limit: 16,
          used: 7,
          requested: 2,
          after: 9,
          remaining: 7,
          fits: true,
          reason: '7 in use + 2 = 9 of 16; 7 left',
        },
        {
          resource: 'memory',
          label: 'Memory',
          unit: 'bytes',
          limit: 32 * GiB,
          used: 30 * GiB,
          requested: GiB,
          after: 31 * GiB,
          remaining: GiB,
          fits: true,
          reason: '30 GiB in use + 1 GiB = 31 GiB of 32 GiB; 1 GiB left',
        },
        {
          resource: 'storage:tank',
          label: 'Storage: tank',
          unit: 'bytes',
          limit: 120 * GiB,
          used: 84 * GiB,
          requested: 16 * GiB,
          after: 100 * GiB,
          remaining: 20 * GiB,
          fits: true,
          reason: '84 GiB in use + 16 GiB = 100 GiB of 120 GiB; 20 GiB left',
        },
      ],
    });
  });

  it('approves a change that reaches the limit exactly', () => {
    expect(approveChange(limits, usage, { node: 'pve2', memoryBytes: 2 * GiB }).approved).toBe(
      true,
    );
  });

  it('refuses a change that exceeds, with the exact shortfall', () => {
    const decision = approveChange(limits, usage, {
      node: 'pve2',
      memoryBytes: 6 * GiB,
      storageBytes: { tank: 40 * GiB },
    });

    expect(decision.approved).toBe(false);
    expect(decision.shortfalls).toEqual([
      {
        resource: 'memory',
        label: 'Memory',
        unit: 'bytes',
        limit: 32 * GiB,
        used: 30 * GiB,
        requested: 6 * GiB,
        shortfall: 4 * GiB,
      },
      {
        resource: 'storage:tank',
        label: 'Storage: tank',
        unit: 'bytes',
        limit: 120 * GiB,
        used: 84 * GiB,
        requested: 40 * GiB,
        shortfall: 4 * GiB,
      },
    ]);
  });

  it("refuses an increase that fits globally but not the node's limit", () => {
    const decision = approveChange(limits, usage, { node: 'pve1', cores: 6 });

    expect(decision.approved).toBe(false);
    expect(decision.items.map((i) => [i.resource, i.fits])).toEqual([
      ['cores', true],
      ['cores@pve1', false],
    ]);
    expect(decision.shortfalls).toEqual([
      {
        resource: 'cores@pve1',
        label: 'Cores on pve1',
        unit: 'count',
        limit: 8,
        used: 3,
        requested: 6,
        shortfall: 1,
      },
    ]);
  });

  it('passes a decrease even when the user is already over quota', () => {
    const over = usageOf({ ...usage, memoryBytes: 40 * GiB, storageBytes: { tank: 150 * GiB } });

    const shrink = approveChange(limits, over, {
      node: 'pve1',
      memoryBytes: -2 * GiB,
      storageBytes: { tank: -10 * GiB },
    });

    expect(shrink.approved).toBe(true);
    expect(shrink.items.map((i) => [i.resource, i.after, i.fits])).toEqual([
      ['memory', 38 * GiB, true],
      ['storage:tank', 140 * GiB, true],
    ]);
    expect(approveChange(limits, over, { node: 'pve1', memoryBytes: 1 }).approved).toBe(false);
  });

  it('prices a move per storage: the target must fit, the source frees', () => {
    const move = { node: 'pve1', storageBytes: { 'local-lvm': -40 * GiB, tank: 40 * GiB } };

    const decision = approveChange(limits, usage, move);

    expect(decision.approved).toBe(false);
    expect(decision.items.map((i) => [i.resource, i.after, i.fits])).toEqual([
      ['storage:local-lvm', 24 * GiB, true],
      ['storage:tank', 124 * GiB, false],
    ]);
    expect(decision.shortfalls.map((s) => [s.resource, s.shortfall])).toEqual([
      ['storage:tank', 4 * GiB],
    ]);
  });

  it.each<[string, ResourceDelta]>([
    ['NaN cores', { node: 'pve1', cores: Number.NaN }],
    ['infinite memory', { node: 'pve1', memoryBytes: Number.POSITIVE_INFINITY }],
    ['a string rate', { node: 'pve1', networkBytesPerSecond: '5' as unknown as number }],
    ['NaN storage', { node: 'pve1', storageBytes: { tank: Number.NaN } }],
    ['a bad storage id', { node: 'pve1', storageBytes: { '../x': 1 } }],
    ['no node', { node: '' }],
    ['a hostile node', { node: '__proto__', cores: 1 }],
  ])('refuses %s with INVALID_INPUT', (_label, change) => {
    expect(() => approveChange(limits, usage, change)).toThrow(AppError);
    expect(() => approveChange(limits, usage, change)).toThrow(/node|finite|storage/);
  });

  it('refuses a usage with a number that is not finite', () => {
    expect(() =>
      approveChange(limits, usageOf({ cores: Number.NaN }), { node: 'pve1', cores: 1 }),
    ).toThrow(/Cores in use must be a finite number/);
  });

  it('always passes decreases, whatever the usage', () => {
    const amount = fc.integer({ min: 0, max: 2 ** 40 });
    fc.assert(
      fc.property(amount, amount, amount, amount, amount, (used, cores, memory, rate, disk) => {
        const current = usageOf({
          cores: used,
          memoryBytes: used,
          networkBytesPerSecond: used,
          storageBytes: { tank: used },
          perNode: {
            pve1: {
              cores: used,
              memoryBytes: used,
              swapBytes: used,
              networkBytesPerSecond: used,
              storageBytes: { tank: used },
              cpuModels: {},
              pciDevices: {},
            },
          },
        });
        const change = {
          node: 'pve1',
          cores: -cores,
          memoryBytes: -memory,
          networkBytesPerSecond: -rate,
          storageBytes: { tank: -disk },
        };

        expect(approveChange(limits, current, change).approved).toBe(true);
      }),
    );
  });
});

describe('addDeltas and applyDelta', () => {
  it('adds two changes on one node field by field', () => {
    const sum = addDeltas(
      { node: 'pve1', cores: 2, storageBytes: { tank: GiB } },
      { node: 'pve1', memoryBytes: MiB, storageBytes: { tank: GiB, 'local-lvm': 2 * GiB } },
    );

    expect(sum).toEqual({
      node: 'pve1',
      cores: 2,
      memoryBytes: MiB,
      storageBytes: { tank: 2 * GiB, 'local-lvm': 2 * GiB },
    });
  });

  it('refuses to add changes on different nodes', () => {
    expect(() => addDeltas({ node: 'pve1' }, { node: 'pve2' })).toThrow(/apply each to the usage/);
  });

  it('applies a change to the global, node and storage usage without changing the input', () => {
    const before = structuredClone(usage);

    const after = applyDelta(usage, {
      node: 'pve3',
      cores: 2,
      swapBytes: GiB,
      storageBytes: { tank: -4 * GiB },
    });

    expect(usage).toEqual(before);
    expect(after.cores).toBe(9);
    expect(after.swapBytes).toBe(512 * MiB + GiB);
    expect(after.storageBytes).toEqual({ 'local-lvm': 64 * GiB, tank: 80 * GiB });
    expect(after.perNode.pve3).toEqual({
      cores: 2,
      memoryBytes: 0,
      swapBytes: GiB,
      networkBytesPerSecond: 0,
      storageBytes: { tank: -4 * GiB },
      cpuModels: {},
      pciDevices: {},
    });
    expect(after.perNode.pve1).toEqual(usage.perNode.pve1);
  });

  it("applies list items to the global counts and to the change's node only", () => {
    const withItems = usageOf({
      cpuModels: { host: 2 },
      pciDevices: { 'mapping:gpu-a': 1 },
      perNode: {
        pve1: { ...emptyNode(), cpuModels: { host: 1 }, pciDevices: { 'mapping:gpu-a': 1 } },
        pve2: { ...emptyNode(), cpuModels: { host: 1 } },
      },
    });

    const after = applyDelta(withItems, {
      node: 'pve2',
      cpuModels: { host: -1, kvm64: 1 },
      pciDevices: { 'mapping:gpu-a': 1, 'host:0000:01:00.0': 1 },
    });

    expect(after.cpuModels).toEqual({ host: 1, kvm64: 1 });
    expect(after.pciDevices).toEqual({ 'mapping:gpu-a': 2, 'host:0000:01:00.0': 1 });
    expect(after.perNode.pve2?.cpuModels).toEqual({ host: 0, kvm64: 1 });
    expect(after.perNode.pve2?.pciDevices).toEqual({ 'mapping:gpu-a': 1, 'host:0000:01:00.0': 1 });
    expect(after.perNode.pve1).toEqual(withItems.perNode.pve1);
    expect(withItems.perNode.pve2?.pciDevices).toEqual({});
  });
});

describe('describeUsage', () => {
  it('gives one row per resource, per-node limit and storage, limited or used', () => {
    const rows = describeUsage(limits, {
      ...usage,
      storageBytes: { ...usage.storageBytes, local: 2 * GiB },
    });

    expect(rows).toEqual([
      { resource: 'cores', label: 'Cores', unit: 'count', used: 7, limit: 16, available: 9 },
      {
        resource: 'cores@pve1',
        label: 'Cores on pve1',
        unit: 'count',
        used: 3,
        limit: 8,
        available: 5,
      },
      {
        resource: 'memory',
        label: 'Memory',
        unit: 'bytes',
        used: 30 * GiB,
        limit: 32 * GiB,
        available: 2 * GiB,
      },
      {
        resource: 'swap',
        label: 'Swap',
        unit: 'bytes',
        used: 512 * MiB,
        limit: 8 * GiB,
        available: 7.5 * GiB,
      },
      {
        resource: 'network',
        label: 'Network rate',
        unit: 'bytesPerSecond',
        used: 150 * MiB,
        limit: 200 * MiB,
        available: 50 * MiB,
      },
      {
        resource: 'storage:local',
        label: 'Storage: local',
        unit: 'bytes',
        used: 2 * GiB,
        limit: 0,
        available: 0,
      },
      {
        resource: 'storage:local-lvm',
        label: 'Storage: local-lvm',
        unit: 'bytes',
        used: 64 * GiB,
        limit: 200 * GiB,
        available: 136 * GiB,
      },
      {
        resource: 'storage:tank',
        label: 'Storage: tank',
        unit: 'bytes',
        used: 84 * GiB,
        limit: 120 * GiB,
        available: 36 * GiB,
      },
    ]);
  });

  it('shows nothing available, not a negative amount, when over quota', () => {
    const rows = describeUsage(limits, usageOf({ cores: 20 }));

    expect(rows[0]).toMatchObject({ resource: 'cores', used: 20, limit: 16, available: 0 });
  });
});

describe('quotaExceededError', () => {
  it('lists each shortfall in units people read, with the shortfalls in details', () => {
    const decision = approveChange(limits, usage, {
      node: 'pve1',
      cores: 6,
      memoryBytes: 6 * GiB,
      networkBytesPerSecond: 75 * MiB,
    });

    const error = quotaExceededError(decision);

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe(
      'Not enough quota for this change. Cores on pve1: asks for 6, 5 left of 8 (1 short); ' +
        'Memory: asks for 6 GiB, 2 GiB left of 32 GiB (4 GiB short); ' +
        'Network rate: asks for 75 MB/s, 50 MB/s left of 200 MB/s (25 MB/s short). ' +
        'Free some resources or ask the lab admin for a larger quota.',
    );
    expect(error.details?.shortfalls).toEqual(decision.shortfalls);
  });

  it('rounds what is left down and the shortfall up, so a refusal never reads as enough', () => {
    const decision = {
      approved: false,
      items: [],
      unknown: [],
      shortfalls: [
        {
          resource: 'storage:local-lvm',
          label: 'Storage: local-lvm',
          unit: 'bytes' as const,
          limit: 200 * GiB,
          used: 64 * GiB + 528 * KiB,
          requested: 136 * GiB,
          shortfall: 528 * KiB,
        },
      ],
    };

    expect(quotaExceededError(decision).message).toBe(
      'Not enough quota for this change. ' +
        'Storage: local-lvm: asks for 136 GiB, 135 GiB left of 200 GiB (528 KiB short). ' +
        'Free some resources or ask the lab admin for a larger quota.',
    );
  });

  it('says plainly when the policy gives none of a resource, instead of "0 B left of 0 B"', () => {
    const decision = approveChange(
      limitsWith({ storage: { tank: { max: '0GiB' } } }),
      usageOf({}),
      { node: 'pve1', storageBytes: { tank: GiB } },
    );

    expect(decision.items.find((item) => item.resource === 'storage:tank')?.reason).toBe(
      'asks for 1 GiB; the quota policy gives you none',
    );
    expect(quotaExceededError(decision).message).toBe(
      'Not enough quota for this change. ' +
        'Storage: tank: asks for 1 GiB, and the quota policy gives you none. ' +
        'Free some resources or ask the lab admin for a larger quota.',
    );
    // A storage the policy does not name at all reads the same.
    const unnamed = approveChange(limits, usage, { node: 'pve1', storageBytes: { local: GiB } });
    expect(unnamed.items.find((item) => item.resource === 'storage:local')?.reason).toBe(
      'asks for 1 GiB; the quota policy gives you none',
    );
  });

  it('does not call an approved decision a quota failure', () => {
    const decision = approveChange(limits, usage, { node: 'pve1', cores: 1 });

    expect(quotaExceededError(decision).code).toBe('INTERNAL');
  });
});

describe('a storage the policy does not name', () => {
  it('refuses any increase on it, with a limit of zero', async () => {
    const { approveChange: approve } = await import('./approve');
    const { resolveUserLimits } = await import('./limits');
    const { parsePolicy } = await import('./policy');
    const parsed = parsePolicy({
      version: 1,
      users: { 'eve@pve': { pools: ['eve'], storage: { 'local-lvm': { max: '10GiB' } } } },
    });
    if (!parsed.ok) throw new Error('policy should parse');
    const limits = resolveUserLimits(parsed.policy, 'eve@pve');
    if (!limits) throw new Error('eve should have limits');
    const usage = {
      cores: 0,
      memoryBytes: 0,
      swapBytes: 0,
      networkBytesPerSecond: 0,
      storageBytes: {},
      cpuModels: {},
      pciDevices: {},
      perNode: {},
      problems: [],
      unread: [],
    };

    const decision = approve(limits, usage, { node: 'pve1', storageBytes: { other: 1024 } });

    expect(decision.approved).toBe(false);
    expect(decision.shortfalls).toEqual([
      {
        resource: 'storage:other',
        label: 'Storage: other',
        unit: 'bytes',
        limit: 0,
        used: 0,
        requested: 1024,
        shortfall: 1024,
      },
    ]);
  });
});
