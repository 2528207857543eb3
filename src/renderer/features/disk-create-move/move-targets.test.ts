import { describe, expect, it } from 'vitest';
import type { QuotaConstraints } from '../../../shared/contract';
import { busOfKey, moveTargets } from './move-targets';

const constraints = {
  storages: [
    { storage: 'local-lvm', maxBytes: null, buses: ['scsi', 'efidisk', 'mp'] },
    { storage: 'tank', maxBytes: null, buses: ['scsi', 'mp'] },
  ],
} as unknown as QuotaConstraints;

describe('move targets', () => {
  it('reads the bus from a disk key', () => {
    expect(busOfKey('scsi12')).toBe('scsi');
    expect(busOfKey('mp0')).toBe('mp');
    expect(busOfKey('rootfs')).toBe('rootfs');
  });

  it('offers only other storages whose policy allows the disk bus', () => {
    expect(moveTargets(constraints, 'scsi1', 'local-lvm')).toEqual(['tank']);
    expect(moveTargets(constraints, 'efidisk0', 'local-lvm')).toEqual([]);
    expect(moveTargets(constraints, 'mp0', 'tank')).toEqual(['local-lvm']);
  });
});
