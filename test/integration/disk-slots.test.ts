import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GiB } from '../../src/shared/units';
import { storageUsedBytes } from '../pve-sim';
import { startLab, type Lab } from './lab';

// The bundled lab, for alice: VM 100 (pve1) has scsi0 on local-lvm (32 GiB), efidisk0 and a CD
// drive ide2; VM 101 (pve2) has virtio0 on tank (64 GiB), scsi1 on local-lvm (16 GiB) and unused0
// (local-lvm:vm-101-disk-2, 8 GiB, no size in the config); CT 200 (pve1) has mp0 on tank at /data
// and the bind mount mp1. VM 300 (pool shared) is visible to alice but not hers. The policy
// allows only scsi, virtio, rootfs and mp on tank.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const vm101 = { node: 'pve2', type: 'qemu', vmid: 101 } as const;
const ct200 = { node: 'pve1', type: 'lxc', vmid: 200 } as const;

function config(lab: Lab, vmid: number): Record<string, string | number> {
  const guest = lab.sim.state.instances.get(vmid);
  if (!guest) throw new Error(`the scenario has no guest ${vmid}`);
  return guest.config;
}

function configWrites(lab: Lab): (typeof lab.sim.requests)[number][] {
  return lab.sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/config'));
}

function simStorageBytes(lab: Lab, storage: string, node: string): number {
  const found = lab.sim.state.storages.get(storage);
  if (!found) throw new Error(`the scenario has no storage ${storage}`);
  return storageUsedBytes(found, node);
}

function hasVolume(lab: Lab, storage: string, volid: string): boolean {
  return lab.sim.state.storages.get(storage)?.volumes.some((v) => v.volid === volid) ?? false;
}

async function storageUsed(lab: Lab, storage: string): Promise<number | undefined> {
  const usage = await lab.call('quota:usage');
  return usage.resources.find((r) => r.resource === `storage:${storage}`)?.used;
}

