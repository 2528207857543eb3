import { describe, expect, it } from 'vitest';
import type { Disk } from '../../../shared/contract';
import { confirmsVmid, destroyBlockedReason, destroyedDisks, keptDisks } from './destroy-rules';

function disk(key: string, kind: Disk['kind']): Disk {
  const volume = `v-${key}`;
  return { key, volume, storage: null, sizeBytes: null, kind, mountPath: null, resizable: false };
}

describe('destroyBlockedReason', () => {
  it('allows stopped guests and templates', () => {
    expect(destroyBlockedReason('stopped', null)).toBeNull();
    expect(destroyBlockedReason('template', null)).toBeNull();
  });

  it('asks to stop a running, paused or unknown guest first', () => {
    expect(destroyBlockedReason('running', null)).toBe('Stop the guest first');
    expect(destroyBlockedReason('paused', null)).toBe('Stop the guest first');
    expect(destroyBlockedReason('unknown', null)).toBe('Stop the guest first');
  });

  it('names the lock of a locked guest, even a stopped one', () => {
    expect(destroyBlockedReason('stopped', 'backup')).toBe('Locked (backup)');
  });
});

describe('destroyedDisks and keptDisks', () => {
  const disks = [
    disk('scsi0', 'disk'),
    disk('ide2', 'cdrom'),
    disk('unused0', 'unused'),
    disk('mp1', 'bind'),
    disk('ide0', 'empty'),
  ];

  it('lists attached and unused volumes as destroyed', () => {
    expect(destroyedDisks(disks).map((d) => d.key)).toEqual(['scsi0', 'unused0']);
  });

  it('lists CD images and bind mounts as kept', () => {
    expect(keptDisks(disks).map((d) => d.key)).toEqual(['ide2', 'mp1']);
  });
});

describe('confirmsVmid', () => {
  it('accepts the exact vmid, ignoring surrounding spaces', () => {
    expect(confirmsVmid('101', 101)).toBe(true);
    expect(confirmsVmid(' 101 ', 101)).toBe(true);
  });

  it('rejects anything else', () => {
    expect(confirmsVmid('', 101)).toBe(false);
    expect(confirmsVmid('10', 101)).toBe(false);
    expect(confirmsVmid('0101', 101)).toBe(false);
    expect(confirmsVmid('101.0', 101)).toBe(false);
    expect(confirmsVmid('alice-db', 101)).toBe(false);
  });
});
