import type { BackupCreatePlan } from '../backup-planners';
import { claimBackupSlot, planBackupCreate, planBackupDelete } from '../backup-planners';
import { backupSlotsOf, backupsBeingMade } from '../backup-slots';
import {
  backupCountOf,
  backupOwners,
  newestFirst,
  ownedBackups,
  readBackups,
  toBackup,
  uncountedReason,
  type BackupReading,
  type ListedBackup,
} from '../backup-usage';
import type { Backup, BackupCount } from '../../../shared/backup-schemas';
import { AppError } from '../../../shared/errors';
import type { CoreContext, HandlerGroup } from '../context';
import { ownedGuestIn } from '../ownership';
import type { PveApi } from '../../pve/api';
import type { BackupParams } from '../../pve/api-schemas';
import { commitClaimedChange, commitPricedChange, committedTask } from '../priced-commit';
import { planningSetting } from '../pricing';
import type { UsageSnapshot } from '../quota-service';

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

// vzdump logs the archive it writes as `creating vzdump archive '<dump dir>/<file>'`; the file is
// the volume's name below `<storage>:backup/`.
const archiveLine = /^INFO: creating vzdump archive '(?:[^']*\/)?(vzdump-[^'/]+)'$/;

/** The archive file the backup task names in its log, or null when it names none. */
async function archiveOfTask(api: PveApi, node: string, upid: string): Promise<string | null> {
  const log = await api.taskLog(node, upid, 0);
  for (const line of log) {
    const match = archiveLine.exec(line.t);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

/**
 * The backup the task made, as listed after it; null if it cannot be read. It is found by the
 * archive its log names, not as the newest: a backup job of the lab may have added a later one.
 */
async function madeBackup(
  api: PveApi,
  plan: BackupCreatePlan,
  upid: string,
): Promise<Backup | null> {
  const { node, vmid } = plan.ref;
  try {
    const archive = await archiveOfTask(api, node, upid);
    if (archive === null) return null;
    const volid = `${plan.storage}:backup/${archive}`;
    const volumes = await api.backupVolumes(node, plan.storage, vmid);
    const volume = volumes.find((candidate) => candidate.volid === volid);
    return volume === undefined ? null : toBackup({ storage: plan.storage, volume });
  } catch {
    // The backup is made; a failed read must not report it as failed.
    return null;
  }
}

// The user's read-only account, which reads in elevated mode, is not shown backups (that takes
// VM.Backup), so a count read with it would say 0 whatever is kept.
const elevatedUncounted =
  'changes are committed with the lab token, and your own account may not see your backups';

/** The signed-in user's snapshot, and whether changes go out with the lab token. */
async function backupSession(
  context: CoreContext,
): Promise<{ api: PveApi; userid: string; elevated: boolean; snapshot: UsageSnapshot }> {
  const { api, userid, clusterId } = await context.sessions.api();
  const elevated = context.elevated.installed(clusterId) !== null;
  return { api, userid, elevated, snapshot: await context.quota.snapshot(api, userid) };
}

/**
 * Reads the backup storages of the nodes of the user's guests (and `alsoNode`) and counts the
 * user's backups against the limit, as pricing counts them (backup-planners.ts): the backups being
 * made are taken before the storages are read, so one that ends meanwhile is counted at least once.
 */
async function countBackups(
  context: CoreContext,
  session: Awaited<ReturnType<typeof backupSession>>,
  alsoNode?: string,
): Promise<{ reading: BackupReading; owned: ListedBackup[]; count: BackupCount }> {
  const { api, userid, elevated, snapshot } = session;
  const beingMade = backupsBeingMade(backupSlotsOf(context.reservations), userid, snapshot.guests);
  const { vmids, nodes } = backupOwners(snapshot);
  const reading = await readBackups(api, alsoNode === undefined ? nodes : [...nodes, alsoNode]);
  const owned = ownedBackups(reading.listings, vmids);
  const limit = snapshot.limits.backups.max;
  const uncounted = elevated ? elevatedUncounted : uncountedReason(reading, snapshot.usage.unread);
  const count = backupCountOf(reading, { vmids }, beingMade, limit, uncounted);
  return { reading, owned, count };
}

/** Listing, making and deleting the backups of a user's guests, within the backup count. */
export const backupHandlers: HandlerGroup<
  'backup:count' | 'backup:list' | 'backup:create' | 'backup:delete'
> = {
  'backup:count': async (_input, context) =>
    (await countBackups(context, await backupSession(context))).count,

  'backup:list': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    const session = await backupSession(context);
    ownedGuestIn(session.snapshot.rows, session.snapshot.limits, ref);
    const { reading, owned, count } = await countBackups(context, session, ref.node);
    if (reading.unreached.includes(ref.node)) {
      throw new AppError(
        'PVE_UNREACHABLE',
        `The backups of guest ${ref.vmid} cannot be listed: PVE cannot reach ${ref.node} now.`,
      );
    }
    const backups = owned
      .filter((entry) => entry.vmid === ref.vmid && (entry.shared || entry.node === ref.node))
      .map(toBackup);
    const storages = (reading.storages.get(ref.node) ?? []).map((row) => ({
      storage: row.storage,
      shared: row.shared === true,
    }));
    return { backups: newestFirst(backups), storages, count };
  },

  'backup:create': async (input, context) => {
    // The same planner `quota:preview` prices a backup with (pricing.ts).
    const { backupSlots, elevated } = planningSetting(context);
    const outcome = await commitClaimedChange(context, {
      planner: planBackupCreate(input, backupSlots, elevated),
      what: `back up guest ${input.vmid}`,
      claim: claimBackupSlot(backupSlots),
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
    return { backup: await madeBackup(outcome.api, outcome.detail, task.upid), task };
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
