import type { BackupCount } from '../../shared/backup-schemas';
import type { PveApi } from '../pve/api';
import { privilegesAt, type PrivilegeTree } from '../pve/own-permissions';
import { backupsBeingMade, type BackupSlots } from './backup-slots';
import {
  backupCountOf,
  backupOwners,
  readingOf,
  takeBackupCensus,
  uncountedReason,
  type BackupCensus,
  type BackupReading,
} from './backup-usage';

// The backup counts of the admin view. One census of the backup storages of every node that
// holds a counted guest serves all users, so an admin reading lists each storage of each node at
// most once however many users it shows. The admin's own account reads, and PVE lists a backup
// volume only to an account that may back up its guest (VM.Backup on the guest and
// Datastore.AllocateSpace on the storage) or that holds Datastore.Allocate on the storage; to
// anyone else the listing succeeds without it. So the counts are only taken as known where the
// account's privileges show it is shown every backup; elsewhere the count is not known, never 0.

/** What one admin reading knows of the backup storages and of the admin's privileges. */
export interface AdminBackupSight {
  census: BackupCensus;
  privileges: PrivilegeTree;
}

/** A user whose policy limits backups, with the guests of their pools the admin could read. */
export interface AdminBackupSubject {
  userid: string;
  limit: number;
  guests: ReadonlyArray<{
    node: string;
    vmid: number;
    pool: string | null;
    config: Readonly<Record<string, unknown>>;
  }>;
  unread: ReadonlyArray<{ node: string; vmid: number; pool: string | null }>;
}

/** Lists the backup storages of `nodes` and reads the admin's privileges, in parallel. */
export async function readAdminBackupSight(
  api: PveApi,
  nodes: readonly string[],
): Promise<AdminBackupSight> {
  const [census, privileges] = await Promise.all([
    takeBackupCensus(api, nodes),
    nodes.length === 0 ? Promise.resolve({}) : api.ownPermissions(),
  ]);
  return { census, privileges };
}

/** Whether the privileges show the account every backup of guest `vmid` on `storage`. */
function seesBackups(
  privileges: PrivilegeTree,
  storage: string,
  guest: { vmid: number; pool: string | null },
): boolean {
  const onStorage = privilegesAt(privileges, `/storage/${storage}`);
  if (onStorage.has('Datastore.Allocate')) return true;
  if (!onStorage.has('Datastore.AllocateSpace')) return false;
  const vmPath = `/vms/${guest.vmid}`;
  const onGuest = privilegesAt(privileges, vmPath);
  // A guest in a pool also gets what is held on the pool, where PVE does not list the guest itself.
  const onPool =
    guest.pool === null || Object.hasOwn(privileges, vmPath)
      ? new Set<string>()
      : privilegesAt(privileges, `/pool/${guest.pool}`);
  return onGuest.has('VM.Backup') || onPool.has('VM.Backup');
}

/**
 * Why the account may not be shown every backup the reading counts, or null when it is: each
 * listed storage, with the guests whose backups there PVE would leave out of the listing.
 */
export function unseenBackupsReason(
  privileges: PrivilegeTree,
  reading: BackupReading,
  guests: ReadonlyArray<{ vmid: number; pool: string | null }>,
): string | null {
  const storages = [...new Set(reading.listings.map((listing) => listing.storage))].sort();
  const unseen: string[] = [];
  for (const storage of storages) {
    const vmids = guests
      .filter((guest) => !seesBackups(privileges, storage, guest))
      .map((guest) => guest.vmid)
      .sort((a, b) => a - b);
    if (vmids.length === 0) continue;
    const noun = vmids.length === 1 ? 'guest' : 'guests';
    unseen.push(`${noun} ${[...new Set(vmids)].join(', ')} on ${storage}`);
  }
  if (unseen.length === 0) return null;
  return `your account may not see the backups of ${unseen.join(', ')} (PVE lists a backup only with VM.Backup on its guest and Datastore.AllocateSpace on the storage, or Datastore.Allocate on the storage)`;
}

/**
 * One user's backup count from the admin reading, as `backup:count` counts it: the backups of
 * the guests of their pools on the backup storages of those guests' nodes, plus the backups being
 * made, or not known with every reason.
 */
export function adminBackupCount(
  sight: AdminBackupSight,
  subject: AdminBackupSubject,
  slots: BackupSlots,
): BackupCount {
  const owners = backupOwners({ guests: subject.guests, usage: { unread: subject.unread } });
  const reading = readingOf(sight.census, owners.nodes);
  const beingMade = backupsBeingMade(slots, subject.userid, subject.guests);
  const everyGuest = [...subject.guests, ...subject.unread];
  const reasons = [
    uncountedReason(reading, subject.unread),
    unseenBackupsReason(sight.privileges, reading, everyGuest),
  ].filter((reason): reason is string => reason !== null);
  const uncounted = reasons.length === 0 ? null : reasons.join('; ');
  return backupCountOf(reading, owners, beingMade, subject.limit, uncounted);
}
