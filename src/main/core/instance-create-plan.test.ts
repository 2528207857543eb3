import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { InstanceCreateInput } from '../../shared/instance-create-schemas';
import { GiB, MiB } from '../../shared/units';
import { approveChange } from '../quota/approve';
import { parsePolicy, resolveUserLimits, type UserLimits } from '../quota/policy';
import { computeUsage } from '../quota/usage';
import { choosePool, planInstanceCreate } from './instance-create-plan';

function limitsOf(entry: Record<string, unknown>): UserLimits {
  const parsed = parsePolicy({ version: 1, users: { 'a@pve': { pools: ['p'], ...entry } } });
  if (!parsed.ok) throw new Error(`the test policy is not valid: ${JSON.stringify(parsed.issues)}`);
  const resolved = resolveUserLimits(parsed.policy, 'a@pve');
  if (!resolved) throw new Error('the test policy does not name a@pve');
  return resolved;
}

const templates = [
  {
    name: 'Web',
    type: 'lxc',
    config: { net0: 'name=eth0,bridge=vmbr0,ip=dhcp', onboot: true },
    cost: { cores: 1, memory: '1GiB', swap: '256MiB', storage: { tank: '2GiB' } },
  },
  {
    name: 'Linux VM',
    type: 'qemu',
    config: {
      ostype: 'l26',
      sockets: 2,
      cpu: 'x86-64-v2-AES',
      net0: 'virtio,bridge=vmbr0,rate=25',
    },
    cost: { network: '5MB/s', storage: { 'local-lvm': '1GiB' } },
  },
  { name: 'Bad', type: 'qemu', config: { scsi1: 'local-lvm:100' } },
];

const baseLimits = limitsOf({
  nodes: ['pve1'],
  network: { max: '200MB/s', unlimitedRateCost: '50MB/s' },
  storage: { 'local-lvm': { max: '100GiB' }, tank: { max: '50GiB', buses: ['rootfs', 'scsi'] } },
  templates,
});

const vm: InstanceCreateInput = {
  type: 'qemu',
  node: 'pve1',
  name: 'web1',
  cores: 2,
  memoryMiB: 2048,
  disk: { storage: 'local-lvm', bus: 'scsi', sizeGiB: 16 },
};

const ct: InstanceCreateInput = {
  type: 'lxc',
  node: 'pve1',
  name: 'ct1',
  cores: 1,
  memoryMiB: 512,
  swapMiB: 256,
  ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
  rootfs: { storage: 'local-lvm', sizeGiB: 8 },
};

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('planInstanceCreate: parameters', () => {
  it('builds a VM with one socket, its first disk in slot 0 and the ISO on ide2', () => {
    const plan = planInstanceCreate(
      baseLimits,
      { ...vm, cpuType: 'host', iso: 'local:iso/debian.iso' },
      150,
    );

    expect(plan.params).toEqual({
      name: 'web1',
      pool: 'p',
      cores: 2,
      sockets: 1,
      memory: '2048',
      cpu: 'host',
      scsi0: 'local-lvm:16',
      ide2: 'local:iso/debian.iso,media=cdrom',
    });
    expect(plan.pool).toBe('p');
  });

  it('builds an unprivileged container with its rootfs, template and swap', () => {
    const plan = planInstanceCreate(baseLimits, ct, 150);

    expect(plan.params).toEqual({
      hostname: 'ct1',
      pool: 'p',
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      cores: 1,
      memory: 512,
      swap: 256,
      rootfs: 'local-lvm:8',
      unprivileged: 1,
    });
  });

  it("adds a template's config; the request's cores and memory win, its sockets stay", () => {
    const plan = planInstanceCreate(baseLimits, { ...vm, template: 'Linux VM' }, 150);

    expect(plan.params).toMatchObject({
      ostype: 'l26',
      sockets: 2,
      cpu: 'x86-64-v2-AES',
      net0: 'virtio,bridge=vmbr0,rate=25',
      cores: 2,
      memory: '2048',
    });
  });

  it('writes a boolean template value as PVE reads it, 1', () => {
    const limits = limitsOf({ templates, network: { max: '200MB/s' } });

    const plan = planInstanceCreate(limits, { ...ct, template: 'Web' }, 150);

    expect(plan.params.onboot).toBe(1);
  });
});

