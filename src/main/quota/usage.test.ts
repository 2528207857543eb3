import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limitsWith as limitsFor } from '../../../test/fixtures/user-limits';
import { GiB, KiB, MiB } from '../../shared/units';
import { resolveUserLimits, type UserLimits } from './limits';
import { loadPolicyFile, parsePolicy } from './policy';
import { computeUsage, unlimitedInterfaceCost, type GuestForUsage } from './usage';

const demoPolicy = loadPolicyFile(join(import.meta.dirname, '../../../resources/demo/policy.json'));

function limitsOf(userid: string): UserLimits {
  const limits = resolveUserLimits(demoPolicy, userid);
  if (limits === null) throw new Error(`${userid} is not in the demo policy`);
  return limits;
}

function limitsWith(json: Record<string, unknown>): UserLimits {
  return limitsFor(json, { userid: 'test@pve', pool: 'p' });
}

function guest(
  vmid: number,
  type: 'qemu' | 'lxc',
  config: Record<string, unknown>,
  node = 'pve1',
): GuestForUsage {
  return { node, type, vmid, pool: 'p', config };
}

// The demo scenario's guests, with configs as PVE returns them.
const aliceGuests: GuestForUsage[] = [
  {
    node: 'pve1',
    type: 'qemu',
    vmid: 100,
    pool: 'alice',
    config: {
      name: 'web',
      cores: 2,
      sockets: 1,
      memory: '4096',
      bios: 'ovmf',
      scsihw: 'virtio-scsi-single',
      scsi0: 'local-lvm:vm-100-disk-1,iothread=1,size=32G',
      efidisk0: 'local-lvm:vm-100-disk-0,efitype=4m,pre-enrolled-keys=1,size=528K',
      ide2: 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M',
      net0: 'virtio=BC:24:11:10:00:01,bridge=vmbr0,firewall=1,rate=50',
      digest: '4f1c2e0b7a9d3c5e6f8a1b2c3d4e5f6a7b8c9d0e',
    },
  },
  {
    node: 'pve2',
    type: 'qemu',
    vmid: 101,
    pool: 'alice',
    config: {
      name: 'db',
      cores: 2,
      sockets: 2,
      memory: 8192,
      virtio0: 'tank:vm-101-disk-0,size=64G',
      scsi1: 'local-lvm:vm-101-disk-1,size=16G',
      unused0: 'local-lvm:vm-101-disk-2',
      net0: 'virtio=BC:24:11:10:01:01,bridge=vmbr0,rate=25.5',
      digest: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
    },
  },
  {
    node: 'pve1',
    type: 'lxc',
    vmid: 200,
    pool: 'alice',
    config: {
      hostname: 'files',
      cores: 1,
      memory: 512,
      swap: 512,
      rootfs: 'local-lvm:vm-200-disk-0,size=8G',
      mp0: 'tank:subvol-200-disk-1,mp=/srv/data,backup=1,size=20G',
      mp1: '/mnt/lab-datasets,mp=/datasets,ro=1',
      net0: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:20:00:01,ip=dhcp,type=veth',
      digest: '89abcdef0123456789abcdef0123456789abcdef',
    },
  },
];
const listedSizes = new Map([['local-lvm:vm-101-disk-2', 8 * GiB]]);
const otherGuests: GuestForUsage[] = [
  { node: 'pve2', type: 'qemu', vmid: 300, pool: 'bob', config: { cores: 8, memory: 16384 } },
  { node: 'pve1', type: 'qemu', vmid: 900, pool: null, config: { cores: 64 } },
];

