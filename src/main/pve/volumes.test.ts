import { describe, expect, it } from 'vitest';
import { GiB, KiB, MiB, TiB } from '../../shared/units';
import { parseGuestVolumes, storageOfVolume, type GuestVolume } from './volumes';

function disk(partial: Partial<GuestVolume> & Pick<GuestVolume, 'key' | 'volume'>): GuestVolume {
  return {
    bus: partial.key.replace(/\d+$/, '') as GuestVolume['bus'],
    storage: null,
    sizeBytes: null,
    kind: 'disk',
    mountPath: null,
    ...partial,
  };
}

describe('storageOfVolume', () => {
  it.each([
    ['local-lvm:vm-100-disk-0', 'local-lvm'],
    ['local:iso/debian-12.iso', 'local'],
    ['tank:subvol-200-disk-0', 'tank'],
    ['ceph.pool_1:base-900-disk-0/vm-101-disk-0', 'ceph.pool_1'],
    ['/mnt/data', null],
    ['/dev/disk/by-id/ata-XYZ', null],
    ['none', null],
    ['cdrom', null],
    [':vm-100-disk-0', null],
    ['9bad:vm-100-disk-0', null],
  ])('finds the storage of %s: %s', (volume, storage) => {
    expect(storageOfVolume(volume)).toBe(storage);
  });
});

describe('parseGuestVolumes for qemu', () => {
  it('reads disks on every bus with sizes in K, M, G, T and bare bytes', () => {
    const config = {
      name: 'web',
      cores: 2,
      scsi0: 'local-lvm:vm-100-disk-0,iothread=1,size=32G,ssd=1',
      efidisk0: 'local-lvm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=528K',
      tpmstate0: 'local-lvm:vm-100-disk-2,size=4M,version=v2.0',
      virtio1: 'file=tank:vm-100-disk-3,size=1T',
      sata0: 'tank:vm-100-disk-4,size=1048576',
      ide0: 'local-lvm:vm-100-disk-5,size=1.5G',
      net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0',
    };

    const { volumes, problems } = parseGuestVolumes('qemu', config);

    expect(problems).toEqual([]);
    expect(volumes).toEqual([
      disk({
        key: 'efidisk0',
        volume: 'local-lvm:vm-100-disk-1',
        storage: 'local-lvm',
        sizeBytes: 528 * KiB,
      }),
      disk({
        key: 'ide0',
        volume: 'local-lvm:vm-100-disk-5',
        storage: 'local-lvm',
        sizeBytes: 1.5 * GiB,
      }),
      disk({ key: 'sata0', volume: 'tank:vm-100-disk-4', storage: 'tank', sizeBytes: MiB }),
      disk({
        key: 'scsi0',
        volume: 'local-lvm:vm-100-disk-0',
        storage: 'local-lvm',
        sizeBytes: 32 * GiB,
      }),
      disk({
        key: 'tpmstate0',
        volume: 'local-lvm:vm-100-disk-2',
        storage: 'local-lvm',
        sizeBytes: 4 * MiB,
      }),
      disk({ key: 'virtio1', volume: 'tank:vm-100-disk-3', storage: 'tank', sizeBytes: TiB }),
    ]);
  });

  it('reads CD-ROM drives, an empty drive and the physical drive', () => {
    const config = {
      ide2: 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M',
      ide0: 'none,media=cdrom',
      sata1: 'cdrom,media=cdrom',
    };

    const { volumes, problems } = parseGuestVolumes('qemu', config);

    expect(problems).toEqual([]);
    expect(volumes).toEqual([
      disk({ key: 'ide0', volume: 'none', kind: 'empty' }),
      disk({
        key: 'ide2',
        volume: 'local:iso/debian-12.7.0-amd64-netinst.iso',
        storage: 'local',
        sizeBytes: 631 * MiB,
        kind: 'cdrom',
      }),
      disk({ key: 'sata1', volume: 'cdrom', kind: 'cdrom' }),
    ]);
  });

  it('reads unused volumes, bare or as a property string', () => {
    const config = { unused0: 'local-lvm:vm-101-disk-2', unused12: 'file=tank:vm-101-disk-3' };

    const { volumes } = parseGuestVolumes('qemu', config);

    expect(volumes).toEqual([
      disk({
        key: 'unused0',
        volume: 'local-lvm:vm-101-disk-2',
        storage: 'local-lvm',
        kind: 'unused',
      }),
      disk({ key: 'unused12', volume: 'tank:vm-101-disk-3', storage: 'tank', kind: 'unused' }),
    ]);
  });

  it('leaves the size null when the config has no size=', () => {
    const { volumes } = parseGuestVolumes('qemu', { scsi1: 'local-lvm:vm-100-disk-7,discard=on' });

    expect(volumes[0]?.sizeBytes).toBeNull();
  });

  it('reads a passthrough disk as a disk on no storage', () => {
    const { volumes } = parseGuestVolumes('qemu', { scsi3: '/dev/disk/by-id/ata-ST4000,size=4T' });

    expect(volumes).toEqual([
      disk({ key: 'scsi3', volume: '/dev/disk/by-id/ata-ST4000', sizeBytes: 4 * TiB }),
    ]);
  });

  it('turns a broken key into a problem and still reads the good ones', () => {
    const config = {
      scsi0: 'local-lvm:vm-100-disk-0,size=32G',
      scsi1: 'local-lvm:vm-100-disk-1,size=12GB',
      scsi2: 'local-lvm:vm-100-disk-2,size=1G,size=2G',
      virtio0: 'local-lvm:32',
      sata2: 42,
      ide1: 'local-lvm:vm-100-disk-3,media=floppy',
      ide3: 'size=8G',
      unused1: 'nonsense',
    };

    const { volumes, problems } = parseGuestVolumes('qemu', config);

    expect(volumes.map((v) => v.key)).toEqual(['scsi0']);
    expect(problems.map((p) => p.key)).toEqual([
      'ide1',
      'ide3',
      'sata2',
      'scsi1',
      'scsi2',
      'unused1',
      'virtio0',
    ]);
    expect(problems.find((p) => p.key === 'scsi1')?.reason).toMatch(
      /"12GB" is not a PVE disk size/,
    );
    expect(problems.find((p) => p.key === 'scsi2')?.reason).toMatch(
      /"size" appears more than once/,
    );
    expect(problems.find((p) => p.key === 'virtio0')?.reason).toMatch(/request to allocate/);
    expect(problems.find((p) => p.key === 'sata2')?.reason).toBe('expected a property string');
    expect(problems.find((p) => p.key === 'ide3')?.reason).toBe('names no volume');
  });

  it('ignores keys that are not volume slots, and lxc-only keys', () => {
    const config = {
      scsi31: 'local-lvm:vm-1,size=1G',
      rootfs: 'local-lvm:vm-1,size=1G',
      digest: 'x',
    };

    expect(parseGuestVolumes('qemu', config)).toEqual({ volumes: [], problems: [] });
  });

  it('gives the same result whatever the order of the config keys', () => {
    const forward = {
      scsi10: 'tank:vm-1-disk-1,size=1G',
      scsi2: 'tank:vm-1-disk-2,size=2G',
      ide2: 'none',
    };
    const backward = {
      ide2: 'none',
      scsi2: 'tank:vm-1-disk-2,size=2G',
      scsi10: 'tank:vm-1-disk-1,size=1G',
    };

    const result = parseGuestVolumes('qemu', forward);

    expect(result).toEqual(parseGuestVolumes('qemu', backward));
    expect(result.volumes.map((v) => v.key)).toEqual(['ide2', 'scsi2', 'scsi10']);
  });
});

