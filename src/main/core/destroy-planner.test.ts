import { describe, expect, it } from 'vitest';
import type { InstanceRef } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import type { BackupVolume, GuestConfig } from '../pve/api-schemas';
import { parsePolicy, resolveUserLimits } from '../quota/policy';
import { planDestroy } from './destroy-planner';
import type { SnapshotReading } from './planner';
import type { QuotaService, UsageSnapshot } from './quota-service';

const ref = { node: 'pve1', type: 'qemu', vmid: 100 } as const;

/**
 * A reading whose cluster has VM 100 in pool p with `config`, `status` as PVE reports it now, and
 * a backup storage `local` on pve1 holding `backups`.
 */
function reading(
  config: GuestConfig,
  status = 'stopped',
  backups: BackupVolume[] = [],
  localActive = true,
): SnapshotReading {
  const parsed = parsePolicy({
    version: 1,
    users: { 'a@pve': { pools: ['p'], cores: { max: 8 }, storage: { tank: { max: '100GiB' } } } },
  });
  if (!parsed.ok) throw new Error('the test policy is not valid');
  const limits = resolveUserLimits(parsed.policy, 'a@pve');
  if (!limits) throw new Error('the test policy does not name a@pve');
  const row = { id: 'qemu/100', type: 'qemu', node: 'pve1', vmid: 100, pool: 'p', status };
  const api = {
    guests: async () => [row],
    config: async () => config,
    nodeStorages: async () => [
      {
        storage: 'local',
        content: 'backup,iso',
        shared: false,
        active: localActive,
        enabled: true,
      },
    ],
    backupVolumes: async () => backups,
  } as unknown as PveApi;
  // The snapshot is stale on purpose: the planner must go by what the cluster says now.
  const snapshot = { limits, rows: [], guests: [], usage: {} } as unknown as UsageSnapshot;
  return { api, quota: {} as QuotaService, snapshot };
}

const vm: GuestConfig = {
  digest: 'd',
  cores: 2,
  sockets: 2,
  memory: '2048',
  scsi0: 'tank:vm-100-disk-0,size=10G',
};

/** The AppError the planner refuses with; fails the test when it plans instead. */
async function refusal(target: InstanceRef, read: SnapshotReading): Promise<AppError> {
  try {
    await planDestroy(target).plan(read);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the planner planned a destroy it should have refused');
}

describe('planDestroy', () => {
  it('frees what the guest counts, read from the cluster as it is now', async () => {
    const plan = await planDestroy(ref).plan(reading(vm));

    expect(plan.delta).toEqual({
      node: 'pve1',
      cores: -4,
      memoryBytes: -2048 * 1024 * 1024,
      storageBytes: { tank: -10 * 1024 ** 3 },
      // A VM without `cpu` runs, and counts as, PVE's default model.
      cpuModels: { kvm64: -1 },
    });
    expect(plan.detail).toEqual({ ref, userid: 'a@pve' });
    expect(plan.writesNothing).toBeUndefined();
  });

  it.each([
    ['a running guest', vm, 'running', 'CONFLICT', 'Guest 100 is running; stop it first'],
    ['a paused guest', vm, 'paused', 'CONFLICT', 'Guest 100 is paused; stop it first'],
    [
      'a locked guest, before its state',
      { ...vm, lock: 'backup' },
      'running',
      'LOCKED',
      'locked (backup)',
    ],
    [
      'a protected guest',
      { ...vm, protection: 1 },
      'stopped',
      'CONFLICT',
      'protected against removal',
    ],
  ])('refuses %s', async (_name, config, status, code, message) => {
    const error = await refusal(ref, reading(config, status));

    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it("refuses a guest with a backup, naming where, and ignores other guests' backups", async () => {
    const backups = [
      { volid: 'local:backup/vzdump-qemu-100-2026_12_01-08_00_00.vma.zst', vmid: 100 },
      { volid: 'local:backup/vzdump-qemu-101-2026_12_01-08_00_00.vma.zst', vmid: 101 },
    ];

    const error = await refusal(ref, reading(vm, 'stopped', backups));

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      'Guest 100 still has 1 backup (local); delete it first: once the guest is gone you could no longer see or delete it, and it would still take space.',
    );
  });

  it('plans the destroy when only other guests have backups on the node', async () => {
    const backups = [{ volid: 'local:backup/vzdump-qemu-101-2026_12_01-08_00_00.vma.zst' }];

    const plan = await planDestroy(ref).plan(reading(vm, 'stopped', backups));

    expect(plan.detail).toEqual({ ref, userid: 'a@pve' });
  });

  it('refuses while a backup storage of the node is not active', async () => {
    const error = await refusal(ref, reading(vm, 'stopped', [], false));

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(
      'backup storage local on pve1 is not active, so the backups there cannot be read',
    );
  });

  it('refuses a guest on another node than the one asked for', async () => {
    const error = await refusal({ ...ref, node: 'pve2' }, reading(vm));

    expect(error.code).toBe('NOT_FOUND');
  });
});
