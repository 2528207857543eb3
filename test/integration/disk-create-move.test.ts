import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GiB } from '../../src/shared/units';
import { storageUsedBytes } from '../pve-sim';
import { startLab, type Lab } from './lab';

// The bundled lab, for alice: VM 100 (pve1) has scsi0 on local-lvm (32 GiB) and efidisk0; VM 101
// (pve2) has virtio0 on tank (64 GiB), scsi1 on local-lvm (16 GiB, iothread=1) and unused0; CT 200
// (pve1) has mp0 on tank (20 GiB, /data) and its rootfs on local-lvm (8 GiB). Her tank quota is
// 120 GiB (84 used) and allows only scsi, virtio, rootfs and mp; local-lvm allows every bus.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const vm101 = { node: 'pve2', type: 'qemu', vmid: 101 } as const;
const ct200 = { node: 'pve1', type: 'lxc', vmid: 200 } as const;

function config(lab: Lab, vmid: number): Record<string, string | number> {
  const guest = lab.sim.state.instances.get(vmid);
  if (!guest) throw new Error(`the scenario has no guest ${vmid}`);
  return guest.config;
}

function moveRequests(lab: Lab): (typeof lab.sim.requests)[number][] {
  return lab.sim.requests.filter((r) => /\/(move_disk|move_volume)$/.test(r.path));
}

function hasVolume(lab: Lab, storage: string, volid: string): boolean {
  return lab.sim.state.storages.get(storage)?.volumes.some((v) => v.volid === volid) ?? false;
}

function simStorageBytes(lab: Lab, storage: string, node: string): number {
  const found = lab.sim.state.storages.get(storage);
  if (!found) throw new Error(`the scenario has no storage ${storage}`);
  return storageUsedBytes(found, node);
}

async function storageUsed(lab: Lab, storage: string): Promise<number | undefined> {
  const usage = await lab.call('quota:usage');
  return usage.resources.find((r) => r.resource === `storage:${storage}`)?.used;
}

