import type { BackupCount, BackupMode } from '../../../shared/backup-schemas';
import { taskTimeLabel } from '../tasks/task-labels';

// Wording of the backups panel, kept apart from the components so it can be tested.

/** When a backup was made, in the user's locale and time zone, as the task table shows times. */
export function backupDateText(createdAtMs: number): string {
  if (!Number.isFinite(createdAtMs) || createdAtMs <= 0) return 'unknown';
  return taskTimeLabel(createdAtMs / 1000);
}

/** The file name part of a backup's volume id: `vzdump-qemu-100-…vma.zst`. */
export function backupFileName(volid: string): string {
  const slash = volid.lastIndexOf('/');
  return slash === -1 ? volid : volid.slice(slash + 1);
}

/** The user's backup count against the policy, in words. */
export function backupCountText(count: BackupCount): string {
  if (count.used === null) return `Backups: cannot be counted — ${count.reason}.`;
  const noun = count.used === 1 ? 'backup' : 'backups';
  if (count.limit === null) return `${count.used} ${noun} kept across your guests; no limit.`;
  const left = Math.max(0, count.limit - count.used);
  return `${count.used} of ${count.limit} backups kept across your guests; ${left} left.`;
}

/**
 * Why "Back up now" cannot be confirmed, or null when it can: the count is used up, or it cannot
 * be read under a limit (main refuses such a backup, as it could not tell whether it fits).
 */
export function backupBlockedReason(count: BackupCount): string | null {
  if (count.limit === null) return null;
  if (count.used === null) {
    return `Your backups cannot be counted against your limit of ${count.limit}, so none can be made now.`;
  }
  if (count.used < count.limit) return null;
  return count.limit === 0
    ? 'The quota policy gives you no backups.'
    : `You keep ${count.used} of ${count.limit} backups; delete one to make room.`;
}

/** The modes in the form, each with what it does to a running guest. */
export const backupModeLabels: Record<BackupMode, string> = {
  snapshot: 'Snapshot: the guest keeps running',
  suspend: 'Suspend: the guest pauses briefly',
  stop: 'Stop: the guest is shut down and started again',
};
