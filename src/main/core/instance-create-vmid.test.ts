import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import { parsePolicy, resolveUserLimits, type UserLimits } from '../quota/policy';
import { chooseVmid, maxVmidAttempts, vmidCandidates } from './instance-create-vmid';

function limitsOf(vmids?: { min: number; max: number }): UserLimits {
  const entry = vmids === undefined ? { pools: ['p'] } : { pools: ['p'], vmids };
  const parsed = parsePolicy({ version: 1, users: { 'a@pve': entry } });
  if (!parsed.ok) throw new Error('the test policy is not valid');
  const resolved = resolveUserLimits(parsed.policy, 'a@pve');
  if (!resolved) throw new Error('the test policy does not name a@pve');
  return resolved;
}

/** A fake `nextid` that knows every taken id (as PVE does) and records what it was asked. */
function fakeApi(takenInCluster: readonly number[]): {
  api: PveApi;
  asked: (number | undefined)[];
} {
  const asked: (number | undefined)[] = [];
  const api = {
    nextId: (vmid?: number): Promise<number> => {
      asked.push(vmid);
      if (vmid !== undefined && takenInCluster.includes(vmid)) {
        return Promise.reject(
          new AppError('PVE_VALIDATION', 'Parameter verification failed.', {
            status: 400,
            fields: { vmid: `VM ${vmid} already exists` },
          }),
        );
      }
      return Promise.resolve(vmid ?? 100);
    },
  } as unknown as PveApi;
  return { api, asked };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('vmidCandidates', () => {
  it('offers the free ids of the range in order, skipping taken ones', () => {
    expect(vmidCandidates([{ min: 200, max: 205 }], new Set([200, 202]), 3)).toEqual([
      201, 203, 204,
    ]);
  });

  it('walks several ranges in order and never offers an id twice when they overlap', () => {
    const ranges = [
      { min: 300, max: 302 },
      { min: 100, max: 101 },
      { min: 301, max: 303 },
    ];

    expect(vmidCandidates(ranges, new Set(), 10)).toEqual([100, 101, 300, 301, 302, 303]);
  });

  it('starts at 100 when the policy sets no range', () => {
    expect(vmidCandidates(null, new Set([100]), 2)).toEqual([101, 102]);
  });

  it('offers nothing when every id of the range is taken', () => {
    expect(vmidCandidates([{ min: 100, max: 101 }], new Set([100, 101]), 5)).toEqual([]);
  });
});

describe('chooseVmid', () => {
  it('takes the first id of the range that PVE confirms free, past ids the user cannot see', async () => {
    const { api, asked } = fakeApi([200, 201]);

    const vmid = await chooseVmid(api, limitsOf({ min: 200, max: 299 }), new Set(), undefined);

    expect(vmid).toBe(202);
    expect(asked).toEqual([200, 201, 202]);
  });

  it('does not ask PVE about ids the user can already see taken', async () => {
    const { api, asked } = fakeApi([]);

    const vmid = await chooseVmid(api, limitsOf({ min: 200, max: 299 }), new Set([200]), undefined);

    expect(vmid).toBe(201);
    expect(asked).toEqual([201]);
  });

  it('gives up after a bounded number of attempts and says so', async () => {
    const hidden = Array.from({ length: 50 }, (_, i) => 200 + i);
    const { api, asked } = fakeApi(hidden);

    const error = await failure(
      chooseVmid(api, limitsOf({ min: 200, max: 299 }), new Set(), undefined),
    );

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/first 16 free-looking ids of your range \(200-299\)/);
    expect(asked).toHaveLength(maxVmidAttempts);
  });

  it('says clearly when the whole range is in use, without asking PVE', async () => {
    const { api, asked } = fakeApi([]);

    const error = await failure(
      chooseVmid(api, limitsOf({ min: 200, max: 201 }), new Set([200, 201]), undefined),
    );

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/Every guest id in your range \(200-201\) is in use/);
    expect(asked).toEqual([]);
  });

  it('checks a requested id with PVE and refuses it when taken', async () => {
    const { api, asked } = fakeApi([250]);

    expect(await chooseVmid(api, limitsOf({ min: 200, max: 299 }), new Set(), 251)).toBe(251);
    const error = await failure(chooseVmid(api, limitsOf({ min: 200, max: 299 }), new Set(), 250));

    expect(error.code).toBe('CONFLICT');
    expect(error.details?.fields).toEqual({ vmid: 'already in use' });
    expect(asked).toEqual([251, 250]);
  });

  it('refuses a requested id outside the range without asking PVE', async () => {
    const { api, asked } = fakeApi([]);

    const error = await failure(chooseVmid(api, limitsOf({ min: 200, max: 299 }), new Set(), 300));

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.fields).toEqual({ vmid: 'outside 200-299' });
    expect(asked).toEqual([]);
  });

  it('passes on an error other than a taken id', async () => {
    const api = {
      nextId: () => Promise.reject(new AppError('PVE_UNREACHABLE', 'down')),
    } as unknown as PveApi;

    const error = await failure(chooseVmid(api, limitsOf(), new Set(), undefined));

    expect(error.code).toBe('PVE_UNREACHABLE');
  });
});
