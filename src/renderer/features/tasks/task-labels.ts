import type { TaskSummary } from '../../../shared/contract';

// How tasks read in the task panel: PVE's task type ids (`qmstart`, `vzdump`) as words.

const typeWords: Record<string, string> = {
  qmstart: 'Start',
  qmshutdown: 'Shut down',
  qmreboot: 'Reboot',
  qmstop: 'Stop',
  vzstart: 'Start',
  vzshutdown: 'Shut down',
  vzreboot: 'Reboot',
  vzstop: 'Stop',
  resize: 'Resize disk',
  vzdump: 'Backup',
  qmigrate: 'Migrate',
  vzmigrate: 'Migrate',
  qmclone: 'Clone',
  vzclone: 'Clone',
  qmcreate: 'Create',
  vzcreate: 'Create',
  qmdestroy: 'Destroy',
  vzdestroy: 'Destroy',
};

/** A task type in words, or PVE's id when it is not a known one. */
export function taskTypeLabel(type: string): string {
  return Object.hasOwn(typeWords, type) ? (typeWords[type] ?? type) : type;
}

/** A task's state in words. */
export function taskStateLabel(task: Pick<TaskSummary, 'state' | 'exitStatus'>): string {
  switch (task.state) {
    case 'running':
      return 'Running';
    case 'ok':
      return 'OK';
    case 'warnings':
      return task.exitStatus ?? 'Warnings';
    case 'failed':
      return `Failed: ${task.exitStatus ?? 'unknown error'}`;
  }
}

/** An epoch-seconds time as the local date and time. */
export function taskTimeLabel(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toLocaleString();
}
