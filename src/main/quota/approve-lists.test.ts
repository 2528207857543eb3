import { describe, expect, it } from 'vitest';
import { limitsWith as limitsFor } from '../../../test/fixtures/user-limits';
import { GiB } from '../../shared/units';
import {
  approveChange,
  describeUsage,
  overQuota,
  quotaExceededError,
  usageDifference,
  usageWithPending,
  type ResourceDelta,
} from './approve';
import type { UserLimits } from './limits';
import { computeUsage, type GuestForUsage, type Usage } from './usage';

function limitsWith(json: Record<string, unknown>): UserLimits {
  return limitsFor(json, { userid: 'dana@pve', pool: 'dana' });
}

function vm(vmid: number, node: string, config: Record<string, unknown>): GuestForUsage {
  return { node, type: 'qemu', vmid, pool: 'dana', config: { digest: 'x', ...config } };
}

// Configs as PVE returns them for a small GPU project.
const guests: GuestForUsage[] = [
  vm(500, 'pve1', {
    cpu: 'x86-64-v2-AES',
    cores: 4,
    hostpci0: 'mapping=gpu-a100,pcie=1',
    scsi0: 'local-lvm:vm-500-disk-0,iothread=1,size=40G',
  }),
  vm(501, 'pve2', {
    cpu: 'cputype=host,flags=+aes',
    cores: 2,
    hostpci0: '0000:81:00.0,pcie=1',
    hostpci1: 'host=82:00.0;82:00.1',
    scsi0: 'local-lvm:vm-501-disk-0,size=20G',
  }),
  vm(502, 'pve1', { cores: 1, scsi0: 'tank:vm-502-disk-0,size=10G' }),
];

const limits = limitsWith({
  cpuModels: [
    { match: 'x86-64-v2*', max: 4 },
    { match: 'host', max: 1 },
  ],
  pci: [
    { match: 'mapping:gpu-*', max: 2 },
    { match: '/^host:0000:8[12]:/', max: 3 },
  ],
  storage: {
    'local-lvm': { max: '100GiB', perNode: { pve1: '50GiB' } },
    tank: { max: '100GiB' },
  },
});
const usage = computeUsage(limits, guests);

describe('usage of CPU models and PCI devices', () => {
  it('counts guests per model (unset as kvm64) and each device or mapping', () => {
    expect(usage.cpuModels).toEqual({ host: 1, kvm64: 1, 'x86-64-v2-AES': 1 });
    expect(usage.pciDevices).toEqual({
      'host:0000:81:00.0': 1,
      'host:0000:82:00.0': 1,
      'host:0000:82:00.1': 1,
      'mapping:gpu-a100': 1,
    });
    expect(usage.problems).toEqual([]);
  });

  it('shows a row per policy entry, and items no entry allows as over a limit of 0', () => {
    const rows = describeUsage(limits, usage).filter((r) => /^(cpuModel|pci)/.test(r.resource));

    expect(rows.map((r) => [r.resource, r.used, r.limit])).toEqual([
      ['cpuModel:x86-64-v2*', 1, 4],
      ['cpuModel:host', 1, 1],
      ['cpuModel:unlisted:kvm64', 1, 0],
      ['pci:mapping:gpu-*', 1, 2],
      ['pci:/^host:0000:8[12]:/', 3, 3],
    ]);
    expect(overQuota(describeUsage(limits, usage))).toEqual(['cpuModel:unlisted:kvm64']);
  });
});

