import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../src/shared/contract';
import type { QuotaChangeKind, QuotaPreview } from '../../src/shared/quota-schemas';
import { startLab, type Lab } from './lab';
import { newCt, newVm } from './new-guests';

// For every operation `quota:preview` prices, the preview's decision must be exactly what the
// operation is then held to. Alice in the bundled scenario against the demo policy: 7 of 16
// cores; local-lvm 64 GiB of 200; tank 84 GiB of 120 (scsi, virtio, rootfs, mp only); network
// 125.5 of 200 MB/s (VM 100 net0 at 50); PCI: one lab-gpu mapping, one host device 01/03:00.x.
// New guests: ids 100-299 (100, 101 and 200 are hers), pool alice, the demo policy's templates.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const vm101 = { node: 'pve2', type: 'qemu', vmid: 101 } as const;
const ct200 = { node: 'pve1', type: 'lxc', vmid: 200 } as const;

function writes(lab: Lab): number {
  return lab.sim.requests.filter((r) => r.method !== 'GET').length;
}

/** The shortfalls a refusal of this preview must carry, as the operation reports them. */
function shortfallsOf(preview: QuotaPreview): unknown[] {
  return preview.items
    .filter((item) => !item.fits && item.limit !== null)
    .map(({ resource, label, unit, limit, used, requested, after }) => ({
      resource,
      label,
      unit,
      limit,
      used,
      requested,
      shortfall: after - (limit ?? 0),
    }));
}

/**
 * Previews a change, then runs the operation with the same input, and checks that the operation
 * did what the preview said: committed with usage landing on each item's `after`, or refused
 * with the preview's non-fitting items as its shortfalls and nothing sent.
 */
async function previewThenRun(
  lab: Lab,
  kind: QuotaChangeKind & ChannelName,
  input: Record<string, unknown>,
): Promise<QuotaPreview> {
  const preview = await lab.call('quota:preview', { kind, ...input });
  const writesBefore = writes(lab);

  const result = await lab.core.invoke(kind, input);

  if (preview.approved) {
    expect(result).toMatchObject({ ok: true });
    const usage = await lab.call('quota:usage');
    for (const item of preview.items) {
      const row = usage.resources.find((r) => r.resource === item.resource);
      expect([item.resource, row?.used]).toEqual([item.resource, item.after]);
    }
  } else {
    expect(result).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } });
    if (!result.ok) expect(result.error.details?.shortfalls).toEqual(shortfallsOf(preview));
    expect(writes(lab)).toBe(writesBefore);
  }
  return preview;
}

