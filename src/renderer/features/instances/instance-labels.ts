import type { InstanceSummary } from '../../../shared/contract';

/** How an instance type reads in the UI. */
export function instanceTypeLabel(type: InstanceSummary['type']): string {
  switch (type) {
    case 'qemu':
      return 'QEMU VM';
    case 'lxc':
      return 'LXC container';
  }
}

/** The colour family of a guest status dot. */
export type StatusTone = 'running' | 'stopped' | 'paused' | 'unknown';

/** Maps PVE's guest status (`running`, `stopped`, `paused`, ...) to a dot colour. */
export function statusTone(status: string): StatusTone {
  switch (status) {
    case 'running':
      return 'running';
    case 'stopped':
      return 'stopped';
    case 'paused':
    case 'suspended':
    case 'prelaunch':
      return 'paused';
    default:
      return 'unknown';
  }
}
