import { describe, expect, it } from 'vitest';
import { diskCreateChange, type DiskCreateChoice } from './disk-create-change';

const vm = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const ct = { node: 'pve1', type: 'lxc', vmid: 200 } as const;
const none: DiskCreateChoice = { storage: null, bus: null, sizeGiB: 8, mountPath: null, iso: null };

describe('diskCreateChange', () => {
  it('describes a VM disk on a storage and bus', () => {
    expect(diskCreateChange(vm, { ...none, storage: 'tank', bus: 'scsi', sizeGiB: 10 })).toEqual({
      kind: 'disk:create',
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      storage: 'tank',
      bus: 'scsi',
      sizeGiB: 10,
    });
  });

  it('describes a CD drive by its ISO and the storage it is on', () => {
    const iso = { storage: 'local', volid: 'local:iso/debian.iso' };

    expect(diskCreateChange(vm, { ...none, storage: 'tank', bus: 'scsi', iso })).toEqual({
      kind: 'disk:create',
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      storage: 'local',
      iso: 'local:iso/debian.iso',
    });
  });

  it('describes a container mount point with its path', () => {
    expect(diskCreateChange(ct, { ...none, storage: 'tank', mountPath: '/srv' })).toEqual({
      kind: 'disk:create',
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      storage: 'tank',
      sizeGiB: 8,
      mountPath: '/srv',
    });
  });

  it('describes nothing until a VM disk has a bus or a mount point a path', () => {
    expect(diskCreateChange(vm, { ...none, storage: 'tank' })).toBeNull();
    expect(diskCreateChange(ct, { ...none, storage: 'tank' })).toBeNull();
    expect(diskCreateChange(vm, { ...none, bus: 'scsi' })).toBeNull();
  });
});
