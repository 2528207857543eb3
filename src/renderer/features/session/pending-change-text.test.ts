import { describe, expect, it } from 'vitest';
import { pendingChangeText } from './pending-change-text';

const guest = { node: 'pve1', type: 'qemu', vmid: 100 } as const;

describe('pendingChangeText', () => {
  it('names a waiting change with the values the user gave', () => {
    expect(pendingChangeText('disk:resize', { ...guest, disk: 'scsi0', addGiB: 4 })).toBe(
      'Grow scsi0 of guest 100 by 4 GiB',
    );
    expect(pendingChangeText('net:modify', { ...guest, key: 'net1', rateMBps: 12.5 })).toBe(
      'Set the rate of net1 of guest 100 to 12.5 MB/s',
    );
    expect(pendingChangeText('net:modify', { ...guest, key: 'net1', rateMBps: null })).toBe(
      'Remove the rate limit of net1 of guest 100',
    );
    expect(pendingChangeText('instance:power', { ...guest, action: 'shutdown' })).toBe(
      'Shut down guest 100',
    );
    expect(pendingChangeText('disk:move', { ...guest, disk: 'scsi0', targetStorage: 'tank' })).toBe(
      'Move scsi0 of guest 100 to tank',
    );
  });

  it('falls back to the contract summary for a change without its own words', () => {
    expect(pendingChangeText('policy:import', { text: '{}' })).toMatch(
      /^Validate a policy document/,
    );
  });

  it('keeps to placeholders for input it cannot read', () => {
    expect(pendingChangeText('disk:resize', null)).toBe('Grow  of guest ? by ? GiB');
  });
});
