import { describe, expect, it } from 'vitest';
import type { BackupCreateInput } from '../../shared/backup-schemas';
import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import type { BackupVolume, NodeStorage } from '../pve/api-schemas';
import { quotaExceededError } from '../quota/approve';
import { parsePolicy, resolveUserLimits } from '../quota/policy';
import { computeUsage } from '../quota/usage';
import { claimBackupSlot, planBackupCreate } from './backup-planners';
import { BackupSlots } from './backup-slots';
import { priceOnSnapshot, type PricingReading } from './pricing';
import type { QuotaService, UsageSnapshot } from './quota-service';

// a@pve owns VM 100 on pve1 and CT 200 on pve2. Each node has its own `local` backup storage,
// and both see the shared `nas`. Kept now: one backup of VM 100 on pve1's local, one of CT 200 on
// pve2's local, and one of VM 100 on nas (listed from both nodes, counted once); the backup of
// VM 300 on nas is not hers.

const create100: BackupCreateInput = {
  node: 'pve1',
  type: 'qemu',
  vmid: 100,
  storage: 'local',
  mode: 'snapshot',
};

function volume(volid: string, vmid: number): BackupVolume {
  return { volid, vmid, size: 1024, ctime: 1_796_112_000, format: 'vma.zst' };
}

const kept: Record<string, BackupVolume[]> = {
  'pve1 local': [volume('local:backup/vzdump-qemu-100-2026_12_01-08_00_00.vma.zst', 100)],
  'pve2 local': [volume('local:backup/vzdump-lxc-200-2026_12_01-09_00_00.tar.zst', 200)],
  nas: [
    volume('nas:backup/vzdump-qemu-100-2026_12_02-08_00_00.vma.zst', 100),
    volume('nas:backup/vzdump-qemu-300-2026_12_02-09_00_00.vma.zst', 300),
  ],
};

/**
 * A reading of a@pve's guests under a backup limit of `max`; `nasActive` false unmounts nas, and
 * `ctBackingUp` shows CT 200 locked by a backup PVE is running.
 */
function reading(
  max: number | null,
  nasActive = true,
  ctBackingUp = false,
): PricingReading & { calls: string[] } {
  const parsed = parsePolicy({
    version: 1,
    users: { 'a@pve': { pools: ['p'], cores: { max: 8 }, backups: { max } } },
  });
  if (!parsed.ok) throw new Error('the test policy is not valid');
  const limits = resolveUserLimits(parsed.policy, 'a@pve');
  if (!limits) throw new Error('the test policy does not name a@pve');
  const guests = [
    {
      node: 'pve1',
      type: 'qemu' as const,
      vmid: 100,
      pool: 'p',
      config: { digest: 'a', cores: 2 },
    },
    {
      node: 'pve2',
      type: 'lxc' as const,
      vmid: 200,
      pool: 'p',
      config: { digest: 'b', cores: 1, ...(ctBackingUp ? { lock: 'backup' } : {}) },
    },
  ];
  const rows = guests.map((g) => ({ id: `${g.type}/${g.vmid}`, ...g, status: 'running' }));
  const calls: string[] = [];
  // Every node lists the same two: its own `local`, and the shared `nas`.
  const storages: NodeStorage[] = [
    { storage: 'local', content: 'backup,iso', shared: false, active: true, enabled: true },
    { storage: 'nas', content: 'backup', shared: true, active: nasActive, enabled: true },
  ];
  const api = {
    nodeStorages: (node: string, content: string) => {
      calls.push(`storages ${node} ${content}`);
      return Promise.resolve(storages);
    },
    backupVolumes: (node: string, storage: string) => {
      calls.push(`volumes ${node} ${storage}`);
      return Promise.resolve(kept[storage === 'nas' ? 'nas' : `${node} ${storage}`] ?? []);
    },
  } as unknown as PveApi;
  const snapshot = {
    limits,
    rows,
    guests: guests.map((g) => ({ ...g, resource: rows.find((r) => r.vmid === g.vmid) })),
    usage: computeUsage(limits, guests),
  } as unknown as UsageSnapshot;
  return { api, quota: {} as QuotaService, snapshot, pending: [], calls };
}

const notElevated = (): Promise<boolean> => Promise.resolve(false);
const elevated = (): Promise<boolean> => Promise.resolve(true);

/** The AppError pricing refuses with; fails the test when it prices instead. */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('pricing went through where it should have refused');
}

