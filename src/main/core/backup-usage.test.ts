import { describe, expect, it } from 'vitest';
import type { PveApi } from '../pve/api';
import type { BackupVolume, NodeStorage } from '../pve/api-schemas';
import { BackupSlots } from './backup-slots';
import {
  newestFirst,
  ownedBackups,
  readBackups,
  toBackup,
  uncountedReason,
  type BackupListing,
} from './backup-usage';

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
    const first = slots.hold('alice@pve', 100);
    const second = slots.hold('alice@pve', 100);

    first();
    first();

    expect(slots.pending('alice@pve')).toBe(1);
    expect(slots.pending('bob@pve')).toBe(0);
    second();
    expect(slots.pending('alice@pve')).toBe(0);
  });
});

describe('readBackups', () => {
  /** An api whose nodes list `rows`, recording which storage contents were read. */
  function fakeApi(rows: Record<string, NodeStorage[]>, read: string[]): PveApi {
    return {
      nodeStorages: async (node: string) => rows[node] ?? [],
      backupVolumes: async (node: string, storage: string) => {
        read.push(`${node} ${storage}`);
        return [];
      },
    } as unknown as PveApi;
  }
  const nas = (active: boolean): NodeStorage => ({
    storage: 'nas',
    content: 'backup',
    shared: true,
    active,
    enabled: true,
  });

  it('lists a shared storage where it is active, and reads nothing of an inactive one', async () => {
    const read: string[] = [];
    const local = { storage: 'local', content: 'iso,backup', shared: false, active: false };
    const api = fakeApi({ pve1: [nas(false), local], pve2: [nas(true)] }, read);

    const reading = await readBackups(api, ['pve2', 'pve1']);

    expect(read).toEqual(['pve2 nas']);
    expect(reading.inactive).toEqual([{ node: 'pve1', storage: 'local', shared: false }]);
    expect(reading.storages.get('pve1')).toEqual([]);
    expect(uncountedReason(reading)).toBe(
      'backup storage local on pve1 is not active, so the backups there cannot be read',
    );
  });

  it('names every inactive storage, a shared one once, and leaves a disabled one out', async () => {
    const read: string[] = [];
    const off = { storage: 'old', content: 'backup', shared: false, active: false, enabled: false };
    const local = { storage: 'local', content: 'backup', shared: false, active: false };
    const api = fakeApi({ pve1: [nas(false), off], pve2: [nas(false), local] }, read);

    const reading = await readBackups(api, ['pve1', 'pve2']);

    expect(read).toEqual([]);
    expect(uncountedReason(reading)).toBe(
      'backup storages nas, local on pve2 are not active, so the backups there cannot be read',
    );
  });

  it('counts when every backup storage is active', async () => {
    const api = fakeApi({ pve1: [nas(true)] }, []);

    expect(uncountedReason(await readBackups(api, ['pve1']))).toBeNull();
  });
});