describe('moving disks between storages', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('moves a VM disk with delete: the target gains its size, the source frees it', async () => {
    const before = await lab.call('instance:get', vm101);
    const tankBefore = await storageUsed(lab, 'tank');
    const lvmBefore = await storageUsed(lab, 'local-lvm');

    const result = await lab.call('disk:move', {
      ...vm101,
      disk: 'scsi1',
      targetStorage: 'tank',
      deleteSource: true,
    });

    expect(result).toMatchObject({
      disk: 'scsi1',
      fromStorage: 'local-lvm',
      toStorage: 'tank',
      volume: 'tank:vm-101-disk-1',
      keptAs: null,
      task: { status: 'ok' },
    });
    expect(moveRequests(lab)).toHaveLength(1);
    expect(moveRequests(lab)[0]).toMatchObject({
      method: 'POST',
      path: '/nodes/pve2/qemu/101/move_disk',
      params: { disk: 'scsi1', storage: 'tank', delete: '1', digest: before.digest },
    });
    expect(config(lab, 101).scsi1).toBe('tank:vm-101-disk-1,iothread=1,size=16G');
    expect(config(lab, 101).unused1).toBeUndefined();
    expect(hasVolume(lab, 'local-lvm', 'local-lvm:vm-101-disk-1')).toBe(false);
    expect(hasVolume(lab, 'tank', 'tank:vm-101-disk-1')).toBe(true);
    expect(tankBefore).toBe(84 * GiB);
    expect(lvmBefore).toBe(64 * GiB + 528 * 1024);
    expect(await storageUsed(lab, 'tank')).toBe(84 * GiB + 16 * GiB);
    expect(await storageUsed(lab, 'local-lvm')).toBe((lvmBefore ?? 0) - 16 * GiB);
  });

  it('moves a mount point without delete: the source stays as unused0 and still counts', async () => {
    const lvmBefore = await storageUsed(lab, 'local-lvm');
    const simTankBefore = simStorageBytes(lab, 'tank', 'pve1');

    const result = await lab.call('disk:move', {
      ...ct200,
      disk: 'mp0',
      targetStorage: 'local-lvm',
      deleteSource: false,
    });

    expect(result).toMatchObject({
      disk: 'mp0',
      fromStorage: 'tank',
      toStorage: 'local-lvm',
      volume: 'local-lvm:vm-200-disk-1',
      keptAs: 'unused0',
    });
    expect(moveRequests(lab)[0]).toMatchObject({
      path: '/nodes/pve1/lxc/200/move_volume',
      params: { volume: 'mp0', storage: 'local-lvm', delete: '0' },
    });
    expect(config(lab, 200).mp0).toBe('local-lvm:vm-200-disk-1,mp=/data,size=20G');
    expect(config(lab, 200).unused0).toBe('tank:vm-200-disk-1');
    expect(simStorageBytes(lab, 'tank', 'pve1')).toBe(simTankBefore);
    expect(await storageUsed(lab, 'tank')).toBe(84 * GiB);
    expect(await storageUsed(lab, 'local-lvm')).toBe((lvmBefore ?? 0) + 20 * GiB);
  });

  it("refuses a move beyond the target's quota with the exact shortfall, sending nothing", async () => {
    await lab.call('disk:move', {
      ...vm101,
      disk: 'scsi1',
      targetStorage: 'tank',
      deleteSource: false,
    });
    const configBefore = { ...config(lab, 100) };

    const error = await lab.fail('disk:move', {
      ...vm100,
      disk: 'scsi0',
      targetStorage: 'tank',
      deleteSource: true,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'storage:tank',
        label: 'Storage: tank',
        unit: 'bytes',
        limit: 120 * GiB,
        used: 100 * GiB,
        requested: 32 * GiB,
        shortfall: 12 * GiB,
      },
    ]);
    expect(moveRequests(lab)).toHaveLength(1);
    expect(config(lab, 100)).toEqual(configBefore);
  });

  it('refuses to move a disk onto a storage whose policy does not allow its bus', async () => {
    const error = await lab.fail('disk:move', {
      ...vm100,
      disk: 'efidisk0',
      targetStorage: 'tank',
      deleteSource: true,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe('The quota policy does not allow efidisk disks on storage tank.');
    expect(moveRequests(lab)).toEqual([]);
  });

  it('refuses hostile or malformed input with INVALID_INPUT and sends nothing', async () => {
    const base = { ...vm101, disk: 'scsi1', targetStorage: 'tank', deleteSource: true };
    const bad = [
      { ...base, targetStorage: 'tank,delete=1' },
      { ...base, targetStorage: '../etc' },
      { ...base, disk: 'scsi1,size=1T' },
      { ...base, disk: 'unused0' },
      { ...base, deleteSource: 'yes' },
      { ...base, vmid: Number.NaN },
      { ...base, extra: 1 },
    ];
    for (const input of bad) {
      const error = await lab.fail('disk:move', input);
      expect(error.code).toBe('INVALID_INPUT');
    }
    const same = await lab.fail('disk:move', { ...base, targetStorage: 'local-lvm' });
    expect(same.code).toBe('INVALID_INPUT');
    expect(same.message).toBe('scsi1 is already on local-lvm.');
    const cdrom = await lab.fail('disk:move', {
      ...vm100,
      disk: 'ide2',
      targetStorage: 'local-lvm',
      deleteSource: false,
    });
    expect(cdrom.code).toBe('INVALID_INPUT');
    expect(moveRequests(lab)).toEqual([]);
  });

  it('reports a failed move task as TASK_FAILED and changes nothing', async () => {
    const configBefore = { ...config(lab, 101) };
    const tankBefore = simStorageBytes(lab, 'tank', 'pve2');
    lab.sim.faults.failNextTask = 'copy failed: simulated I/O error';

    const error = await lab.fail('disk:move', {
      ...vm101,
      disk: 'scsi1',
      targetStorage: 'tank',
      deleteSource: true,
    });

    expect(error.code).toBe('TASK_FAILED');
    expect(error.message).toContain('copy failed: simulated I/O error');
    expect(config(lab, 101)).toEqual(configBefore);
    expect(simStorageBytes(lab, 'tank', 'pve2')).toBe(tankBefore);
    expect(hasVolume(lab, 'local-lvm', 'local-lvm:vm-101-disk-1')).toBe(true);
    expect(await storageUsed(lab, 'tank')).toBe(84 * GiB);
  });
});

