import { describe, expect, it } from 'vitest';
import type { PciAvailable } from '../../../shared/pci-schemas';
import { pciChoice, pciOptionText } from './pci-choice';

const notOnPve2: PciAvailable = {
  item: 'mapping:lab-gpu',
  kind: 'mapping',
  id: 'lab-gpu',
  description: 'The GPU of pve1',
  iommuGroup: null,
  left: 1,
  unavailable: { reason: 'not-on-node', message: 'This mapping has no device on pve2.' },
};
const usedUp: PciAvailable = {
  item: 'host:0000:03:00.0',
  kind: 'host',
  id: '0000:03:00.0',
  description: 'Intel I350',
  iommuGroup: 7,
  left: 0,
  unavailable: { reason: 'quota', message: 'Your quota has none of this left on pve2.' },
};
const free: PciAvailable = {
  ...usedUp,
  item: 'host:0000:04:00.0',
  id: '0000:04:00.0',
  left: 2,
  unavailable: null,
};

describe('PCI device options', () => {
  it('names the missing device of a mapping instead of its quota room', () => {
    expect(pciOptionText(notOnPve2, 'pve2')).toBe(
      'Mapping lab-gpu: The GPU of pve1 (no device on pve2)',
    );
  });

  it('keeps the room left for an item the quota rules out', () => {
    expect(pciOptionText(usedUp, 'pve2')).toBe('Device 0000:03:00.0: Intel I350 (0 left)');
    expect(pciOptionText({ ...free, left: null }, 'pve2')).toBe(
      'Device 0000:04:00.0: Intel I350 (not limited)',
    );
  });

  it('starts on the first device that can be attached, and keeps a picked one', () => {
    expect(pciChoice([notOnPve2, usedUp, free], '')?.item).toBe('host:0000:04:00.0');
    expect(pciChoice([notOnPve2, usedUp, free], 'host:0000:03:00.0')?.item).toBe(
      'host:0000:03:00.0',
    );
  });

  it('falls back to the first device when none can be attached, and to none on an empty list', () => {
    expect(pciChoice([notOnPve2, usedUp], '')?.item).toBe('mapping:lab-gpu');
    expect(pciChoice([], '')).toBeUndefined();
  });
});