describe('planBackupCreate, priced', () => {
  it('costs one backup against the count of every guest of hers, a shared storage once', async () => {
    const read = reading(4);

    const { plan, decision } = await priceOnSnapshot(
      read,
      planBackupCreate(create100, new BackupSlots(), notElevated),
    );

    expect(plan.delta).toEqual({ node: 'pve1' });
    expect(plan.backupCount).toEqual({ used: 3, requested: 1 });
    expect(plan.detail).toEqual({
      ref: { node: 'pve1', type: 'qemu', vmid: 100 },
      userid: 'a@pve',
      storage: 'local',
      mode: 'snapshot',
      notes: null,
    });
    expect(decision).toEqual({
      approved: true,
      items: [
        {
          resource: 'backups',
          label: 'Backups',
          unit: 'count',
          limit: 4,
          used: 3,
          requested: 1,
          after: 4,
          remaining: 0,
          fits: true,
          reason: '3 in use + 1 = 4 of 4; 0 left',
        },
      ],
      shortfalls: [],
      unknown: [],
    });
    // Reads only: the storages of both her nodes, local on each, nas once.
    expect(read.calls.sort()).toEqual([
      'storages pve1 backup',
      'storages pve2 backup',
      'volumes pve1 local',
      'volumes pve1 nas',
      'volumes pve2 local',
    ]);
  });

  it('refuses at the limit with the itemised shortfall the operation reports', async () => {
    const { decision } = await priceOnSnapshot(
      reading(3),
      planBackupCreate(create100, new BackupSlots(), notElevated),
    );

    expect(decision.approved).toBe(false);
    expect(decision.items.map((item) => [item.fits, item.remaining])).toEqual([[false, -1]]);
    expect(decision.shortfalls).toEqual([
      {
        resource: 'backups',
        label: 'Backups',
        unit: 'count',
        limit: 3,
        used: 3,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(quotaExceededError(decision).message).toBe(
      'Not enough quota for this change. Backups: asks for 1, 0 left of 3 (1 short). Free some resources or ask the lab admin for a larger quota.',
    );
  });

  it('counts a backup PVE runs for her guest outside ProxDesk, and once when ProxDesk runs it', async () => {
    const slots = new BackupSlots();
    const plan = (): ReturnType<typeof planBackupCreate> =>
      planBackupCreate(create100, slots, notElevated);

    // Three kept, and CT 200 locked by a backup a lab job runs: its volume is still to come.
    const outside = await priceOnSnapshot(reading(4, true, true), plan());
    // ProxDesk's own backup of CT 200, which PVE shows locked the same way: one, not two.
    const release = slots.hold('a@pve', 200);
    const ours = await priceOnSnapshot(reading(4, true, true), plan());
    release();
    const none = await priceOnSnapshot(reading(4), plan());

    expect(outside.plan.backupCount).toEqual({ used: 4, requested: 1 });
    expect(outside.decision.approved).toBe(false);
    expect(ours.plan.backupCount).toEqual({ used: 4, requested: 1 });
    expect(none.plan.backupCount).toEqual({ used: 3, requested: 1 });
    expect(none.decision.approved).toBe(true);
  });

  it('counts the slots of backups still being made', async () => {
    const slots = new BackupSlots();
    const release = slots.hold('a@pve', 101);
    slots.hold('someone@pve', 300);

    const held = await priceOnSnapshot(reading(4), planBackupCreate(create100, slots, notElevated));
    release();
    const freed = await priceOnSnapshot(
      reading(4),
      planBackupCreate(create100, slots, notElevated),
    );

    expect(held.plan.backupCount).toEqual({ used: 4, requested: 1 });
    expect(held.decision.approved).toBe(false);
    expect(freed.plan.backupCount).toEqual({ used: 3, requested: 1 });
    expect(freed.decision.approved).toBe(true);
  });

  it('holds no slot while pricing; only the claim of an approved create does', async () => {
    const slots = new BackupSlots();
    const planner = planBackupCreate(create100, slots, notElevated);

    const { plan } = await priceOnSnapshot(reading(4), planner);
    const pricedOnly = slots.pending('a@pve');
    const claim = await claimBackupSlot(slots)({ api: {} as PveApi, detail: plan.detail });
    const claimed = slots.pending('a@pve');
    claim.release();

    expect(pricedOnly).toBe(0);
    expect(claimed).toBe(1);
    expect(claim.detail).toBe(plan.detail);
    expect(slots.pending('a@pve')).toBe(0);
  });

  it('says the count is unknown under a limit while a backup storage is not active', async () => {
    const error = await refusal(
      priceOnSnapshot(
        reading(4, false),
        planBackupCreate(create100, new BackupSlots(), notElevated),
      ),
    );

    expect(error.code).toBe('QUOTA_UNDEFINED');
    expect(error.message).toBe(
      'Your backups cannot be counted against your backup limit: backup storage nas is not active, so the backups there cannot be read. Try again later, or ask the lab admin.',
    );
  });

  it('prices against no limit, inactive storage or not, when the policy sets none', async () => {
    const { decision } = await priceOnSnapshot(
      reading(null, false),
      planBackupCreate(create100, new BackupSlots(), notElevated),
    );

    expect(decision.approved).toBe(true);
    expect(decision.items).toMatchObject([{ resource: 'backups', limit: null, remaining: null }]);
  });

  it('says the count is unknown under a limit in elevated mode, before reading any storage', async () => {
    const read = reading(4);

    const error = await refusal(
      priceOnSnapshot(read, planBackupCreate(create100, new BackupSlots(), elevated)),
    );

    expect(error.code).toBe('QUOTA_UNDEFINED');
    expect(error.message).toBe(
      'Your backups cannot be counted against your backup limit while changes are committed with the lab token: your own account may not see them. Ask the lab admin.',
    );
    expect(read.calls).toEqual([]);
  });

  it('refuses a storage of the node that takes no backups with INVALID_INPUT', async () => {
    const error = await refusal(
      priceOnSnapshot(
        reading(4),
        planBackupCreate({ ...create100, storage: 'tank' }, new BackupSlots(), notElevated),
      ),
    );

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.fields).toEqual({
      storage: 'tank is not a backup storage you may use on pve1 (offered: local, nas)',
    });
  });
});
