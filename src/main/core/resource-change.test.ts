import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../shared/errors';
import { MiB } from '../../shared/units';
import { parsePolicy, resolveUserLimits, type UserLimits } from '../quota/policy';
import { planResourceChange, readGuestResources, resourceDelta } from './resource-change';

function limits(): UserLimits {
  const parsed = parsePolicy({ version: 1, users: { 'a@pve': { pools: ['p'] } } });
  if (!parsed.ok) throw new Error('the test policy is not valid');
  const resolved = resolveUserLimits(parsed.policy, 'a@pve');
  if (!resolved) throw new Error('the test policy does not name a@pve');
  return resolved;
}

const vmConfig = { digest: 'd', cores: 2, sockets: 1, memory: 'current=4096', cpu: 'host' };

describe('planResourceChange', () => {
  it('writes only the values that differ, in the types PVE uses', () => {
    const plan = planResourceChange('qemu', vmConfig, { cores: 2, memoryMiB: 8192, sockets: 2 });

    expect(plan.params).toEqual({ memory: '8192', sockets: 2 });
    expect(plan.after).toMatchObject({ cores: 2, sockets: 2, memory: '8192' });
  });

  it('keeps the other CPU options when the model changes', () => {
    const config = { ...vmConfig, cpu: 'x86-64-v2-AES,flags=+aes;+pcid,hidden=1' };

    const plan = planResourceChange('qemu', config, { cpuType: 'host' });

    expect(plan.params).toEqual({ cpu: 'host,flags=+aes;+pcid,hidden=1' });
  });

  it.each([
    ['qemu', { swapMiB: 512 }, 'swapMiB'],
    ['lxc', { sockets: 2 }, 'sockets'],
    ['lxc', { cpuType: 'host' }, 'cpuType'],
  ] as const)('refuses for %s a field the type does not have: %o', (type, request, field) => {
    let thrown: unknown;
    try {
      planResourceChange(type, { digest: 'd' }, request);
    } catch (error) {
      thrown = error;
    }

    expect(isAppError(thrown, 'INVALID_INPUT')).toBe(true);
    expect(Object.keys((thrown as AppError).details?.fields ?? {})).toEqual([field]);
  });
});

describe('resourceDelta', () => {
  it('prices a change against the unset defaults the policy names', () => {
    const guest = {
      node: 'pve1',
      type: 'qemu' as const,
      vmid: 100,
      pool: 'p',
      config: { digest: 'd' },
    };

    const delta = resourceDelta(limits(), guest, { digest: 'd', cores: 4, memory: '2048' });

    // Unset: 1 core, 1 socket, 512 MiB (PVE's defaults, the policy's too).
    expect(delta).toEqual({ node: 'pve1', cores: 3, memoryBytes: 1536 * MiB });
  });

  it('gives a negative delta for a decrease and leaves unchanged resources out', () => {
    const guest = {
      node: 'pve2',
      type: 'lxc' as const,
      vmid: 200,
      pool: 'p',
      config: { digest: 'd', cores: 2, memory: 1024, swap: 512 },
    };

    const delta = resourceDelta(limits(), guest, { ...guest.config, swap: 0 });

    expect(delta).toEqual({ node: 'pve2', swapBytes: -512 * MiB });
  });
});

describe('readGuestResources', () => {
  it('reads numbers PVE sends as strings or property strings', () => {
    expect(readGuestResources('qemu', { digest: 'd', cores: '3', memory: 'current=2048' })).toEqual(
      {
        cores: 3,
        sockets: null,
        memoryMiB: 2048,
        swapMiB: null,
        cpuType: null,
      },
    );
  });
});