describe('planInstanceCreate: pricing', () => {
  it('prices a VM: cores, memory, its disk on its storage and its CPU model', () => {
    const plan = planInstanceCreate(baseLimits, vm, 150);

    expect(plan.delta).toEqual({
      node: 'pve1',
      cores: 2,
      memoryBytes: 2 * GiB,
      storageBytes: { 'local-lvm': 16 * GiB },
      cpuModels: { kvm64: 1 },
    });
  });

  it('prices a container: cores, memory, swap and its rootfs, no CPU model', () => {
    const plan = planInstanceCreate(baseLimits, ct, 150);

    expect(plan.delta).toEqual({
      node: 'pve1',
      cores: 1,
      memoryBytes: 512 * MiB,
      swapBytes: 256 * MiB,
      storageBytes: { 'local-lvm': 8 * GiB },
    });
  });

  it("adds a template's cost on top, and prices its NIC without a rate as unlimited", () => {
    const plan = planInstanceCreate(
      baseLimits,
      { ...ct, rootfs: { storage: 'tank', sizeGiB: 8 }, template: 'Web' },
      150,
    );

    expect(plan.delta).toEqual({
      node: 'pve1',
      cores: 2,
      memoryBytes: 512 * MiB + GiB,
      swapBytes: 512 * MiB,
      networkBytesPerSecond: 50 * MiB,
      storageBytes: { tank: 10 * GiB },
    });
  });

  it("prices a template's NIC rate plus its network cost, sockets × cores and its CPU model", () => {
    const plan = planInstanceCreate(baseLimits, { ...vm, template: 'Linux VM' }, 150);

    expect(plan.delta).toEqual({
      node: 'pve1',
      cores: 4,
      memoryBytes: 2 * GiB,
      networkBytesPerSecond: 30 * MiB,
      storageBytes: { 'local-lvm': 17 * GiB },
      cpuModels: { 'x86-64-v2-AES': 1 },
    });
  });

  it('costs what the same guest counts as in usage once it exists', () => {
    const plan = planInstanceCreate(baseLimits, { ...vm, template: 'Linux VM' }, 150);
    const config = {
      ...plan.params,
      scsi0: 'local-lvm:vm-150-disk-0,size=16G',
      digest: 'x',
    };

    const usage = computeUsage(baseLimits, [
      { node: 'pve1', type: 'qemu', vmid: 150, pool: 'p', config },
    ]);

    expect(usage.cores).toBe(plan.delta.cores);
    expect(usage.memoryBytes).toBe(plan.delta.memoryBytes);
    // The template's own network and storage cost come on top of what the config uses.
    expect(usage.networkBytesPerSecond + 5 * MiB).toBe(plan.delta.networkBytesPerSecond);
    expect(usage.storageBytes['local-lvm']).toBe(16 * GiB);
  });

  it('prices an ISO at nothing and a chosen CPU type as one guest of that model', () => {
    const plan = planInstanceCreate(
      baseLimits,
      { ...vm, cpuType: 'host', iso: 'local:iso/debian.iso' },
      150,
    );

    expect(plan.delta.storageBytes).toEqual({ 'local-lvm': 16 * GiB });
    expect(plan.delta.cpuModels).toEqual({ host: 1 });
  });

  it('refuses a disk on a storage the policy does not name, as a limit of 0', () => {
    const plan = planInstanceCreate(
      baseLimits,
      { ...vm, disk: { storage: 'nfs', bus: 'scsi', sizeGiB: 4 } },
      150,
    );

    const decision = approveChange(baseLimits, computeUsage(baseLimits, []), plan.delta);

    expect(decision.shortfalls.map((s) => [s.resource, s.limit, s.shortfall])).toEqual([
      ['storage:nfs', 0, 4 * GiB],
    ]);
  });

  it('is refused by approval item by item when it does not fit', () => {
    const limits = limitsOf({ cores: { max: 2 }, storage: { 'local-lvm': { max: '10GiB' } } });
    const plan = planInstanceCreate(limits, { ...vm, cores: 3 }, 150);

    const decision = approveChange(limits, computeUsage(limits, []), plan.delta);

    expect(decision.approved).toBe(false);
    expect(decision.shortfalls.map((s) => [s.resource, s.shortfall])).toEqual([
      ['cores', 1],
      ['storage:local-lvm', 6 * GiB],
    ]);
  });
});

describe('planInstanceCreate: refusals', () => {
  it('refuses a node the policy does not allow', () => {
    const error = thrown(() => planInstanceCreate(baseLimits, { ...vm, node: 'pve2' }, 150));

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.fields).toEqual({ node: 'not one of your nodes' });
  });

  it('refuses a bus the storage does not allow', () => {
    const error = thrown(() =>
      planInstanceCreate(
        baseLimits,
        { ...vm, disk: { storage: 'tank', bus: 'virtio', sizeGiB: 4 } },
        150,
      ),
    );

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.fields).toEqual({ 'disk.bus': 'virtio is not allowed on tank' });
  });

  it('refuses an unknown template and one of the other guest type', () => {
    expect(
      thrown(() => planInstanceCreate(baseLimits, { ...vm, template: 'Nope' }, 150)).details,
    ).toEqual({ fields: { template: 'no template named "Nope"' } });
    expect(
      thrown(() => planInstanceCreate(baseLimits, { ...vm, template: 'Web' }, 150)).details,
    ).toEqual({ fields: { template: '"Web" is a template for lxc guests' } });
  });

  it('refuses a template that would allocate a disk ProxDesk does not price', () => {
    const error = thrown(() => planInstanceCreate(baseLimits, { ...vm, template: 'Bad' }, 150));

    expect(error.code).toBe('POLICY_INVALID');
    expect(error.message).toMatch(/sets scsi1/);
  });
});

describe('choosePool', () => {
  it("takes the user's only pool and refuses naming another", () => {
    expect(choosePool(baseLimits, undefined)).toBe('p');
    expect(thrown(() => choosePool(baseLimits, 'q')).details?.fields).toEqual({
      pool: 'not one of your pools (p)',
    });
  });

  it('asks which pool when the user has several, and takes a named one of them', () => {
    const limits = limitsOf({ pools: ['p', 'q'] });

    expect(thrown(() => choosePool(limits, undefined)).details?.fields).toEqual({
      pool: 'choose one of your pools: p, q',
    });
    expect(choosePool(limits, 'q')).toBe('q');
  });

  it('refuses a user without pools', () => {
    expect(thrown(() => choosePool(limitsOf({ pools: [] }), undefined)).code).toBe(
      'QUOTA_UNDEFINED',
    );
  });
});
