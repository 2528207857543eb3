import { describe, expect, it } from 'vitest';
import type { BackupVolume } from '../pve/api';
import { BackupSlots } from './backup-slots';
import { newestFirst, ownedBackups, toBackup, type BackupListing } from './backup-usage';

function volume(volid: string, vmid?: number): BackupVolume {
  return { volid, size: 1024, format: 'vma.zst', ...(vmid === undefined ? {} : { vmid }) };
}

const a100 = 'nas:backup/vzdump-qemu-100-2026_12_01-08_00_00.vma.zst';
const b100 = 'local:backup/vzdump-qemu-100-2026_12_02-08_00_00.vma.zst';
const c300 = 'local:backup/vzdump-qemu-300-2026_12_02-08_00_00.vma.zst';

describe('ownedBackups', () => {
  it('counts a volume of a shared storage once, however many nodes list it', () => {
    const listings: BackupListing[] = [
      { node: 'pve1', storage: 'nas', shared: true, volumes: [volume(a100, 100)] },
      { node: 'pve2', storage: 'nas', shared: true, volumes: [volume(a100, 100)] },
    ];

    expect(
      ownedBackups(listings, new Set([100])).map((b) => `${b.node} ${b.volume.volid}`),
    ).toEqual([`pve1 ${a100}`]);
  });

  it('counts the same name on two nodes of a local storage twice: they are two files', () => {
    const listings: BackupListing[] = [
      { node: 'pve1', storage: 'local', shared: false, volumes: [volume(b100, 100)] },
      { node: 'pve2', storage: 'local', shared: false, volumes: [volume(b100, 100)] },
    ];

    expect(ownedBackups(listings, new Set([100]))).toHaveLength(2);
  });

  it("counts only the given guests' backups, by PVE's vmid or else by the archive's name", () => {
    const listings: BackupListing[] = [
      {
        node: 'pve1',
        storage: 'local',
        shared: false,
        volumes: [volume(b100), volume(c300, 300), volume('local:backup/odd-name.vma')],
      },
    ];

    expect(ownedBackups(listings, new Set([100])).map((b) => b.vmid)).toEqual([100]);
  });
});

describe('toBackup and newestFirst', () => {
  it('turns PVE seconds into ms and falls back to the time in the name', () => {
    const listed = toBackup({
      storage: 'local',
      volume: { ...volume(b100, 100), ctime: 1_796_112_000, notes: '', protected: true },
    });
    const unnamed = toBackup({ storage: 'nas', volume: volume(a100, 100) });

    expect(listed).toEqual({
      volid: b100,
      storage: 'local',
      sizeBytes: 1024,
      createdAtMs: 1_796_112_000_000,
      notes: null,
      protected: true,
      format: 'vma.zst',
    });
    expect(unnamed.createdAtMs).toBe(Date.UTC(2026, 11, 1, 8, 0, 0));
    expect(newestFirst([unnamed, listed]).map((b) => b.volid)).toEqual([b100, a100]);
  });
});

describe('BackupSlots', () => {
  it('holds a slot per approved create and gives each back once', () => {
    const slots = new BackupSlots();
    const first = slots.hold('alice@pve');
    const second = slots.hold('alice@pve');

    first();
    first();

    expect(slots.pending('alice@pve')).toBe(1);
    expect(slots.pending('bob@pve')).toBe(0);
    second();
    expect(slots.pending('alice@pve')).toBe(0);
  });
});
