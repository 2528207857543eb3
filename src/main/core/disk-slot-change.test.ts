import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { GiB } from '../../shared/units';
import { parsePolicy, resolveUserLimits, type UserLimits } from '../quota/policy';
import { planAttach, planDelete, planDetach, type SlotGuest } from './disk-slot-change';

function limitsOf(storage: Record<string, unknown>): UserLimits {
  const parsed = parsePolicy({ version: 1, users: { 'alice@pve': { pools: ['alice'], storage } } });
  if (!parsed.ok) throw new Error('test policy is not valid');
  const limits = resolveUserLimits(parsed.policy, 'alice@pve');
  if (!limits) throw new Error('test policy names no alice');
  return limits;
}

function guest(
  type: 'qemu' | 'lxc',
  config: Record<string, string>,
  sizes: Record<string, number> = {},
): SlotGuest {
  return {
    node: 'pve1',
    type,
    vmid: type === 'qemu' ? 100 : 200,
    pool: 'alice',
    config: { digest: 'd', ...config },
    sizes: new Map(Object.entries(sizes)),
  };
}

function codeAndFields(run: () => unknown): [string, unknown] {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return [error.code, error.details?.fields];
    throw error;
  }
  throw new Error('expected a refusal');
}

const anyBus = limitsOf({ 'local-lvm': { max: '100GiB' } });

describe('planDetach', () => {
  it('deletes the disk key and names the first free unusedN, at no cost', () => {
    const vm = guest('qemu', { scsi0: 'local-lvm:vm-100-disk-0,size=32G', unused0: 'local-lvm:x' });

    expect(planDetach(vm, 'scsi0')).toEqual({
      params: { delete: 'scsi0' },
      delta: { node: 'pve1' },
      result: { key: 'scsi0', newKey: 'unused1', volume: 'local-lvm:vm-100-disk-0' },
    });
  });

  it('refuses CD drives, bind mounts, the rootfs and host devices', () => {
    const vm = guest('qemu', {
      ide2: 'local:iso/a.iso,media=cdrom',
      sata0: '/dev/disk/by-id/ata-X,size=1T',
    });
    const ct = guest('lxc', { rootfs: 'local-lvm:vm-200-disk-0,size=8G', mp1: '/srv,mp=/srv' });

    expect(codeAndFields(() => planDetach(vm, 'ide2'))).toEqual([
      'INVALID_INPUT',
      { disk: 'a CD drive' },
    ]);
    expect(codeAndFields(() => planDetach(vm, 'sata0'))).toEqual([
      'INVALID_INPUT',
      { disk: 'not on a storage' },
    ]);
    expect(codeAndFields(() => planDetach(ct, 'mp1'))).toEqual([
      'INVALID_INPUT',
      { disk: 'a bind mount' },
    ]);
    expect(codeAndFields(() => planDetach(ct, 'rootfs'))).toEqual([
      'INVALID_INPUT',
      { disk: 'the rootfs' },
    ]);
    expect(codeAndFields(() => planDetach(vm, 'scsi5'))).toEqual(['NOT_FOUND', undefined]);
  });
});

describe('planAttach', () => {
  it('writes only the volume id into the first free slot of the bus, with no delete', () => {
    const vm = guest('qemu', { scsi0: 'local-lvm:vm-100-disk-0,size=32G', unused3: 'local-lvm:u' });

    expect(planAttach(vm, anyBus, { volume: 'unused3', bus: 'scsi' })).toEqual({
      params: { scsi1: 'local-lvm:u' },
      delta: { node: 'pve1' },
      result: { key: 'unused3', newKey: 'scsi1', volume: 'local-lvm:u' },
    });
  });

  it('writes a mount point from the volume id and the checked path', () => {
    const ct = guest('lxc', { mp0: 'local-lvm:a,mp=/a,size=1G', unused0: 'local-lvm:b' });

    expect(planAttach(ct, anyBus, { volume: 'unused0', mountPath: '/srv/b' }).params).toEqual({
      mp1: 'local-lvm:b,mp=/srv/b',
    });
  });

  it('refuses a bus or mount point the policy does not allow on the storage', () => {
    const strict = limitsOf({ tank: { max: '10GiB', buses: ['virtio', 'rootfs'] } });
    const vm = guest('qemu', { unused0: 'tank:v' });
    const ct = guest('lxc', { rootfs: 'tank:r,size=1G', unused0: 'tank:v' });

    expect(codeAndFields(() => planAttach(vm, strict, { volume: 'unused0', bus: 'scsi' }))).toEqual(
      ['QUOTA_EXCEEDED', { bus: 'not allowed on tank' }],
    );
    expect(planAttach(vm, strict, { volume: 'unused0', bus: 'virtio' }).result.newKey).toBe(
      'virtio0',
    );
    expect(
      codeAndFields(() => planAttach(ct, strict, { volume: 'unused0', mountPath: '/x' }))[0],
    ).toBe('QUOTA_EXCEEDED');
  });

  it('refuses a mount path another mount point uses, a hostile path and a full bus', () => {
    const ct = guest('lxc', { mp0: 'local-lvm:a,mp=/data,size=1G', unused0: 'local-lvm:b' });
    const full: Record<string, string> = { unused0: 'local-lvm:b' };
    for (let i = 0; i < 4; i += 1) full[`ide${i}`] = 'none,media=cdrom';

    expect(
      codeAndFields(() => planAttach(ct, anyBus, { volume: 'unused0', mountPath: '/data' })),
    ).toEqual(['INVALID_INPUT', { mountPath: 'in use' }]);
    expect(
      codeAndFields(() => planAttach(ct, anyBus, { volume: 'unused0', mountPath: '/d,backup=1' })),
    ).toEqual(['INVALID_INPUT', { mountPath: 'not a path ProxDesk can write' }]);
    expect(
      codeAndFields(() =>
        planAttach(guest('qemu', full), anyBus, { volume: 'unused0', bus: 'ide' }),
      ),
    ).toEqual(['CONFLICT', undefined]);
  });
});

describe('planDelete', () => {
  it('frees the unused volume size read from the storage listing', () => {
    const vm = guest('qemu', { unused0: 'local-lvm:u' }, { 'local-lvm:u': 8 * GiB });

    expect(planDelete(vm, 'unused0')).toEqual({
      params: { delete: 'unused0' },
      delta: { node: 'pve1', storageBytes: { 'local-lvm': -8 * GiB } },
      result: { key: 'unused0', newKey: null, volume: 'local-lvm:u' },
    });
  });

  it('frees nothing when another key still holds the volume', () => {
    const vm = guest('qemu', { unused0: 'local-lvm:u', scsi0: 'local-lvm:u,size=8G' });

    expect(planDelete(vm, 'unused0').delta).toEqual({ node: 'pve1' });
  });

  it('removes a CD drive, and refuses an attached disk with "detach it first"', () => {
    const vm = guest('qemu', { ide2: 'local:iso/a.iso,media=cdrom', scsi0: 'local-lvm:d,size=1G' });

    expect(planDelete(vm, 'ide2').params).toEqual({ delete: 'ide2' });
    expect(codeAndFields(() => planDelete(vm, 'scsi0'))).toEqual([
      'INVALID_INPUT',
      { disk: 'detach it first' },
    ]);
  });
});