describe('parseGuestVolumes for lxc', () => {
  it('reads the rootfs, volume mount points and bind mounts', () => {
    const config = {
      hostname: 'ct200',
      rootfs: 'local-lvm:vm-200-disk-0,size=8G',
      mp0: 'tank:subvol-200-disk-1,mp=/srv/data,backup=1,size=20G',
      mp1: '/mnt/shared/datasets,mp=/datasets,ro=1',
      mp2: 'volume=/dev/sdb1,mp=/mnt/raw',
      unused0: 'local-lvm:vm-200-disk-2',
    };

    const { volumes, problems } = parseGuestVolumes('lxc', config);

    expect(problems).toEqual([]);
    expect(volumes).toEqual([
      disk({
        key: 'mp0',
        volume: 'tank:subvol-200-disk-1',
        storage: 'tank',
        sizeBytes: 20 * GiB,
        mountPath: '/srv/data',
      }),
      disk({ key: 'mp1', volume: '/mnt/shared/datasets', kind: 'bind', mountPath: '/datasets' }),
      disk({ key: 'mp2', volume: '/dev/sdb1', kind: 'bind', mountPath: '/mnt/raw' }),
      disk({
        key: 'rootfs',
        volume: 'local-lvm:vm-200-disk-0',
        storage: 'local-lvm',
        sizeBytes: 8 * GiB,
        mountPath: '/',
      }),
      disk({
        key: 'unused0',
        volume: 'local-lvm:vm-200-disk-2',
        storage: 'local-lvm',
        kind: 'unused',
      }),
    ]);
  });

  it('reports a mount point without a path and a creation request, and keeps the rest', () => {
    const config = {
      rootfs: 'local-lvm:vm-200-disk-0,size=8G',
      mp0: 'tank:subvol-200-disk-1,size=20G',
      mp1: 'tank:8,mp=/new',
      mp256: 'tank:subvol-200-disk-9,mp=/x',
    };

    const { volumes, problems } = parseGuestVolumes('lxc', config);

    expect(volumes.map((v) => v.key)).toEqual(['rootfs']);
    expect(problems).toEqual([
      { key: 'mp0', reason: 'has no mount path (mp=)' },
      { key: 'mp1', reason: '"tank:8" is a request to allocate a volume, not an existing volume' },
    ]);
  });

  it('ignores qemu disk keys in a container config', () => {
    expect(parseGuestVolumes('lxc', { scsi0: 'local-lvm:vm-1,size=1G' }).volumes).toEqual([]);
  });
});