describe('quota:preview decides as the operation does', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it.each<[string, QuotaChangeKind & ChannelName, Record<string, unknown>, boolean, string[]]>([
    [
      'a resize that fits',
      'disk:resize',
      { ...vm100, disk: 'scsi0', addGiB: 10 },
      true,
      ['storage:local-lvm'],
    ],
    [
      'a resize past the storage limit',
      'disk:resize',
      { ...vm100, disk: 'scsi0', addGiB: 200 },
      false,
      ['storage:local-lvm'],
    ],
    ['more cores within quota', 'instance:resources', { ...vm100, cores: 4 }, true, ['cores']],
    [
      'more cores than the quota has',
      'instance:resources',
      { ...vm100, cores: 12 },
      false,
      ['cores'],
    ],
    [
      'less memory (a decrease)',
      'instance:resources',
      { ...vm101, memoryMiB: 1024 },
      true,
      ['memory'],
    ],
    [
      'a new disk that fits',
      'disk:create',
      { ...vm101, storage: 'tank', bus: 'scsi', sizeGiB: 10 },
      true,
      ['storage:tank'],
    ],
    [
      'a new disk past the limit',
      'disk:create',
      { ...vm101, storage: 'tank', bus: 'scsi', sizeGiB: 40 },
      false,
      ['storage:tank'],
    ],
    [
      'a new mount point',
      'disk:create',
      { ...ct200, storage: 'local-lvm', sizeGiB: 8, mountPath: '/srv/new' },
      true,
      ['storage:local-lvm'],
    ],
    [
      'attaching an unused volume (free)',
      'disk:attach',
      { ...vm101, volume: 'unused0', bus: 'scsi' },
      true,
      [],
    ],
    [
      'a move that deletes the source',
      'disk:move',
      { ...vm101, disk: 'scsi1', targetStorage: 'tank', deleteSource: true },
      true,
      ['storage:local-lvm', 'storage:tank'],
    ],
    [
      'a rated interface that fits',
      'net:create',
      { ...vm100, model: 'virtio', bridge: 'vmbr0', rateMBps: 12.5 },
      true,
      ['network'],
    ],
    [
      'a rated interface past the limit',
      'net:create',
      { ...vm100, model: 'virtio', bridge: 'vmbr0', rateMBps: 80 },
      false,
      ['network'],
    ],
    [
      'an interface without a rate',
      'net:create',
      { ...ct200, name: 'eth1', bridge: 'vmbr0' },
      true,
      ['network'],
    ],
    [
      'a higher rate that fits',
      'net:modify',
      { ...vm100, key: 'net0', rateMBps: 100 },
      true,
      ['network'],
    ],
    [
      'a higher rate past the limit',
      'net:modify',
      { ...vm100, key: 'net0', rateMBps: 130 },
      false,
      ['network'],
    ],
    [
      'a PCI mapping the policy allows',
      'pci:attach',
      { ...vm100, device: { mapping: 'lab-gpu' } },
      true,
      ['pci:mapping:lab-gpu'],
    ],
    [
      'a host device no policy rule names',
      'pci:attach',
      { ...vm100, device: { host: '02:00.0' } },
      false,
      ['pci:unlisted:host:0000:02:00.0'],
    ],
    [
      'a new VM that fits',
      'instance:create',
      newVm,
      true,
      ['cores', 'memory', 'storage:local-lvm'],
    ],
    [
      'a new VM with more cores than are left',
      'instance:create',
      { ...newVm, cores: 10 },
      false,
      ['cores', 'memory', 'storage:local-lvm'],
    ],
    [
      'a new container on a chosen id',
      'instance:create',
      { ...newCt, vmid: 250 },
      true,
      ['cores', 'memory', 'swap', 'storage:local-lvm'],
    ],
  ])('%s', async (_case, kind, input, approved, resources) => {
    const preview = await previewThenRun(lab, kind, input);

    expect(preview.approved).toBe(approved);
    expect(preview.items.map((i) => i.resource)).toEqual(resources);
  });

  it('refuses a move once the target storage has filled up, as the move itself is refused', async () => {
    await lab.call('disk:create', { ...vm101, storage: 'tank', bus: 'scsi', sizeGiB: 30 });

    const preview = await previewThenRun(lab, 'disk:move', {
      ...vm101,
      disk: 'scsi1',
      targetStorage: 'tank',
      deleteSource: false,
    });

    expect(preview.approved).toBe(false);
    expect(preview.items.find((i) => i.resource === 'storage:tank')?.remaining).toBe(-10 * 2 ** 30);
  });

  it('refuses a second device under a rule that is full, as the attach is refused', async () => {
    await lab.call('pci:attach', { ...vm100, device: { mapping: 'lab-gpu' } });

    // A second slot of the same VM: lab-gpu has a device on pve1 only.
    const preview = await previewThenRun(lab, 'pci:attach', {
      ...vm100,
      device: { mapping: 'lab-gpu' },
    });

    expect(preview.approved).toBe(false);
    expect(preview.items.map((i) => [i.resource, i.used, i.requested, i.limit])).toEqual([
      ['pci:mapping:lab-gpu', 1, 1, 1],
    ]);
  });

  it('prices a change of PCI flags as free, and the change is made', async () => {
    await lab.call('pci:attach', { ...vm100, device: { mapping: 'lab-gpu' } });

    const preview = await previewThenRun(lab, 'pci:modify', {
      ...vm100,
      key: 'hostpci0',
      pcie: true,
    });

    expect(preview).toEqual({ approved: true, items: [] });
    expect(lab.sim.state.instances.get(100)?.config.hostpci0).toBe('mapping=lab-gpu,pcie=1');
  });

  it("refuses a new container whose template's NIC no longer fits, as the create is refused", async () => {
    // The other template's VM takes 25 MB/s, leaving 49.5 of the 200 MB/s.
    await lab.call('instance:create', { ...newVm, template: 'Linux VM' });

    const preview = await previewThenRun(lab, 'instance:create', {
      ...newCt,
      template: 'Web server',
    });

    expect(preview.approved).toBe(false);
    expect(shortfallsOf(preview)).toEqual([
      expect.objectContaining({ resource: 'network', shortfall: 0.5 * 2 ** 20 }),
    ]);
  });

  it('prices a new guest without asking PVE for an id or sending anything', async () => {
    const requestsBefore = lab.sim.requests.length;

    const fits = await lab.call('quota:preview', { kind: 'instance:create', ...newVm });
    const refused = await lab.call('quota:preview', {
      kind: 'instance:create',
      ...newCt,
      vmid: 250,
      cores: 12,
      password: 'hunter2-secret',
    });

    const sent = lab.sim.requests.slice(requestsBefore);
    expect([fits.approved, refused.approved]).toEqual([true, false]);
    expect(sent.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(sent.filter((r) => r.path === '/cluster/nextid')).toEqual([]);
    const created = await lab.call('instance:create', newVm);
    expect(created.vmid).toBe(102);
  });

  it('lets a decrease through for a user already over quota, in preview and operation', async () => {
    const vm = lab.sim.state.instances.get(100);
    if (!vm) throw new Error('the scenario has no VM 100');
    // Set around ProxDesk: 575.5 MB/s in use against a 200 MB/s limit.
    vm.config.net0 = 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=500';

    const preview = await previewThenRun(lab, 'net:modify', {
      ...vm100,
      key: 'net0',
      rateMBps: 100,
    });

    expect(preview.approved).toBe(true);
    expect(preview.items.map((i) => [i.resource, i.requested < 0, i.fits])).toEqual([
      ['network', true, true],
    ]);
  });

  it.each<[string, QuotaChangeKind & ChannelName, Record<string, unknown>, string]>([
    [
      'an unused volume the guest does not have',
      'disk:attach',
      { ...vm101, volume: 'unused7', bus: 'scsi' },
      'NOT_FOUND',
    ],
    [
      'a bus the policy does not allow on the storage',
      'disk:create',
      { ...vm101, storage: 'tank', bus: 'sata', sizeGiB: 1 },
      'QUOTA_EXCEEDED',
    ],
    [
      'a move onto the storage the disk is on',
      'disk:move',
      { ...vm101, disk: 'scsi1', targetStorage: 'local-lvm', deleteSource: true },
      'INVALID_INPUT',
    ],
    [
      'an interface the guest does not have',
      'net:modify',
      { ...vm100, key: 'net5', rateMBps: 1 },
      'NOT_FOUND',
    ],
    [
      'a PCI slot the VM does not use',
      'pci:modify',
      { ...vm100, key: 'hostpci3', pcie: true },
      'NOT_FOUND',
    ],
    ['sockets of a container', 'instance:resources', { ...ct200, sockets: 2 }, 'INVALID_INPUT'],
    [
      'a container name already in use',
      'net:create',
      { ...ct200, name: 'eth0', bridge: 'vmbr0' },
      'INVALID_INPUT',
    ],
    [
      'a guest in another pool',
      'instance:resources',
      { node: 'pve1', type: 'qemu', vmid: 300, cores: 1 },
      'NOT_OWNED',
    ],
    [
      'a new guest id outside her range',
      'instance:create',
      { ...newVm, vmid: 300 },
      'QUOTA_EXCEEDED',
    ],
    ['a new guest id one of hers has', 'instance:create', { ...newVm, vmid: 101 }, 'CONFLICT'],
    [
      'an ISO the node does not list',
      'instance:create',
      { ...newVm, iso: 'local:iso/not-there.iso' },
      'NOT_FOUND',
    ],
    ['a pool that is not hers', 'instance:create', { ...newVm, pool: 'bob' }, 'INVALID_INPUT'],
    [
      'a template for the other guest type',
      'instance:create',
      { ...newVm, template: 'Web server' },
      'INVALID_INPUT',
    ],
  ])('refuses %s with the error the operation gives', async (_case, kind, input, code) => {
    const preview = await lab.fail('quota:preview', { kind, ...input });
    const operation = await lab.fail(kind, input);

    expect(preview.code).toBe(code);
    expect({ code: preview.code, message: preview.message }).toEqual({
      code: operation.code,
      message: operation.message,
    });
  });
});
