import { describe, expect, it } from 'vitest';
import type { Disk, QuotaConstraints } from '../../../shared/contract';
import { allowedBuses, mountPointsAllowed } from './attach-dialog';
import { canDelete, canDetach } from './disk-slot-actions';

const constraints: QuotaConstraints = {
  userid: 'alice@pve',
  nodes: null,
  vmidRanges: null,
  pools: ['alice'],
  storages: [
    { storage: 'tank', maxBytes: null, buses: ['virtio', 'scsi', 'rootfs'] },
    { storage: 'local-lvm', maxBytes: null, buses: ['ide', 'mp'] },
  ],
  templates: [],
  cpuModels: [],
  pciDevices: [],
};

function disk(key: string, kind: Disk['kind'], storage: string | null = 'tank'): Disk {
  return { key, volume: 'v', storage, sizeBytes: null, kind, mountPath: null, resizable: false };
}

describe('attach choices', () => {
  it('offers the policy buses of the storage in the fixed order, and every bus when unlisted', () => {
    expect(allowedBuses(constraints, 'tank')).toEqual(['scsi', 'virtio']);
    expect(allowedBuses(constraints, 'local-lvm')).toEqual(['ide']);
    expect(allowedBuses(constraints, 'other')).toEqual(['scsi', 'virtio', 'sata', 'ide']);
  });

  it('allows mount points only where the policy lists mp', () => {
    expect(mountPointsAllowed(constraints, 'tank')).toBe(false);
    expect(mountPointsAllowed(constraints, 'local-lvm')).toBe(true);
    expect(mountPointsAllowed(constraints, 'other')).toBe(true);
  });
});

describe('which rows offer detach and delete', () => {
  it('detaches storage disks but never the rootfs or a host device', () => {
    expect(canDetach(disk('scsi0', 'disk'))).toBe(true);
    expect(canDetach(disk('rootfs', 'disk'))).toBe(false);
    expect(canDetach(disk('sata0', 'disk', null))).toBe(false);
    expect(canDetach(disk('mp1', 'bind', null))).toBe(false);
  });

  it('deletes unused volumes and VM CD drives only', () => {
    expect(canDelete(disk('unused0', 'unused'), 'lxc')).toBe(true);
    expect(canDelete(disk('ide2', 'cdrom', null), 'qemu')).toBe(true);
    expect(canDelete(disk('scsi0', 'disk'), 'qemu')).toBe(false);
    expect(canDelete(disk('mp0', 'disk'), 'lxc')).toBe(false);
  });
});