describe("computeUsage on the demo scenario's guests of alice", () => {
  const usage = computeUsage(limitsOf('alice@pve'), [...aliceGuests, ...otherGuests], (volume) =>
    listedSizes.get(volume),
  );

  it('counts cores as cores x sockets, and memory and swap in MiB', () => {
    expect(usage.cores).toBe(2 * 1 + 2 * 2 + 1);
    expect(usage.memoryBytes).toBe((4096 + 8192 + 512) * MiB);
    expect(usage.swapBytes).toBe(512 * MiB);
  });

  it("counts the interface without a rate as the policy's 50 MB/s unlimitedRateCost", () => {
    // 50 + 25.5 + 50 MiB/s.
    expect(usage.networkBytesPerSecond).toBe(131_596_288);
  });

  it('counts every volume but the CD-ROM and the bind mount, unused included', () => {
    // local-lvm: 32G + 528K (efidisk) + 16G + 8G (unused, from the listing) + 8G (rootfs).
    expect(usage.storageBytes).toEqual({ 'local-lvm': 68_720_017_408, tank: 90_194_313_216 });
    expect(usage.storageBytes['local-lvm']).toBe(64 * GiB + 528 * KiB);
    expect(usage.storageBytes.tank).toBe(84 * GiB);
  });

  it('splits cores, memory, swap, network, storage and list items by node', () => {
    expect(usage.perNode).toEqual({
      pve1: {
        cores: 3,
        memoryBytes: 4608 * MiB,
        swapBytes: 512 * MiB,
        networkBytesPerSecond: 100 * MiB,
        // 32G + 528K (efidisk) + 8G rootfs; tank: the container's 20G mount point.
        storageBytes: { 'local-lvm': 40 * GiB + 528 * KiB, tank: 20 * GiB },
        // The container has no CPU model; the VM has no `cpu`, so it runs the default.
        cpuModels: { kvm64: 1 },
        pciDevices: {},
      },
      pve2: {
        cores: 4,
        memoryBytes: 8192 * MiB,
        swapBytes: 0,
        networkBytesPerSecond: 26_738_688,
        storageBytes: { 'local-lvm': 24 * GiB, tank: 64 * GiB },
        cpuModels: { kvm64: 1 },
        pciDevices: {},
      },
    });
  });

  it('counts the VMs per CPU model, an unset cpu as the policy says (kvm64)', () => {
    expect(usage.cpuModels).toEqual({ kvm64: 2 });
    expect(usage.pciDevices).toEqual({});
  });

  it('reports no problems', () => {
    expect(usage.problems).toEqual([]);
  });

  it('leaves out guests outside her pools', () => {
    const onlyOthers = computeUsage(limitsOf('alice@pve'), otherGuests);

    expect(onlyOthers.cores).toBe(0);
    expect(onlyOthers.perNode).toEqual({});
  });
});