function createRequests(lab: Lab): (typeof lab.sim.requests)[number][] {
  return lab.sim.requests.filter(
    (r) => (r.method === 'POST' || r.method === 'PUT') && r.path.endsWith('/config'),
  );
}

describe('creating disks, CD drives and mount points', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('creates a VM disk on the first free slot of its bus through the asynchronous write', async () => {
    const before = await lab.call('instance:get', vm101);

    const result = await lab.call('disk:create', {
      ...vm101,
      storage: 'tank',
      bus: 'scsi',
      sizeGiB: 10,
    });

    expect(result).toMatchObject({ key: 'scsi0', volume: 'tank:vm-101-disk-1' });
    expect(result.task?.status).toBe('ok');
    expect(createRequests(lab)).toHaveLength(1);
    expect(createRequests(lab)[0]).toMatchObject({
      method: 'POST',
      path: '/nodes/pve2/qemu/101/config',
      params: { scsi0: 'tank:10', digest: before.digest },
    });
    expect(config(lab, 101).scsi0).toBe('tank:vm-101-disk-1,size=10G');
    expect(hasVolume(lab, 'tank', 'tank:vm-101-disk-1')).toBe(true);
    expect(await storageUsed(lab, 'tank')).toBe(94 * GiB);
  });

  it('creates a container mount point with PUT, mp= and the digest', async () => {
    const before = await lab.call('instance:get', ct200);

    const result = await lab.call('disk:create', {
      ...ct200,
      storage: 'tank',
      sizeGiB: 8,
      mountPath: '/srv/data',
    });

    expect(result).toEqual({ key: 'mp2', volume: 'tank:vm-200-disk-0', task: null });
    expect(createRequests(lab)[0]).toMatchObject({
      method: 'PUT',
      path: '/nodes/pve1/lxc/200/config',
      params: { mp2: 'tank:8,mp=/srv/data', digest: before.digest },
    });
    expect(config(lab, 200).mp2).toBe('tank:vm-200-disk-0,mp=/srv/data,size=8G');
    expect(await storageUsed(lab, 'tank')).toBe(92 * GiB);
  });

  it('inserts a listed ISO as a CD drive on the first free IDE slot, at no cost', async () => {
    const result = await lab.call('disk:create', {
      ...vm101,
      storage: 'local',
      iso: 'local:iso/ubuntu-24.04.1-live-server-amd64.iso',
    });

    expect(result.key).toBe('ide0');
    expect(config(lab, 101).ide0).toBe(
      'local:iso/ubuntu-24.04.1-live-server-amd64.iso,media=cdrom,size=2646M',
    );
    expect(await storageUsed(lab, 'tank')).toBe(84 * GiB);
  });

  it("checks the ISO with one listing of its storage's ISOs on the guest's node", async () => {
    await lab.call('disk:create', {
      ...vm101,
      storage: 'local',
      iso: 'local:iso/ubuntu-24.04.1-live-server-amd64.iso',
    });

    // The listings and the reads of `local`; the disk storages' reads are the usage snapshot's.
    const mediaReads = lab.sim.requests
      .filter((r) => /^\/nodes\/[^/]+\/storage(\/local\/.*)?$/.test(r.path))
      .map(({ method, path, params }) => ({ method, path, params }));
    expect(mediaReads).toEqual([
      { method: 'GET', path: '/nodes/pve2/storage/local/content', params: { content: 'iso' } },
    ]);
  });

  it('refuses an ISO on a disabled storage as not listed, sending nothing', async () => {
    const local = lab.sim.state.storages.get('local');
    if (local) local.disabled = true;

    const error = await lab.fail('disk:create', {
      ...vm101,
      storage: 'local',
      iso: 'local:iso/ubuntu-24.04.1-live-server-amd64.iso',
    });

    expect([error.code, error.details?.fields]).toEqual([
      'NOT_FOUND',
      { iso: 'not listed on pve2' },
    ]);
    expect(createRequests(lab)).toEqual([]);
  });

  it('refuses a disk beyond the storage quota with the exact shortfall, sending nothing', async () => {
    const error = await lab.fail('disk:create', {
      ...vm101,
      storage: 'tank',
      bus: 'virtio',
      sizeGiB: 40,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
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
    expect(createRequests(lab)).toEqual([]);
  });

  it('refuses a bus the policy does not allow on the storage', async () => {
    const error = await lab.fail('disk:create', {
      ...vm101,
      storage: 'tank',
      bus: 'sata',
      sizeGiB: 1,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe('The quota policy does not allow sata disks on storage tank.');
    expect(createRequests(lab)).toEqual([]);
  });

  it('refuses an ISO that the storage does not list', async () => {
    const error = await lab.fail('disk:create', {
      ...vm101,
      storage: 'local',
      iso: 'local:iso/not-there.iso',
    });

    expect(error.code).toBe('NOT_FOUND');
    expect(createRequests(lab)).toEqual([]);
  });

  it("refuses an ISO the storage lists but the user's policy does not allow", async () => {
    await lab.call('session:logout');
    await lab.signIn(1); // bob: his group's policy allows only the Debian installers

    const error = await lab.fail('disk:create', {
      node: 'pve2',
      type: 'qemu',
      vmid: 110,
      storage: 'local',
      iso: 'local:iso/ubuntu-24.04.1-live-server-amd64.iso',
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe(
      'The quota policy does not allow the ISO image local:iso/ubuntu-24.04.1-live-server-amd64.iso.',
    );
    expect(error.details?.fields).toEqual({ iso: 'not allowed by the quota policy' });
    expect(createRequests(lab)).toEqual([]);
    expect(config(lab, 110).ide0).toBeUndefined();
  });

  it('refuses hostile storage ids, ISO names and mount paths with INVALID_INPUT', async () => {
    const bad = [
      { ...vm101, storage: 'tank:1,backup=1', bus: 'scsi', sizeGiB: 1 },
      { ...vm101, storage: 'tank', bus: 'scsi', sizeGiB: 0 },
      { ...vm101, storage: 'tank', bus: 'scsi', sizeGiB: 1.5 },
      { ...vm101, storage: 'tank', bus: 'scsi', sizeGiB: Number.NaN },
      { ...vm101, storage: 'tank', bus: 'scsi', sizeGiB: '8' },
      { ...vm101, storage: 'local', iso: 'local:iso/x.iso,media=disk' },
      { ...vm101, storage: 'local', iso: 'local:iso/../../etc/passwd.iso' },
      { ...vm101, storage: 'tank', iso: 'local:iso/debian-12.7.0-amd64-netinst.iso' },
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '/data,backup=1' },
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '/srv/../etc' },
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: 'relative' },
      // Paths that alias another one; `//` is the container's root.
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '//' },
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '/mnt/.' },
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '/mnt/./x' },
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '/srv//data' },
      { ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '/srv/' },
    ];
    for (const input of bad) {
      const error = await lab.fail('disk:create', input);
      expect(error.code).toBe('INVALID_INPUT');
    }
    const taken = await lab.fail('disk:create', {
      ...ct200,
      storage: 'tank',
      sizeGiB: 1,
      mountPath: '/data',
    });
    expect(taken.message).toBe('mp0 is already mounted at /data.');
    expect(createRequests(lab)).toEqual([]);
  });
});
