import { describe, expect, it } from 'vitest';
import { readDisk, withDiskSize } from './disks.js';
import { parsePropertyString, printPropertyString } from './property-string.js';
import { formatSize, parseSizeBytes, parseSizeChange } from './sizes.js';

describe('sizes', () => {
  it('parses PVE sizes into bytes, a bare number being bytes', () => {
    expect(parseSizeBytes('32G')).toBe(32 * 1024 ** 3);
    expect(parseSizeBytes('528K')).toBe(540672);
    expect(parseSizeBytes('1.5T')).toBe(1.5 * 1024 ** 4);
    expect(parseSizeBytes('4096')).toBe(4096);
  });

  it('refuses malformed sizes', () => {
    expect(parseSizeBytes('abc')).toBeNull();
    expect(parseSizeBytes('-1G')).toBeNull();
    expect(parseSizeBytes('1GB')).toBeNull();
    expect(parseSizeBytes('')).toBeNull();
  });

  it('reads relative and absolute resize sizes', () => {
    expect(parseSizeChange('+2G')).toEqual({ relative: true, bytes: 2 * 1024 ** 3 });
    expect(parseSizeChange('40G')).toEqual({ relative: false, bytes: 40 * 1024 ** 3 });
    expect(parseSizeChange('+abc')).toBeNull();
  });

  it('prints sizes in the largest unit that divides evenly', () => {
    expect(formatSize(1024 ** 4)).toBe('1T');
    expect(formatSize(34 * 1024 ** 3)).toBe('34G');
    expect(formatSize(631 * 1024 ** 2)).toBe('631M');
    expect(formatSize(1552 * 1024)).toBe('1552K');
    expect(formatSize(1000)).toBe('1000');
    expect(() => formatSize(-1)).toThrow(RangeError);
  });
});

describe('property strings', () => {
  it('reads the bare item as the default key and keeps the order', () => {
    const map = parsePropertyString('local-lvm:vm-100-disk-0,size=32G,iothread=1', 'file');

    expect([...(map ?? [])]).toEqual([
      ['file', 'local-lvm:vm-100-disk-0'],
      ['size', '32G'],
      ['iothread', '1'],
    ]);
  });

  it('refuses repeated keys and bare items without a default key', () => {
    expect(parsePropertyString('size=1G,size=2G', 'file')).toBeNull();
    expect(parsePropertyString('eth0,bridge=vmbr0', null)).toBeNull();
  });

  it('prints the default value first and the other keys in order', () => {
    const map = new Map([
      ['size', '34G'],
      ['iothread', '1'],
      ['file', 'local-lvm:vm-101-disk-1'],
    ]);

    expect(printPropertyString(map, 'file')).toBe('local-lvm:vm-101-disk-1,iothread=1,size=34G');
  });
});

describe('disk entries', () => {
  it('tells volumes, CD drives and bind mounts apart', () => {
    const volume = readDisk('qemu', 'scsi0', 'local-lvm:vm-100-disk-0,size=32G');
    const cdrom = readDisk(
      'qemu',
      'ide2',
      'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M',
    );
    const bind = readDisk('lxc', 'mp1', '/srv/lab-share,mp=/share');
    const unused = readDisk('qemu', 'unused0', 'local-lvm:vm-101-disk-2');

    expect(volume).toMatchObject({
      storage: 'local-lvm',
      volid: 'local-lvm:vm-100-disk-0',
      sizeBytes: 32 * 1024 ** 3,
      cdrom: false,
    });
    expect(cdrom).toMatchObject({ storage: 'local', cdrom: true });
    expect(bind).toMatchObject({ storage: null, volid: null, bindMount: true, sizeBytes: null });
    expect(unused).toMatchObject({ volid: 'local-lvm:vm-101-disk-2', sizeBytes: null });
    expect(readDisk('qemu', 'scsi0', 'local-lvm:vm-100-disk-0,size=lots')).toBeNull();
  });

  it('rewrites the size of a container mount point as PVE prints it', () => {
    const disk = readDisk('lxc', 'mp0', 'tank:vm-200-disk-1,mp=/data,size=20G');
    if (!disk) throw new Error('disk not read');

    expect(withDiskSize(disk, 'lxc', 24 * 1024 ** 3)).toBe('tank:vm-200-disk-1,mp=/data,size=24G');
  });
});
