import type { InstanceRef } from '../../shared/contract';
import {
  parseBackupVolid,
  type BackupCreateInput,
  type BackupDeleteInput,
  type BackupMode,
} from '../../shared/backup-schemas';
import { AppError } from '../../shared/errors';
import type { NodeStorage } from '../pve/api-schemas';
import { backupsBeingMade, type BackupSlots } from './backup-slots';
import {
  backupOwners,
  ownedBackups,
  readBackups,
  uncountedReason,
  type ListedBackup,
} from './backup-usage';
import { changeableGuest, ownedGuestIn } from './ownership';
import type { Approved, Claim } from './priced-commit';
import type { Planner } from './planner';

// The planners of backup:create and backup:delete, on the priced path every change takes. A
// backup costs nothing the usage snapshot counts; it costs one of the policy's `backups.max`.
// The planner counts the user's backups, slots held by creates still running first (a slot given
// back meanwhile has its volume on the storage by then, so it is counted once, never missed), and
// the plan's `backupCount` asks pricing for one more: under the user's lock when the operation
// commits, without it for `quota:preview`. Only the claim, made after approval, holds a slot.

/** What a backup:create sends, and the count it was priced on. */
export interface BackupCreatePlan {
  ref: InstanceRef;
  userid: string;
  storage: string;
  mode: BackupMode;
  notes: string | null;
}

/** What a backup:delete sends. */
export interface BackupDeletePlan {
  ref: InstanceRef;
  userid: string;
  storage: string;
  volid: string;
}

function refOf(input: InstanceRef): InstanceRef {
  return { node: input.node, type: input.type, vmid: input.vmid };
}

/** The node's storage that takes backups and that the user may use; INVALID_INPUT otherwise. */
function backupStorage(rows: readonly NodeStorage[] | undefined, node: string, id: string): void {
  if (rows?.some((row) => row.storage === id) === true) return;
  const offered = (rows ?? []).map((row) => row.storage).join(', ') || 'none';
  const why = `${id} is not a backup storage you may use on ${node} (offered: ${offered})`;
  throw new AppError('INVALID_INPUT', `storage: ${why}`, { fields: { storage: why } });
}

/**
 * Backing up a guest the user owns that is not locked, to a backup storage of its node. When
 * `elevated` says so, changes go out with a lab token while reads use the user's own account, which
 * PVE does not show backups to (that takes VM.Backup): the count cannot be read, so a limited
 * count refuses (QUOTA_UNDEFINED) rather than let every backup through. So does a backup storage
 * that is enabled but not active, whose backups cannot be listed.
 */
export function planBackupCreate(
  input: BackupCreateInput,
  slots: BackupSlots,
  elevated: () => Promise<boolean>,
): Planner<BackupCreatePlan> {
  const ref = refOf(input);
  const notes = input.notes === undefined || input.notes === '' ? null : input.notes;
  return {
    plan: async (reading) => {
      const { snapshot, api } = reading;
      changeableGuest(snapshot, ref);
      const userid = snapshot.limits.userid;
      const limit = snapshot.limits.backups.max;
      if (limit !== null && (await elevated())) {
        throw new AppError(
          'QUOTA_UNDEFINED',
          'Your backups cannot be counted against your backup limit while changes are committed with the lab token: your own account may not see them. Ask the lab admin.',
        );
      }
      // Read before the storages, so a create that ends meanwhile is counted (twice at worst).
      const beingMade = backupsBeingMade(slots, userid, snapshot.guests);
      const owned = backupOwners(snapshot);
      const backups = await readBackups(api, [...owned.nodes, ref.node]);
      if (backups.unreached.includes(ref.node)) {
        throw new AppError(
          'PVE_UNREACHABLE',
          `Guest ${ref.vmid} cannot be backed up now: PVE cannot reach ${ref.node}.`,
        );
      }
      const inactive = backups.inactive.some(
        (entry) => entry.storage === input.storage && (entry.shared || entry.node === ref.node),
      );
      if (inactive) {
        const why = `${input.storage} is not active on ${ref.node}, so no backup can go there now`;
        throw new AppError('INVALID_INPUT', `storage: ${why}`, { fields: { storage: why } });
      }
      backupStorage(backups.storages.get(ref.node), ref.node, input.storage);
      const uncounted = uncountedReason(backups, snapshot.usage.unread);
      if (uncounted !== null && limit !== null) {
        throw new AppError(
          'QUOTA_UNDEFINED',
          `Your backups cannot be counted against your backup limit: ${uncounted}. Try again later, or ask the lab admin.`,
        );
      }
      const kept = ownedBackups(backups.listings, owned.vmids).length;
      const { storage, mode } = input;
      const detail: BackupCreatePlan = { ref, userid, storage, mode, notes };
      const backupCount = { used: kept + beingMade, requested: 1 };
      return { delta: { node: ref.node }, detail, backupCount };
    },
  };
}

