import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limitsWith } from '../../../test/fixtures/user-limits';
import { GiB } from '../../shared/units';
import { approveChange, quotaRefusalError } from './approve';
import { computeUsage, emptyNode, type UnreadGuest, type Usage } from './usage';

// Approval when some of the user's guests could not be read because PVE could not reach their
// node: the usage is a lower bound, so an increase that might fit is refused as unknown, one that
// is over even so is a shortfall, and freeing always passes.

const onPve2: UnreadGuest = {
  node: 'pve2',
  type: 'qemu',
  vmid: 101,
  pool: 'alice',
  reason: 'PVE cannot reach pve2',
};

function usageWith(cores: number, unread: UnreadGuest[]): Usage {
  return {
    cores,
    memoryBytes: 0,
    swapBytes: 0,
    networkBytesPerSecond: 0,
    storageBytes: { 'local-lvm': 10 * GiB },
    cpuModels: {},
    pciDevices: {},
    perNode: { pve1: { ...emptyNode(), cores, storageBytes: { 'local-lvm': 10 * GiB } } },
    problems: [],
    unread,
  };
}

describe('approveChange with guests that could not be read', () => {
  const limits = limitsWith({
    cores: { max: 16 },
    storage: { 'local-lvm': { max: '100GiB' } },
  });

  it('refuses an increase that would fit on what was read, naming the guest and why', () => {
    const decision = approveChange(limits, usageWith(4, [onPve2]), { node: 'pve1', cores: 2 });

    expect(decision.approved).toBe(false);
    expect(decision.shortfalls).toEqual([]);
    expect(decision.unknown).toEqual([{ resource: 'cores', label: 'Cores', unread: [onPve2] }]);
    expect(decision.items).toEqual([
      expect.objectContaining({
        resource: 'cores',
        used: 4,
        requested: 2,
        fits: false,
        usageIncomplete: true,
        reason:
          'at least 4 in use + 2: guest 101 on pve2 could not be read (PVE cannot reach pve2), so what is in use is not known',
      }),
    ]);
    const error = quotaRefusalError(decision);
    expect(error.code).toBe('QUOTA_UNDEFINED');
    expect(error.message).toBe(
      'Your use of Cores cannot be known: guest 101 on pve2 could not be read (PVE cannot reach pve2). ' +
        'Increases wait until it can be read again; freeing resources still goes through.',
    );
  });

  it('refuses an increase over the limit on what was read alone as a shortfall', () => {
    const decision = approveChange(limits, usageWith(15, [onPve2]), { node: 'pve1', cores: 2 });

    expect(decision.approved).toBe(false);
    expect(decision.unknown).toEqual([]);
    expect(decision.shortfalls).toEqual([
      expect.objectContaining({ resource: 'cores', shortfall: 1 }),
    ]);
    expect(quotaRefusalError(decision).code).toBe('QUOTA_EXCEEDED');
  });

  it('passes decreases and resources the policy does not limit', () => {
    const usage = usageWith(4, [onPve2]);

    const freeing = approveChange(limits, usage, {
      node: 'pve1',
      cores: -2,
      storageBytes: { 'local-lvm': -GiB },
    });
    const unlimited = approveChange(limits, usage, { node: 'pve1', memoryBytes: GiB });

    expect(freeing.approved).toBe(true);
    expect(unlimited.approved).toBe(true);
  });

  it("prices a node's own limit exactly when the unread guests are on another node", () => {
    const perNodeOnly = limitsWith({ cores: { perNode: { pve1: 8, pve2: 8 } } });

    const onPve1 = approveChange(perNodeOnly, usageWith(4, [onPve2]), { node: 'pve1', cores: 2 });
    const onPve2Node = approveChange(perNodeOnly, usageWith(4, [onPve2]), {
      node: 'pve2',
      cores: 2,
    });

    expect(onPve1.approved).toBe(true);
    expect(onPve2Node.approved).toBe(false);
    expect(onPve2Node.unknown.map((entry) => entry.resource)).toEqual(['cores@pve2']);
  });

  it('never approves an increase of a limited resource while a guest is unread', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: -64, max: 64 }),
        (max, used, change) => {
          const limited = limitsWith({ cores: { max } });
          const decision = approveChange(limited, usageWith(used, [onPve2]), {
            node: 'pve1',
            cores: change,
          });
          expect(decision.approved).toBe(change <= 0);
        },
      ),
    );
  });
});

describe('computeUsage with guests that could not be read', () => {
  it("keeps the unread guests of the user's pools, by vmid, counting nothing for them", () => {
    const limits = limitsWith({ cores: { max: 16 } });
    const others = { ...onPve2, vmid: 150, pool: 'bob' };
    const later = { ...onPve2, vmid: 120 };
    const extra = { ...onPve2, vmid: 90, resource: { id: 'qemu/90' } };

    const usage = computeUsage(limits, [], undefined, [later, others, onPve2, extra]);

    expect(usage.cores).toBe(0);
    expect(usage.unread).toEqual([{ ...onPve2, vmid: 90 }, onPve2, later]);
  });
});