describe('detaching, attaching and deleting volumes', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('detaches a VM disk to the first free unusedN with the digest; storage use is unchanged', async () => {
    const before = await lab.call('instance:get', vm101);
    const quotaBefore = await storageUsed(lab, 'tank');
    const simBefore = simStorageBytes(lab, 'tank', 'pve2');

    const result = await lab.call('disk:detach', { ...vm101, disk: 'virtio0' });

    expect(result).toEqual({ key: 'virtio0', newKey: 'unused1', volume: 'tank:vm-101-disk-0' });
    expect(configWrites(lab).at(-1)).toMatchObject({
      path: '/nodes/pve2/qemu/101/config',
      params: { delete: 'virtio0', digest: before.digest },
      status: 200,
    });
    expect(Object.keys(configWrites(lab).at(-1)?.params ?? {}).sort()).toEqual([
      'delete',
      'digest',
    ]);
    expect(config(lab, 101).virtio0).toBeUndefined();
    expect(config(lab, 101).unused1).toBe('tank:vm-101-disk-0');
    expect(config(lab, 101).unused0).toBe('local-lvm:vm-101-disk-2');
    expect(simStorageBytes(lab, 'tank', 'pve2')).toBe(simBefore);
    expect(await storageUsed(lab, 'tank')).toBe(quotaBefore);
    expect(quotaBefore).toBe(84 * GiB);
  });

  it('detaches a container mount point to unused0', async () => {
    const result = await lab.call('disk:detach', { ...ct200, disk: 'mp0' });

    expect(result).toEqual({ key: 'mp0', newKey: 'unused0', volume: 'tank:vm-200-disk-1' });
    expect(configWrites(lab).at(-1)?.params).toMatchObject({ delete: 'mp0' });
    expect(config(lab, 200).mp0).toBeUndefined();
    expect(config(lab, 200).unused0).toBe('tank:vm-200-disk-1');
    expect(await storageUsed(lab, 'tank')).toBe(84 * GiB);
  });

  it('attaches unused0 to the first free scsi slot and PVE drops the unused entry', async () => {
    const before = await lab.call('instance:get', vm101);

    const result = await lab.call('disk:attach', { ...vm101, volume: 'unused0', bus: 'scsi' });

    expect(result).toEqual({ key: 'unused0', newKey: 'scsi0', volume: 'local-lvm:vm-101-disk-2' });
    const write = configWrites(lab).at(-1);
    expect(write).toMatchObject({ status: 200 });
    expect(write?.params).toEqual({ scsi0: 'local-lvm:vm-101-disk-2', digest: before.digest });
    expect(config(lab, 101).scsi0).toBe('local-lvm:vm-101-disk-2,size=8G');
    expect(config(lab, 101).unused0).toBeUndefined();
    expect(await storageUsed(lab, 'local-lvm')).toBe((32 + 16 + 8 + 8) * GiB + 540672);
  });

  it('re-attaches a detached mount point at a checked path', async () => {
    await lab.call('disk:detach', { ...ct200, disk: 'mp0' });

    const result = await lab.call('disk:attach', {
      ...ct200,
      volume: 'unused0',
      mountPath: '/srv/data',
    });

    expect(result.newKey).toBe('mp0');
    expect(configWrites(lab).at(-1)?.params).toMatchObject({
      mp0: 'tank:vm-200-disk-1,mp=/srv/data',
    });
    expect(config(lab, 200).mp0).toBe('tank:vm-200-disk-1,mp=/srv/data,size=20G');
    expect(config(lab, 200).unused0).toBeUndefined();
  });

  it('deletes an unused volume: gone from the storage, and usage decreases by its size', async () => {
    const before = await storageUsed(lab, 'local-lvm');
    const simBefore = simStorageBytes(lab, 'local-lvm', 'pve2');

    const result = await lab.call('disk:delete', { ...vm101, disk: 'unused0' });

    expect(result).toEqual({ key: 'unused0', newKey: null, volume: 'local-lvm:vm-101-disk-2' });
    expect(configWrites(lab).at(-1)?.params).toMatchObject({ delete: 'unused0' });
    expect(config(lab, 101).unused0).toBeUndefined();
    expect(hasVolume(lab, 'local-lvm', 'local-lvm:vm-101-disk-2')).toBe(false);
    expect(simStorageBytes(lab, 'local-lvm', 'pve2')).toBe(simBefore - 8 * GiB);
    expect(await storageUsed(lab, 'local-lvm')).toBe((before ?? 0) - 8 * GiB);
  });

  it('removes a CD drive and keeps its ISO', async () => {
    const result = await lab.call('disk:delete', { ...vm100, disk: 'ide2' });

    expect(result).toEqual({
      key: 'ide2',
      newKey: null,
      volume: 'local:iso/debian-12.7.0-amd64-netinst.iso',
    });
    expect(config(lab, 100).ide2).toBeUndefined();
    expect(Object.keys(config(lab, 100)).filter((k) => k.startsWith('unused'))).toEqual([]);
    expect(hasVolume(lab, 'local', 'local:iso/debian-12.7.0-amd64-netinst.iso')).toBe(true);
  });

  it('refuses to change a guest outside the user pools, sending nothing', async () => {
    const error = await lab.fail('disk:detach', {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      disk: 'scsi0',
    });

    expect(error.code).toBe('NOT_OWNED');
    expect(configWrites(lab)).toEqual([]);
  });

  it('refuses a locked guest, sending nothing', async () => {
    config(lab, 101).lock = 'backup';

    const error = await lab.fail('disk:attach', { ...vm101, volume: 'unused0', bus: 'scsi' });

    expect(error.code).toBe('LOCKED');
    expect(configWrites(lab)).toEqual([]);
    expect(config(lab, 101).unused0).toBe('local-lvm:vm-101-disk-2');
  });

  it('refuses a bus the policy does not allow on the volume storage', async () => {
    await lab.call('disk:detach', { ...vm101, disk: 'virtio0' });
    const writes = configWrites(lab).length;

    const error = await lab.fail('disk:attach', { ...vm101, volume: 'unused1', bus: 'sata' });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe('The quota policy does not allow sata disks on storage tank.');
    expect(configWrites(lab).length).toBe(writes);
    expect(config(lab, 101).unused1).toBe('tank:vm-101-disk-0');
  });

  it.each(['/data,backup=1', '../x', '/a/../etc', 'relative', '/with space', '/'])(
    'refuses the hostile mount path %j before anything is read',
    async (mountPath) => {
      const requests = lab.sim.requests.length;

      const error = await lab.fail('disk:attach', { ...ct200, volume: 'unused0', mountPath });

      expect(error.code).toBe('INVALID_INPUT');
      expect(Object.keys(error.details?.fields ?? {})).toEqual(['mountPath']);
      expect(lab.sim.requests.length).toBe(requests);
    },
  );

  it.each([
    ['disk:detach', { ...vm100, disk: 'mp0' }],
    ['disk:detach', { ...ct200, disk: 'scsi0' }],
    ['disk:detach', { ...ct200, disk: 'rootfs' }],
    ['disk:delete', { ...vm100, disk: 'net0' }],
    ['disk:attach', { ...vm101, volume: 'scsi1', bus: 'scsi' }],
    ['disk:attach', { ...ct200, volume: 'unused0', bus: 'scsi', mountPath: '/x' }],
  ] as const)('refuses %s with a key of the wrong kind: %j', async (channel, input) => {
    const requests = lab.sim.requests.length;

    const error = await lab.fail(channel, input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(requests);
  });

  it.each([
    [vm100, 'scsi0', 'detach it first'],
    [vm100, 'efidisk0', 'detach it first'],
    [ct200, 'mp0', 'detach it first'],
  ] as const)(
    'refuses to delete the attached disk %j %s with no request sent',
    async (ref, disk, why) => {
      const error = await lab.fail('disk:delete', { ...ref, disk });

      expect(error.code).toBe('INVALID_INPUT');
      expect(error.details?.fields).toEqual({ disk: why });
      expect(configWrites(lab)).toEqual([]);
      expect(config(lab, ref.vmid)[disk]).toBeDefined();
    },
  );

  it('refuses to detach a CD drive or a bind mount', async () => {
    const cd = await lab.fail('disk:detach', { ...vm100, disk: 'ide2' });
    const bind = await lab.fail('disk:detach', { ...ct200, disk: 'mp1' });

    expect([cd.code, cd.details?.fields]).toEqual(['INVALID_INPUT', { disk: 'a CD drive' }]);
    expect([bind.code, bind.details?.fields]).toEqual(['INVALID_INPUT', { disk: 'a bind mount' }]);
    expect(configWrites(lab)).toEqual([]);
  });

  it('detaches an EFI vars disk, as PVE allows', async () => {
    const result = await lab.call('disk:detach', { ...vm100, disk: 'efidisk0' });

    expect(result.newKey).toBe('unused0');
    expect(config(lab, 100).unused0).toBe('local-lvm:vm-100-disk-1');
  });

  it('maps a config changed between pricing and writing to CONFLICT and changes nothing', async () => {
    const stop = lab.sim.onRequest((request) => {
      if (request.method === 'GET' && request.path === '/nodes/pve2/qemu/101/config') {
        config(lab, 101).description = 'edited elsewhere';
      }
    });

    const error = await lab.fail('disk:detach', { ...vm101, disk: 'scsi1' }).finally(stop);

    expect(error.code).toBe('CONFLICT');
    expect(configWrites(lab).map((w) => w.status)).toEqual([500]);
    expect(config(lab, 101).scsi1).toBe('local-lvm:vm-101-disk-1,iothread=1,size=16G');
    expect(config(lab, 101).unused1).toBeUndefined();
  });

  it('lists the policy constraints for the forms', async () => {
    const constraints = await lab.call('quota:constraints');

    expect(constraints).toMatchObject({
      userid: 'alice@pve',
      nodes: ['pve1', 'pve2'],
      vmidRanges: [{ min: 100, max: 299 }],
      pools: ['alice'],
    });
    expect(constraints.storages).toEqual([
      {
        storage: 'local-lvm',
        maxBytes: 200 * GiB,
        buses: ['scsi', 'virtio', 'sata', 'ide', 'efidisk', 'tpmstate', 'rootfs', 'mp'],
      },
      { storage: 'tank', maxBytes: 120 * GiB, buses: ['scsi', 'virtio', 'rootfs', 'mp'] },
    ]);
  });
});
