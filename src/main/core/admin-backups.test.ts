import { describe, expect, it } from 'vitest';
import type { BackupVolume, NodeStorage } from '../pve/api-schemas';
import type { PrivilegeTree } from '../pve/own-permissions';
import { adminBackupCount, unseenBackupsReason, type AdminBackupSight } from './admin-backups';
import { BackupSlots } from './backup-slots';
import type { BackupCensus } from './backup-usage';

const local: NodeStorage = { storage: 'local', content: 'backup', shared: false, active: true };

function backup(vmid: number, stamp: string): BackupVolume {
  return {
    volid: `local:backup/vzdump-qemu-${vmid}-2026_12_01-${stamp}.vma.zst`,
    vmid,
    size: 1024,
    format: 'vma.zst',
  };
}

/** A census of pve1 and pve2, each with a local backup storage holding `volumes`. */
function census(volumes: { pve1: BackupVolume[]; pve2: BackupVolume[] }): BackupCensus {
  return {
    offered: new Map([
      ['pve1', [local]],
      ['pve2', [local]],
    ]),
    unreached: new Set(),
    listed: new Map([
      ['pve1\u0000local', { node: 'pve1', volumes: volumes.pve1 }],
      ['pve2\u0000local', { node: 'pve2', volumes: volumes.pve2 }],
    ]),
  };
}

const allowed: PrivilegeTree = {
  '/storage': { 'Datastore.AllocateSpace': 1 },
  '/vms': { 'VM.Backup': 1 },
};
const guest = (node: string, vmid: number, config: Record<string, unknown> = {}) =>
  ({ node, vmid, pool: 'alice', config }) as const;

describe('adminBackupCount', () => {
  const sight: AdminBackupSight = {
    census: census({
      pve1: [backup(100, '08_00_00'), backup(100, '09_00_00'), backup(300, '08_00_00')],
      pve2: [backup(101, '08_00_00')],
    }),
    privileges: allowed,
  };

  it("counts the backups of the user's guests on their nodes, plus one a lab job is making", () => {
    const subject = {
      userid: 'alice@pve',
      limit: 2,
      guests: [guest('pve1', 100), guest('pve2', 101, { lock: 'backup' })],
      unread: [],
    };

    expect(adminBackupCount(sight, subject, new BackupSlots())).toEqual({
      used: 4,
      limit: 2,
      reason: null,
    });
  });

  it('reads only the nodes of the user, so a node of others that is down does not matter', () => {
    const down: AdminBackupSight = {
      ...sight,
      census: { ...sight.census, unreached: new Set(['pve2']) },
    };
    const subject = { userid: 'bob@pve', limit: 5, guests: [guest('pve1', 300)], unread: [] };

    expect(adminBackupCount(down, subject, new BackupSlots())).toEqual({
      used: 1,
      limit: 5,
      reason: null,
    });
  });

  it('is not known with the reason when a guest of the user is on a node PVE cannot reach', () => {
    const down: AdminBackupSight = {
      ...sight,
      census: { ...sight.census, unreached: new Set(['pve2']) },
    };
    const subject = {
      userid: 'alice@pve',
      limit: 2,
      guests: [guest('pve1', 100)],
      unread: [{ node: 'pve2', vmid: 101, pool: 'alice' }],
    };

    expect(adminBackupCount(down, subject, new BackupSlots())).toEqual({
      used: null,
      limit: 2,
      reason:
        'guest 101 on pve2 could not be read, so a backup being made of it cannot be seen; PVE cannot reach pve2, so the backups kept there cannot be read',
    });
  });

  it('is not known, never 0, when the account may not be shown the backups', () => {
    const auditor: AdminBackupSight = {
      ...sight,
      privileges: { '/': { 'Sys.Audit': 1 }, '/storage': { 'Datastore.Audit': 1 } },
    };
    const subject = { userid: 'bob@pve', limit: 5, guests: [guest('pve1', 300)], unread: [] };

    expect(adminBackupCount(auditor, subject, new BackupSlots())).toEqual({
      used: null,
      limit: 5,
      reason:
        'your account may not see the backups of guest 300 on local (PVE lists a backup only with VM.Backup on its guest and Datastore.AllocateSpace on the storage, or Datastore.Allocate on the storage)',
    });
  });
});

describe('unseenBackupsReason', () => {
  const reading = {
    storages: new Map(),
    listings: [
      { node: 'pve1', storage: 'local', shared: false, volumes: [] },
      { node: 'pve1', storage: 'nas', shared: true, volumes: [] },
    ],
    inactive: [],
    unreached: [],
  };
  const guests = [
    { vmid: 101, pool: 'alice' },
    { vmid: 100, pool: null },
  ];

  it('takes Datastore.Allocate on a storage as seeing every backup there', () => {
    const tree: PrivilegeTree = {
      '/storage': { 'Datastore.Allocate': 1 },
    };

    expect(unseenBackupsReason(tree, reading, guests)).toBeNull();
  });

  it('takes VM.Backup held on the pool of a guest PVE does not list by itself', () => {
    const tree: PrivilegeTree = {
      '/storage': { 'Datastore.AllocateSpace': 1 },
      '/pool/alice': { 'VM.Backup': 1 },
    };

    expect(unseenBackupsReason(tree, reading, guests)).toBe(
      'your account may not see the backups of guest 100 on local, guest 100 on nas (PVE lists a backup only with VM.Backup on its guest and Datastore.AllocateSpace on the storage, or Datastore.Allocate on the storage)',
    );
  });

  it('names every guest of a storage it may not list backups of at all', () => {
    const tree: PrivilegeTree = {
      '/storage/local': { 'Datastore.Audit': 1 },
      '/storage/nas': { 'Datastore.Allocate': 1 },
      '/vms': { 'VM.Backup': 1 },
    };

    expect(unseenBackupsReason(tree, reading, guests)).toBe(
      'your account may not see the backups of guests 100, 101 on local (PVE lists a backup only with VM.Backup on its guest and Datastore.AllocateSpace on the storage, or Datastore.Allocate on the storage)',
    );
  });
});