describe('computeUsage', () => {
  const limits = limitsWith({ network: { max: '100MB/s', perNode: { pve2: '40MB/s' } } });

  it('counts unset qemu values as PVE defaults: 1 core, 1 socket, 512 MiB', () => {
    const usage = computeUsage(limits, [guest(100, 'qemu', {})]);

    expect([usage.cores, usage.memoryBytes, usage.swapBytes]).toEqual([1, 512 * MiB, 0]);
  });

  it('counts unset lxc memory and swap as 512 MiB, and unset cores as the host cores', () => {
    const usage = computeUsage(limits, [{ ...guest(200, 'lxc', {}), hostCores: 12 }]);

    expect([usage.cores, usage.memoryBytes, usage.swapBytes]).toEqual([12, 512 * MiB, 512 * MiB]);
  });

  it('reports an lxc without cores when the host cores are not known', () => {
    const usage = computeUsage(limits, [guest(200, 'lxc', { memory: 1024, swap: 0 })]);

    expect(usage.cores).toBe(0);
    expect(usage.problems).toEqual([
      {
        vmid: 200,
        key: 'cores',
        reason: expect.stringMatching(/host's core count is not known/) as string,
      },
    ]);
  });

  it('counts unset lxc cores as the policy says when it gives a number', () => {
    const parsed = parsePolicy({
      version: 1,
      unset: { lxcCores: 2 },
      users: { 'test@pve': { pools: ['p'] } },
    });
    const twoCores = parsed.ok ? resolveUserLimits(parsed.policy, 'test@pve') : null;

    expect(computeUsage(twoCores as UserLimits, [guest(200, 'lxc', {})]).cores).toBe(2);
  });

  it('reads numbers sent as strings and qemu memory as a property string', () => {
    const usage = computeUsage(limits, [
      guest(100, 'qemu', { cores: '4', sockets: '2', memory: 'current=2048' }),
    ]);

    expect([usage.cores, usage.memoryBytes]).toEqual([8, 2048 * MiB]);
  });

  it('reports unreadable values, counts them as 0 and keeps counting the rest', () => {
    const usage = computeUsage(limits, [
      guest(100, 'qemu', {
        cores: 'many',
        sockets: 2,
        memory: -5,
        scsi0: 'local-lvm:vm-100-disk-0,size=lots',
        scsi1: 'local-lvm:vm-100-disk-1,size=10G',
        net0: 'virtio=BC:24:11:00:00:01,rate=10',
        net1: 'virtio=BC:24:11:00:00:02,rate=abc',
      }),
    ]);

    expect(usage.cores).toBe(0);
    expect(usage.memoryBytes).toBe(0);
    expect(usage.storageBytes).toEqual({ 'local-lvm': 10 * GiB });
    expect(usage.networkBytesPerSecond).toBe(10 * MiB);
    expect(usage.problems.map((p) => p.key)).toEqual(['cores', 'memory', 'net1', 'scsi0']);
  });

  it('asks volumeSize for a volume without size=, and reports it when nobody knows', () => {
    const config = { scsi0: 'local-lvm:vm-100-disk-0', unused0: 'tank:vm-100-disk-1' };

    const usage = computeUsage(limits, [guest(100, 'qemu', config)], (volume) =>
      volume === 'tank:vm-100-disk-1' ? 3 * GiB : undefined,
    );

    expect(usage.storageBytes).toEqual({ tank: 3 * GiB });
    expect(usage.problems).toEqual([
      { vmid: 100, key: 'scsi0', reason: 'the size of local-lvm:vm-100-disk-0 is not known' },
    ]);
  });

  it('ignores a size from volumeSize that is not a whole number of bytes', () => {
    const usage = computeUsage(
      limits,
      [guest(100, 'qemu', { scsi0: 'tank:vm-100-disk-0' })],
      () => Number.NaN,
    );

    expect(usage.storageBytes).toEqual({});
    expect(usage.problems).toHaveLength(1);
  });

  it('counts a volume attached twice once', () => {
    const shared = 'tank:vm-100-disk-0,size=10G';
    const usage = computeUsage(limits, [
      guest(100, 'qemu', { scsi0: shared, scsi1: shared }),
      guest(101, 'qemu', { virtio0: shared }),
    ]);

    expect(usage.storageBytes).toEqual({ tank: 10 * GiB });
  });

  it("counts an interface without a rate (or rate=0) as the whole limit, or the node's", () => {
    const noGlobal = limitsWith({ network: { perNode: { pve2: '40MB/s' } } });
    const guests = [guest(100, 'qemu', { net0: 'virtio=BC:24:11:00:00:01,rate=0' }, 'pve2')];

    expect(computeUsage(limits, guests).networkBytesPerSecond).toBe(100 * MiB);
    expect(computeUsage(noGlobal, guests).networkBytesPerSecond).toBe(40 * MiB);
    expect(unlimitedInterfaceCost(noGlobal, 'pve1')).toBe(0);
  });

  it('counts an interface without a rate as unlimitedRateCost when the policy sets it', () => {
    const cheap = limitsWith({ network: { max: '100MB/s', unlimitedRateCost: '30MB/s' } });

    const usage = computeUsage(cheap, [
      guest(200, 'lxc', { cores: 1, net0: 'name=eth0,bridge=vmbr0' }),
    ]);

    expect(usage.networkBytesPerSecond).toBe(30 * MiB);
  });

  it('reports a guest on a node whose name is not valid and counts nothing of it', () => {
    const usage = computeUsage(limits, [guest(100, 'qemu', { cores: 4 }, '__proto__')]);

    expect(usage.cores).toBe(0);
    expect(usage.problems).toEqual([
      { vmid: 100, key: 'node', reason: 'the guest is on a node whose name is not valid' },
    ]);
    expect(Object.getPrototypeOf(usage.perNode)).toBe(Object.prototype);
  });

  it('gives the same usage whatever the order of config keys and guests', () => {
    const guests = aliceGuests.map((g) => ({ ...g, pool: 'p' }));
    const sizes = (volume: string): number | undefined => listedSizes.get(volume);
    const expected = computeUsage(limits, guests, sizes);

    fc.assert(
      fc.property(
        fc.shuffledSubarray(guests, { minLength: guests.length, maxLength: guests.length }),
        fc.infiniteStream(fc.nat()),
        (order, seeds) => {
          const shuffled = order.map((g) => {
            const entries = Object.entries(g.config);
            const keyed = entries.map((entry) => ({ entry, rank: seeds.next().value as number }));
            keyed.sort((a, b) => a.rank - b.rank);
            return { ...g, config: Object.fromEntries(keyed.map((k) => k.entry)) };
          });

          expect(computeUsage(limits, shuffled, sizes)).toEqual(expected);
        },
      ),
    );
  });
});

describe('computeUsage of list items per node', () => {
  const limits = limitsWith({ pci: [{ match: '*', max: 10, perNode: { pve1: 2 } }] });
  // A small GPU lab, with configs as PVE returns them.
  const guests: GuestForUsage[] = [
    guest(100, 'qemu', {
      cpu: 'x86-64-v2-AES',
      hostpci0: 'mapping=gpu-a100,pcie=1',
      hostpci1: 'host=01:00.0;02:00.0,pcie=1,x-vga=1',
    }),
    guest(101, 'qemu', { cpu: 'cputype=host,flags=+aes', hostpci0: '0000:01:00.1' }),
    guest(102, 'qemu', { hostpci3: 'mapping=gpu-a100' }, 'pve2'),
    guest(103, 'qemu', { cpu: 'host', hostpci0: 'host=81:00.0;81:00.1' }, 'pve2'),
    guest(200, 'lxc', { cores: 1, memory: 512, swap: 0 }, 'pve3'),
    { ...guest(104, 'qemu', { cpu: 'host', hostpci0: 'mapping=gpu-a100' }, 'pve1'), pool: 'x' },
  ];

  it("counts each model and each device of a multi-device slot on the guest's node", () => {
    const usage = computeUsage(limits, guests);

    expect(usage.perNode.pve1?.cpuModels).toEqual({ host: 1, 'x86-64-v2-AES': 1 });
    expect(usage.perNode.pve1?.pciDevices).toEqual({
      'host:0000:01:00.0': 1,
      'host:0000:01:00.1': 1,
      'host:0000:02:00.0': 1,
      'mapping:gpu-a100': 1,
    });
    expect(usage.perNode.pve2?.cpuModels).toEqual({ host: 1, kvm64: 1 });
    expect(usage.perNode.pve2?.pciDevices).toEqual({
      'host:0000:81:00.0': 1,
      'host:0000:81:00.1': 1,
      'mapping:gpu-a100': 1,
    });
    // A container has neither a CPU model nor PCI devices.
    expect(usage.perNode.pve3?.cpuModels).toEqual({});
    expect(usage.perNode.pve3?.pciDevices).toEqual({});
    expect(usage.pciDevices['mapping:gpu-a100']).toBe(2);
    expect(usage.problems).toEqual([]);
  });

  it('adds up, node by node, to the global counts', () => {
    const usage = computeUsage(limits, guests);
    const sum = (field: 'cpuModels' | 'pciDevices'): Record<string, number> => {
      const total: Record<string, number> = {};
      for (const node of Object.values(usage.perNode)) {
        for (const [item, count] of Object.entries(node[field])) {
          total[item] = (total[item] ?? 0) + count;
        }
      }
      return total;
    };

    expect(sum('cpuModels')).toEqual(usage.cpuModels);
    expect(sum('pciDevices')).toEqual(usage.pciDevices);
  });

  it('leaves an unreadable slot out of its node and reports it', () => {
    const usage = computeUsage(limits, [
      guest(100, 'qemu', { hostpci0: 'host=01:00.0;zz:00.0', hostpci1: 'mapping=gpu-b' }, 'pve2'),
    ]);

    expect(usage.perNode.pve2?.pciDevices).toEqual({ 'mapping:gpu-b': 1 });
    expect(usage.problems).toEqual([
      { vmid: 100, key: 'hostpci0', reason: '"zz:00.0" is not a PCI device id' },
    ]);
  });

  it('keeps item names such as constructor as plain counts', () => {
    const usage = computeUsage(limits, [guest(100, 'qemu', { cpu: 'constructor' })]);

    expect(usage.perNode.pve1?.cpuModels).toEqual({ constructor: 1 });
    expect(Object.getPrototypeOf(usage.perNode.pve1?.cpuModels)).toBe(Object.prototype);
  });
});
