import { channels, type ChannelName } from '../../../shared/contract';

// How the sign-in prompt names a change that waits for the user to sign in again: in the words
// of the dialog that started it, with the values the user gave, so they know what will run.

function read(input: unknown, key: string): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const value = (input as Record<string, unknown>)[key];
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return value === null ? 'null' : undefined;
}

const powerWords: Record<string, string> = {
  start: 'Start',
  shutdown: 'Shut down',
  reboot: 'Reboot',
  stop: 'Stop',
};

type Describe = (input: unknown, guest: string) => string;

// Only changes a dialog can start are listed; anything else is named by the contract's summary.
const texts: Partial<Record<ChannelName, Describe>> = {
  'disk:resize': (input, guest) =>
    `Grow ${read(input, 'disk') ?? ''} of ${guest} by ${read(input, 'addGiB') ?? '?'} GiB`,
  'disk:create': (input, guest) => `Add a ${read(input, 'sizeGiB') ?? '?'} GiB disk to ${guest}`,
  'disk:move': (input, guest) =>
    `Move ${read(input, 'disk') ?? ''} of ${guest} to ${read(input, 'targetStorage') ?? '?'}`,
  'disk:attach': (input, guest) => `Attach ${read(input, 'volume') ?? ''} of ${guest}`,
  'disk:detach': (input, guest) => `Detach ${read(input, 'disk') ?? ''} of ${guest}`,
  'disk:delete': (input, guest) => `Delete ${read(input, 'disk') ?? ''} of ${guest}`,
  'net:create': (_input, guest) => `Add a network interface to ${guest}`,
  'net:modify': (input, guest) => {
    const key = read(input, 'key') ?? '';
    const rate = read(input, 'rateMBps');
    return rate === 'null' || rate === undefined
      ? `Remove the rate limit of ${key} of ${guest}`
      : `Set the rate of ${key} of ${guest} to ${rate} MB/s`;
  },
  'net:delete': (input, guest) => `Remove ${read(input, 'key') ?? ''} of ${guest}`,
  'instance:resources': (_input, guest) => `Change the cores and memory of ${guest}`,
  'instance:power': (input, guest) =>
    `${powerWords[read(input, 'action') ?? ''] ?? 'Power'} ${guest}`,
  'instance:destroy': (_input, guest) => `Destroy ${guest}`,
  'pci:attach': (_input, guest) => `Attach a PCI device to ${guest}`,
  'pci:modify': (input, guest) => `Change the options of ${read(input, 'key') ?? ''} of ${guest}`,
  'pci:detach': (input, guest) => `Detach ${read(input, 'key') ?? ''} of ${guest}`,
};

/** One line naming a waiting change, e.g. `Grow scsi0 of guest 100 by 4 GiB`. */
export function pendingChangeText(channel: ChannelName, input: unknown): string {
  const describe = texts[channel];
  if (describe === undefined) return channels[channel].summary.replace(/\.$/, '');
  return describe(input, `guest ${read(input, 'vmid') ?? '?'}`);
}
