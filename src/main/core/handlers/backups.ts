import type { BackupCreatePlan } from '../backup-planners';
import { claimBackupSlot, planBackupCreate, planBackupDelete } from '../backup-planners';
import { backupSlotsOf } from '../backup-slots';
import { newestFirst, ownedBackups, readBackups, toBackup } from '../backup-usage';
import type { Backup } from '../../../shared/backup-schemas';
import type { HandlerGroup } from '../context';
import { ownedGuestIn } from '../ownership';
import type { PveApi } from '../../pve/api';
import type { BackupParams } from '../../pve/api';
import { commitClaimedChange, commitPricedChange, committedTask } from '../priced-commit';

/** The vzdump parameters of a planned backup. */
function vzdumpParams(plan: BackupCreatePlan): BackupParams {
  return {
    storage: plan.storage,
    mode: plan.mode,
    compress: 'zstd',
    remove: 0,
    ...(plan.notes === null ? {} : { 'notes-template': plan.notes }),
  };
}

/** The guest's newest backup on the storage, as read after the task; null if it cannot be read. */
async function newestBackup(api: PveApi, plan: BackupCreatePlan): Promise<Backup | null> {
  const { node, vmid } = plan.ref;
  try {
    const volumes = await api.backupVolumes(node, plan.storage, vmid);
    const backups = volumes.map((volume) => toBackup({ storage: plan.storage, volume }));
    return newestFirst(backups)[0] ?? null;
  } catch {
    // The backup is made; a failed read must not report it as failed.
    return null;
  }
}

/** Listing, making and deleting the backups of a user's guests, within the backup count. */
export const backupHandlers: HandlerGroup<'backup:list' | 'backup:create' | 'backup:delete'> = {
  'backup:list': async (input, context) => {
    const { api, userid } = await context.sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    const beingMade = backupSlotsOf(context.reservations).pending(userid);
    const snapshot = await context.quota.snapshot(api, userid);
    ownedGuestIn(snapshot.rows, snapshot.limits, ref);
    const vmids = new Set(snapshot.guests.map((guest) => guest.vmid));
    const reading = await readBackups(api, [...snapshot.guests.map((g) => g.node), ref.node]);
    const owned = ownedBackups(reading.listings, vmids);
    const backups = owned
      .filter((entry) => entry.vmid === ref.vmid && (entry.shared || entry.node === ref.node))
      .map(toBackup);
    const storages = (reading.storages.get(ref.node) ?? []).map((row) => ({
      storage: row.storage,
      shared: row.shared === true,
    }));
    return {
      backups: newestFirst(backups),
      storages,
      count: { used: owned.length + beingMade, limit: snapshot.limits.backups.max },
    };
  },

  'backup:create': async (input, context) => {
    const slots = backupSlotsOf(context.reservations);
    const { clusterId } = await context.sessions.api();
    const elevated = context.elevated.installed(clusterId) !== null;
    const outcome = await commitClaimedChange(context, {
      planner: planBackupCreate(input, slots, elevated),
      what: `back up guest ${input.vmid}`,
      claim: claimBackupSlot(slots),
      commit: ({ api, detail }) => ({
        task: () => {
          const { node, type, vmid } = detail.ref;
          context.log.info(`${detail.userid} backs up ${type} ${vmid} to ${detail.storage}`);
          return api.backupGuest(node, type, vmid, vzdumpParams(detail));
        },
        changed: `backed up ${input.vmid}`,
      }),
    });
    const task = committedTask(outcome);
    return { backup: await newestBackup(outcome.api, outcome.detail), task };
  },

  'backup:delete': async (input, context) => {
    const outcome = await commitPricedChange(context, {
      planner: planBackupDelete(input),
      what: `delete backup ${input.volid}`,
      commit: ({ api, detail }) => ({
        task: () => {
          const { node, type, vmid } = detail.ref;
          context.log.info(`${detail.userid} deletes backup ${detail.volid} of ${vmid}`);
          return api.deleteBackup(node, { type, vmid }, detail.storage, detail.volid);
        },
        changed: `deleted a backup of ${input.vmid}`,
      }),
    });
    return { volid: input.volid, task: committedTask(outcome) };
  },
};
