import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GiB, MiB } from '../../src/shared/units';
import { startLab, type Lab } from './lab';

function deleteRequests(lab: Lab): string[] {
  return lab.sim.requests
    .filter((r) => r.method === 'DELETE')
    .map((r) => `${r.path} -> ${r.status}`);
}

function volumesOf(lab: Lab, vmid: number): string[] {
  return [...lab.sim.state.storages.values()]
    .flatMap((storage) => storage.volumes)
    .filter((volume) => volume.vmid === vmid)
    .map((volume) => volume.volid)
    .sort();
}

async function usedByResource(lab: Lab): Promise<Record<string, number>> {
  const usage = await lab.call('quota:usage');
  return Object.fromEntries(usage.resources.map((r) => [r.resource, r.used]));
}

describe('instance:destroy', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('refuses a running guest, telling the user to stop it, and sends no delete', async () => {
    const error = await lab.fail('instance:destroy', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      confirmVmid: 100,
    });

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('Guest 100 is running; stop it first, then destroy it.');
    expect(deleteRequests(lab)).toEqual([]);
    expect(lab.sim.state.instances.has(100)).toBe(true);
  });

  it('refuses a guest outside the user pools and sends no delete', async () => {
    const error = await lab.fail('instance:destroy', {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      confirmVmid: 300,
    });

    expect(error.code).toBe('NOT_OWNED');
    expect(deleteRequests(lab)).toEqual([]);
    expect(lab.sim.state.instances.has(300)).toBe(true);
  });

  it('refuses a locked guest and sends no delete', async () => {
    const guest = lab.sim.state.instances.get(101);
    if (!guest) throw new Error('the scenario has no VM 101');
    guest.config.lock = 'backup';

    const error = await lab
      .fail('instance:destroy', { node: 'pve2', type: 'qemu', vmid: 101, confirmVmid: 101 })
      .finally(() => {
        delete guest.config.lock;
      });

    expect(error.code).toBe('LOCKED');
    expect(error.message).toContain('locked (backup)');
    expect(deleteRequests(lab)).toEqual([]);
  });

  it('refuses a protected guest and sends no delete', async () => {
    const guest = lab.sim.state.instances.get(101);
    if (!guest) throw new Error('the scenario has no VM 101');
    guest.config.protection = 1;

    const error = await lab
      .fail('instance:destroy', { node: 'pve2', type: 'qemu', vmid: 101, confirmVmid: 101 })
      .finally(() => {
        delete guest.config.protection;
      });

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('protected against removal');
    expect(deleteRequests(lab)).toEqual([]);
  });

  it.each([
    ['a confirmation that names another guest', { confirmVmid: 100 }],
    ['a missing confirmation', { confirmVmid: undefined }],
    ['a confirmation as a string', { confirmVmid: '101' }],
    ['NaN as vmid', { vmid: Number.NaN, confirmVmid: Number.NaN }],
    ['a negative vmid', { vmid: -101, confirmVmid: -101 }],
    ['a fractional vmid', { vmid: 101.5, confirmVmid: 101.5 }],
    ['a vmid as a string', { vmid: '101', confirmVmid: '101' }],
    ['a hostile node name', { node: 'pve2/../../access/users' }],
    ['a node name with a query', { node: 'pve2?purge=0' }],
    ['an unknown type', { type: 'openvz' }],
    ['an unknown field', { skiplock: true }],
  ])('refuses %s with INVALID_INPUT and sends nothing', async (_name, override) => {
    const before = lab.sim.requests.length;
    const input = { node: 'pve2', type: 'qemu', vmid: 101, confirmVmid: 101, ...override };

    const error = await lab.fail('instance:destroy', input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(before);
    expect(lab.sim.state.instances.has(101)).toBe(true);
  });

  it('reports a failed task as TASK_FAILED and leaves the guest and its volumes', async () => {
    const volumesBefore = volumesOf(lab, 101);
    lab.sim.faults.failNextTask = 'unable to remove volume: storage is busy';

    const error = await lab.fail('instance:destroy', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      confirmVmid: 101,
    });

    expect(error.code).toBe('TASK_FAILED');
    expect(error.message).toBe(
      'PVE could not destroy guest 101: unable to remove volume: storage is busy',
    );
    expect(error.details?.upid).toMatch(/:qmdestroy:101:alice@pve:$/);
    expect(lab.sim.state.instances.has(101)).toBe(true);
    expect(volumesOf(lab, 101)).toEqual(volumesBefore);
  });

  it('destroys a stopped VM with its disks, unused and unreferenced volumes, but not its ISO', async () => {
    const guest = lab.sim.state.instances.get(101);
    const tank = lab.sim.state.storages.get('tank');
    if (!guest || !tank) throw new Error('the scenario has no VM 101 or storage tank');
    // A CD-ROM image is shared with other guests and must stay; a leftover volume of the vmid
    // that the config no longer names is removed with destroy-unreferenced-disks.
    guest.config.ide2 = 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M';
    tank.volumes.push({
      volid: 'tank:vm-101-disk-9',
      storage: 'tank',
      node: null,
      sizeBytes: GiB,
      format: 'raw',
      content: 'images',
      vmid: 101,
      ctime: null,
    });
    const isosBefore = lab.sim.state.storages.get('local')?.volumes.length;
    const usedBefore = await usedByResource(lab);
    const changes: string[] = [];
    const progress: string[] = [];
    const stopChanges = lab.core.on('cluster:changed', (event) => changes.push(event.reason));
    const stopProgress = lab.core.on('task:progress', (event) => progress.push(event.state));

    const result = await lab.call('instance:destroy', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      confirmVmid: 101,
    });
    stopChanges();
    stopProgress();

    expect(result.vmid).toBe(101);
    expect(result.task).toMatchObject({ status: 'ok', exitStatus: 'OK' });
    expect(result.task.upid).toMatch(
      /^UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmdestroy:101:/,
    );
    expect(progress.at(-1)).toBe('stopped');
    expect(changes).toEqual(['destroy of 101']);
    expect(lab.sim.state.instances.has(101)).toBe(false);
    expect(volumesOf(lab, 101)).toEqual([]);
    expect(lab.sim.state.storages.get('local')?.volumes.length).toBe(isosBefore);
    const sent = lab.sim.requests.filter((r) => r.method === 'DELETE').at(-1);
    expect(sent?.path).toBe('/nodes/pve2/qemu/101');
    expect(sent?.params).toMatchObject({ purge: '1', 'destroy-unreferenced-disks': '1' });

    const usedAfter = await usedByResource(lab);
    // Every resource that changed, and by how much; the ones VM 101 did not use stay out.
    const freed = Object.fromEntries(
      Object.keys(usedBefore)
        .map((key) => [key, (usedBefore[key] ?? 0) - (usedAfter[key] ?? 0)] as const)
        .filter(([, delta]) => delta !== 0),
    );
    // The quota counts the volumes a config names, so the leftover volume freed nothing there.
    expect(freed).toEqual({
      cores: 4,
      memory: 8192 * MiB,
      network: 25.5 * MiB,
      'storage:local-lvm': 24 * GiB,
      'storage:tank': 64 * GiB,
    });
    const instances = await lab.call('instance:list');
    expect(instances.map((row) => row.vmid)).not.toContain(101);
  });

  it('destroys a container once stopped: rootfs and mount point go, the bind mount path is not a volume', async () => {
    await lab.call('instance:power', { node: 'pve1', type: 'lxc', vmid: 200, action: 'stop' });

    const result = await lab.call('instance:destroy', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      confirmVmid: 200,
    });

    expect(result.task.upid).toMatch(/:vzdestroy:200:alice@pve:$/);
    expect(lab.sim.state.instances.has(200)).toBe(false);
    expect(volumesOf(lab, 200)).toEqual([]);
    // Other guests' volumes are untouched.
    expect(volumesOf(lab, 100)).toEqual(['local-lvm:vm-100-disk-0', 'local-lvm:vm-100-disk-1']);
    expect(volumesOf(lab, 300)).toEqual(['tank:vm-300-disk-0']);
  });

  it('refuses a guest that is already gone', async () => {
    const error = await lab.fail('instance:destroy', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      confirmVmid: 101,
    });

    expect(error.code).toBe('NOT_FOUND');
  });
});
