import type { PowerAction } from '../../../shared/contract';

/** The power buttons, in the order they are shown. */
export const powerButtons: ReadonlyArray<{ action: PowerAction; label: string; busy: string }> = [
  { action: 'start', label: 'Start', busy: 'Starting…' },
  { action: 'shutdown', label: 'Shut down', busy: 'Shutting down…' },
  { action: 'reboot', label: 'Reboot', busy: 'Rebooting…' },
  { action: 'stop', label: 'Stop', busy: 'Stopping…' },
];

/**
 * Whether an action makes sense for a guest in this state: start only when it is not running,
 * the others only while it runs. Templates and guests of unknown state offer nothing.
 */
export function isPowerActionAvailable(action: PowerAction, status: string): boolean {
  switch (action) {
    case 'start':
      return status === 'stopped';
    case 'shutdown':
    case 'reboot':
    case 'stop':
      return status === 'running';
  }
}
