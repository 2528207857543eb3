import type { InstanceRef } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import type { GuestConfig } from '../pve/api-schemas';
import { usageDifference, type ResourceDelta } from '../quota/approve';
import type { UserLimits } from '../quota/limits';
import { computeUsage, type GuestForUsage } from '../quota/usage';
import { ownedBackups, readBackups, uncountedReason } from './backup-usage';
import { findOwnedGuest, type GuestResource } from './ownership';
import type { Planner } from './planner';

// The planner of `instance:destroy`. Destroying cannot be undone, so the guest is checked as PVE
// has it now, not as a warm usage snapshot last saw it: the guest list and its config are read
// afresh. A running, locked or protected guest is refused before anything is sent; PVE would
// refuse it too, but nothing irreversible should depend on a check made only on the far side.
// A guest with backups is refused as well, which PVE would not do: see refuseWithBackups.

/** What a destroy sends, and who asked for it (for the log). */
export interface DestroyPlan {
  ref: InstanceRef;
  userid: string;
}

/** Throws LOCKED or CONFLICT for a guest that may not be destroyed as it is. */
function refuseUndestroyable(ref: InstanceRef, row: GuestResource, config: GuestConfig): void {
  if (typeof config.lock === 'string' && config.lock !== '') {
    throw new AppError(
      'LOCKED',
      `Guest ${ref.vmid} is locked (${config.lock}); try again when the ${config.lock} has finished.`,
    );
  }
  // Paused and suspended guests still hold their memory and disks open, so only 'stopped' will do.
  if (row.status !== 'stopped') {
    throw new AppError(
      'CONFLICT',
      `Guest ${ref.vmid} is ${row.status ?? 'not stopped'}; stop it first, then destroy it.`,
    );
  }
  if (config.protection === 1 || config.protection === '1') {
    throw new AppError(
      'CONFLICT',
      `Guest ${ref.vmid} is protected against removal; turn protection off in PVE first.`,
    );
  }
}

/**
 * Throws CONFLICT while the guest has backups the user can see on its node, or while a backup
 * storage there cannot be read: the backups outlive the guest, still count and take space, but
 * once it is gone the user could no longer list or delete them.
 */
async function refuseWithBackups(api: PveApi, ref: InstanceRef): Promise<void> {
  const reading = await readBackups(api, [ref.node]);
  const uncounted = uncountedReason(reading);
  if (uncounted !== null) {
    throw new AppError(
      'CONFLICT',
      `Guest ${ref.vmid}'s backups cannot be checked (${uncounted}); try again later: a guest with backups cannot be destroyed, as you could no longer see or delete them once it is gone.`,
    );
  }
  const kept = ownedBackups(reading.listings, new Set([ref.vmid]));
  if (kept.length === 0) return;
  const where = [...new Set(kept.map((entry) => entry.storage))].sort().join(', ');
  const [noun, them, they] =
    kept.length === 1 ? ['backup', 'it', 'it'] : ['backups', 'them', 'they'];
  throw new AppError(
    'CONFLICT',
    `Guest ${ref.vmid} still has ${kept.length} ${noun} (${where}); delete ${them} first: once the guest is gone you could no longer see or delete ${them}, and ${they} would still take space.`,
  );
}

/** What the guest alone counts, as a change that frees it. */
function freedBy(limits: UserLimits, guest: GuestForUsage): ResourceDelta {
  return usageDifference(computeUsage(limits, [guest]), computeUsage(limits, []), guest.node);
}

/**
 * Destroying a guest the user owns, once it is stopped, unlocked and unprotected. It frees what
 * the guest counts; a decrease always passes the quota, and a held decrease frees nothing for
 * other changes until PVE has confirmed it (see usageWithPending).
 */
export function planDestroy(ref: InstanceRef): Planner<DestroyPlan> {
  return {
    plan: async ({ api, snapshot }) => {
      const { limits } = snapshot;
      const row = await findOwnedGuest(api, limits, ref);
      const config = await api.config(ref.node, ref.type, ref.vmid);
      refuseUndestroyable(ref, row, config);
      await refuseWithBackups(api, ref);
      const guest: GuestForUsage = {
        node: row.node,
        type: row.type,
        vmid: row.vmid,
        pool: row.pool ?? null,
        config,
        hostCores: row.maxcpu,
      };
      return { delta: freedBy(limits, guest), detail: { ref, userid: limits.userid } };
    },
  };
}