/**
 * The claim of an approved backup:create, whose count pricing approved under the user's lock: a
 * slot held until the task's outcome is certain, so creates priced meanwhile count this one.
 */
export function claimBackupSlot(
  slots: BackupSlots,
): (approved: Approved<BackupCreatePlan>) => Promise<Claim<BackupCreatePlan>> {
  return ({ detail }) =>
    Promise.resolve({ detail, release: slots.hold(detail.userid, detail.ref.vmid) });
}

/** Throws INVALID_INPUT unless the volume id names a backup of the guest asked about. */
function checkBackupOf(ref: InstanceRef, volid: string): string {
  const parsed = parseBackupVolid(volid);
  if (parsed === null || parsed.type !== ref.type || parsed.vmid !== ref.vmid) {
    const why = `${volid} is not a backup of ${ref.type} ${ref.vmid}`;
    throw new AppError('INVALID_INPUT', `volid: ${why}`, { fields: { volid: why } });
  }
  return parsed.storage;
}

/** The listed backup with this volume id on the guest's node; NOT_FOUND when it is not there. */
function findListed(
  listed: readonly ListedBackup[],
  ref: InstanceRef,
  volid: string,
): ListedBackup {
  const found = listed.find(
    (entry) =>
      entry.volume.volid === volid &&
      entry.vmid === ref.vmid &&
      (entry.shared || entry.node === ref.node),
  );
  if (found === undefined) {
    throw new AppError('NOT_FOUND', `Guest ${ref.vmid} has no backup ${volid} on ${ref.node}.`);
  }
  return found;
}

/**
 * Deleting one backup of a guest the user owns, as it is listed now; a protected one is refused
 * before anything is sent. Freeing always passes the quota.
 */
export function planBackupDelete(input: BackupDeleteInput): Planner<BackupDeletePlan> {
  const ref = refOf(input);
  // Refused before anything is read: a volume id that is not this guest's backup.
  const storage = checkBackupOf(ref, input.volid);
  return {
    plan: async ({ api, snapshot }) => {
      ownedGuestIn(snapshot.rows, snapshot.limits, ref);
      const rows = await api.nodeStorages(ref.node, 'backup');
      const row = rows.find((candidate) => candidate.storage === storage);
      if (row === undefined) backupStorage(rows, ref.node, storage);
      const volumes = await api.backupVolumes(ref.node, storage, ref.vmid);
      const listing = { node: ref.node, storage, shared: row?.shared === true, volumes };
      const found = findListed(ownedBackups([listing], new Set([ref.vmid])), ref, input.volid);
      if (found.volume.protected === true) {
        throw new AppError(
          'CONFLICT',
          `Backup ${input.volid} is protected against removal; remove the protection in PVE first.`,
        );
      }
      const detail = { ref, userid: snapshot.limits.userid, storage, volid: input.volid };
      return { delta: { node: ref.node }, detail };
    },
  };
}