describe('approveChange with list resources', () => {
  it('prices a new mapping against the entry it matches, with a reason', () => {
    const decision = approveChange(limits, usage, {
      node: 'pve1',
      pciDevices: { 'mapping:gpu-a100': 1 },
    });

    expect(decision.approved).toBe(true);
    expect(decision.items).toEqual([
      {
        resource: 'pci:mapping:gpu-*',
        label: 'PCI mapping:gpu-*',
        unit: 'count',
        limit: 2,
        used: 1,
        requested: 1,
        after: 2,
        remaining: 0,
        fits: true,
        reason: '1 in use + 1 = 2 of 2; 0 left',
      },
    ]);
  });

  it('refuses a device over its entry, and one that no entry allows', () => {
    const decision = approveChange(limits, usage, {
      node: 'pve2',
      pciDevices: { 'host:0000:81:00.1': 1, 'mapping:nic-x': 1 },
    });

    expect(decision.approved).toBe(false);
    expect(decision.items.map((i) => [i.resource, i.after, i.fits, i.reason])).toEqual([
      ['pci:/^host:0000:8[12]:/', 4, false, '3 in use + 1 = 4, over the limit of 3 by 1'],
      ['pci:unlisted:mapping:nic-x', 1, false, 'asks for 1; the quota policy gives you none'],
    ]);
    expect(decision.shortfalls.map((s) => [s.resource, s.shortfall])).toEqual([
      ['pci:/^host:0000:8[12]:/', 1],
      ['pci:unlisted:mapping:nic-x', 1],
    ]);
  });

  it('prices a CPU model change as one guest leaving a model and joining another', () => {
    const toHost = approveChange(limits, usage, {
      node: 'pve1',
      cpuModels: { 'x86-64-v2-AES': -1, host: 1 },
    });
    const toV3 = approveChange(limits, usage, {
      node: 'pve1',
      cpuModels: { host: -1, 'x86-64-v2': 1 },
    });

    expect(toHost.items.map((i) => [i.resource, i.requested, i.fits])).toEqual([
      ['cpuModel:x86-64-v2*', -1, true],
      ['cpuModel:host', 1, false],
    ]);
    expect(toHost.approved).toBe(false);
    expect(toV3.approved).toBe(true);
  });

  it('does not limit a list resource the policy leaves out', () => {
    const open = limitsWith({});

    const decision = approveChange(open, computeUsage(open, guests), {
      node: 'pve1',
      cpuModels: { host: 5 },
      pciDevices: { 'mapping:anything': 3 },
    });

    expect(decision).toEqual({ approved: true, items: [], shortfalls: [], unknown: [] });
  });

  it('refuses a change with a hostile or fractional item', () => {
    expect(() =>
      approveChange(limits, usage, {
        node: 'pve1',
        pciDevices: JSON.parse('{"__proto__": 1}') as Record<string, number>,
      }),
    ).toThrow(/PCI item that is not valid/);
    expect(() => approveChange(limits, usage, { node: 'pve1', cpuModels: { host: 0.5 } })).toThrow(
      /must be a whole number/,
    );
  });
});

describe('per-node storage limits', () => {
  it('counts storage per node and refuses growth over the node limit', () => {
    expect(usage.perNode.pve1?.storageBytes).toEqual({ 'local-lvm': 40 * GiB, tank: 10 * GiB });

    const decision = approveChange(limits, usage, {
      node: 'pve1',
      storageBytes: { 'local-lvm': 12 * GiB },
    });

    expect(decision.items.map((i) => [i.resource, i.limit, i.used, i.after, i.fits])).toEqual([
      ['storage:local-lvm', 100 * GiB, 60 * GiB, 72 * GiB, true],
      ['storage:local-lvm@pve1', 50 * GiB, 40 * GiB, 52 * GiB, false],
    ]);
    expect(decision.items[1]?.reason).toBe(
      '40 GiB in use + 12 GiB = 52 GiB, over the limit of 50 GiB by 2 GiB',
    );
    expect(
      approveChange(limits, usage, { node: 'pve2', storageBytes: { 'local-lvm': 12 * GiB } }),
    ).toMatchObject({ approved: true });
  });

  it('lists the per-node storage limit as its own usage row', () => {
    const row = describeUsage(limits, usage).find((r) => r.resource === 'storage:local-lvm@pve1');

    expect(row).toEqual({
      resource: 'storage:local-lvm@pve1',
      label: 'Storage: local-lvm on pve1',
      unit: 'bytes',
      used: 40 * GiB,
      limit: 50 * GiB,
      available: 10 * GiB,
    });
  });
});

describe('reasons', () => {
  it('says why for a decrease, an unlimited resource and an unchanged one', () => {
    const unlimited = limitsWith({ memory: { max: null } });

    const decision = approveChange(unlimited, usage, {
      node: 'pve1',
      cores: -2,
      memoryBytes: GiB,
      swapBytes: 0,
    });

    expect(decision.items.map((i) => [i.resource, i.reason])).toEqual([
      ['cores', 'frees 2; freeing always passes'],
      ['memory', 'adds 1 GiB; there is no limit'],
      ['swap', 'unchanged'],
    ]);
  });
});

describe('usageDifference', () => {
  it('gives a CPU model change of one guest as one model less and one more', () => {
    const [first] = guests;
    if (!first) throw new Error('unreachable');
    const edited = { ...first, config: { ...first.config, cpu: 'host', cores: 6 } };

    const delta = usageDifference(
      computeUsage(limits, [first]),
      computeUsage(limits, [edited]),
      first.node,
    );

    expect(delta).toEqual({ node: 'pve1', cores: 2, cpuModels: { host: 1, 'x86-64-v2-AES': -1 } });
    expect(approveChange(limits, usage, delta).items.map((i) => [i.resource, i.fits])).toEqual([
      ['cores', true],
      ['cpuModel:x86-64-v2*', true],
      ['cpuModel:host', false],
    ]);
  });
});

describe('per-node limits of list entries', () => {
  const perNode = limitsWith({
    cpuModels: [
      { match: 'host', max: 2, perNode: { pve1: 1 }, label: 'Host CPU' },
      { match: 'x86-64-v2*', max: 4 },
    ],
    pci: [
      { match: 'mapping:gpu-*', max: 3, perNode: { pve1: 1, pve2: 3 }, label: 'GPU mappings' },
      { match: '/^host:0000:0[12]:/', max: 2, perNode: { pve2: 2 } },
      { match: 'host:*', max: 4, perNode: { pve2: 1 }, label: 'Host devices' },
    ],
  });
  // pve1: one GPU mapping and a host-CPU VM; pve2: a mapping and a host device; pve3: nothing.
  const lab = [
    vm(600, 'pve1', { cpu: 'host', hostpci0: 'mapping=gpu-a,pcie=1' }),
    vm(601, 'pve2', { cpu: 'x86-64-v2-AES', hostpci0: 'mapping=gpu-b', hostpci1: '01:00.0' }),
    vm(602, 'pve3', { cpu: 'x86-64-v2-AES' }),
  ];
  const labUsage = computeUsage(perNode, lab);
  // Someone attached a second mapping on pve1 around ProxDesk: one over that node's limit.
  const overUsage = computeUsage(perNode, [
    ...lab,
    vm(603, 'pve1', { cpu: 'x86-64-v2-AES', hostpci0: 'mapping=gpu-c' }),
  ]);

  type Row = [resource: string, used: number, after: number, fits: boolean];
  const rows = (decision: ReturnType<typeof approveChange>): Row[] =>
    decision.items.map((i) => [i.resource, i.used, i.after, i.fits]);

  it.each<[string, Usage, ResourceDelta, boolean, Row[]]>([
    [
      'refuses what fits globally but not on the node',
      labUsage,
      { node: 'pve1', pciDevices: { 'mapping:gpu-c': 1 } },
      false,
      [
        ['pci:mapping:gpu-*', 2, 3, true],
        ['pci:mapping:gpu-*@pve1', 1, 2, false],
      ],
    ],
    [
      'refuses what fits on the node but not globally',
      labUsage,
      { node: 'pve2', pciDevices: { 'mapping:gpu-c': 1, 'mapping:gpu-d': 1 } },
      false,
      [
        ['pci:mapping:gpu-*', 2, 4, false],
        ['pci:mapping:gpu-*@pve2', 1, 3, true],
      ],
    ],
    [
      'prices a node without a per-node limit against the global max only',
      labUsage,
      { node: 'pve3', pciDevices: { 'mapping:gpu-c': 1 } },
      true,
      [['pci:mapping:gpu-*', 2, 3, true]],
    ],
    [
      'lets a node over its limit free items',
      overUsage,
      { node: 'pve1', pciDevices: { 'mapping:gpu-c': -1 } },
      true,
      [
        ['pci:mapping:gpu-*', 3, 2, true],
        ['pci:mapping:gpu-*@pve1', 2, 1, true],
      ],
    ],
    [
      'refuses growth on a node that is over its limit',
      overUsage,
      { node: 'pve1', pciDevices: { 'mapping:gpu-d': 1 } },
      false,
      [
        ['pci:mapping:gpu-*', 3, 4, false],
        ['pci:mapping:gpu-*@pve1', 2, 3, false],
      ],
    ],
    [
      'prices an item matching two entries against both, each globally and on the node',
      labUsage,
      { node: 'pve2', pciDevices: { 'host:0000:02:00.0': 1 } },
      false,
      [
        ['pci:/^host:0000:0[12]:/', 1, 2, true],
        ['pci:/^host:0000:0[12]:/@pve2', 1, 2, true],
        ['pci:host:*', 1, 2, true],
        ['pci:host:*@pve2', 1, 2, false],
      ],
    ],
    [
      'still refuses an item no entry matches, with no per-node item',
      labUsage,
      { node: 'pve1', pciDevices: { 'mapping:nic-x': 1 } },
      false,
      [['pci:unlisted:mapping:nic-x', 0, 1, false]],
    ],
    [
      'refuses a new VM of a CPU model its node has no room for',
      labUsage,
      { node: 'pve1', cpuModels: { host: 1 } },
      false,
      [
        ['cpuModel:host', 1, 2, true],
        ['cpuModel:host@pve1', 1, 2, false],
      ],
    ],
    [
      'moves a VM to that model on a node without a per-node limit',
      labUsage,
      { node: 'pve3', cpuModels: { 'x86-64-v2-AES': -1, host: 1 } },
      true,
      [
        ['cpuModel:host', 1, 2, true],
        ['cpuModel:x86-64-v2*', 2, 1, true],
      ],
    ],
  ])('%s', (_name, used, change, approved, expected) => {
    const decision = approveChange(perNode, used, change);

    expect(rows(decision)).toEqual(expected);
    expect(decision.approved).toBe(approved);
  });

  it('names the per-node item after the entry and the node, with its reason and shortfall', () => {
    const decision = approveChange(perNode, labUsage, {
      node: 'pve1',
      pciDevices: { 'mapping:gpu-c': 1 },
    });

    expect(decision.items[1]).toMatchObject({
      resource: 'pci:mapping:gpu-*@pve1',
      label: 'GPU mappings on pve1',
      limit: 1,
      reason: '1 in use + 1 = 2, over the limit of 1 by 1',
    });
    expect(decision.shortfalls).toEqual([
      {
        resource: 'pci:mapping:gpu-*@pve1',
        label: 'GPU mappings on pve1',
        unit: 'count',
        limit: 1,
        used: 1,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(quotaExceededError(decision).message).toContain(
      'GPU mappings on pve1: asks for 1, 0 left of 1 (1 short)',
    );
  });

  it('labels an entry without a label by its pattern on the node', () => {
    const decision = approveChange(perNode, labUsage, {
      node: 'pve2',
      pciDevices: { 'host:0000:02:00.0': 1 },
    });

    expect(decision.items[1]?.label).toBe('PCI /^host:0000:0[12]:/ on pve2');
  });

  it('holds a reserved attach against the node until it is confirmed', () => {
    const reserved: ResourceDelta = { node: 'pve2', pciDevices: { 'mapping:gpu-c': 2 } };
    const withPending = usageWithPending(labUsage, [reserved]);

    expect(withPending.perNode.pve2?.pciDevices['mapping:gpu-c']).toBe(2);
    expect(
      approveChange(perNode, withPending, { node: 'pve2', pciDevices: { 'mapping:gpu-d': 1 } })
        .approved,
    ).toBe(false);
    // A reserved detach frees nothing until PVE confirms it.
    const detaching = usageWithPending(labUsage, [
      { node: 'pve1', pciDevices: { 'mapping:gpu-a': -1 } },
    ]);
    expect(detaching.perNode.pve1?.pciDevices['mapping:gpu-a']).toBe(1);
  });

  it('shows a row per per-node limit after its entry, and marks a node over its limit', () => {
    const described = describeUsage(perNode, overUsage);

    expect(described.filter((r) => r.resource.startsWith('pci:')).map((r) => r.resource)).toEqual([
      'pci:mapping:gpu-*',
      'pci:mapping:gpu-*@pve1',
      'pci:mapping:gpu-*@pve2',
      'pci:/^host:0000:0[12]:/',
      'pci:/^host:0000:0[12]:/@pve2',
      'pci:host:*',
      'pci:host:*@pve2',
    ]);
    expect(described.find((r) => r.resource === 'pci:mapping:gpu-*@pve1')).toEqual({
      resource: 'pci:mapping:gpu-*@pve1',
      label: 'GPU mappings on pve1',
      unit: 'count',
      used: 2,
      limit: 1,
      available: 0,
    });
    expect(described.find((r) => r.resource === 'cpuModel:host@pve1')).toMatchObject({
      label: 'Host CPU on pve1',
      used: 1,
      limit: 1,
    });
    expect(overQuota(described)).toEqual(['pci:mapping:gpu-*@pve1']);
  });
});
