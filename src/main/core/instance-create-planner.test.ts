import { describe, expect, it } from 'vitest';
import type { PveApi } from '../pve/api';
import { parsePolicy, resolveUserLimits, type UserLimits } from '../quota/policy';
import { ReservationBook } from '../quota/reservations';
import { claimNewVmid, type InstanceCreateDetail } from './instance-create-planner';
import type { InstanceCreatePlan } from './instance-create-plan';

function limits(): UserLimits {
  const parsed = parsePolicy({
    version: 1,
    users: { 'a@pve': { pools: ['p'], vmids: { min: 100, max: 199 } } },
  });
  if (!parsed.ok) throw new Error('the test policy is not valid');
  const resolved = resolveUserLimits(parsed.policy, 'a@pve');
  if (!resolved) throw new Error('the test policy does not name a@pve');
  return resolved;
}

/** A cluster in which every id is free, as `nextid` confirms it. */
const api = { nextId: (vmid?: number) => Promise.resolve(vmid ?? 100) } as unknown as PveApi;

const plan: InstanceCreatePlan = {
  type: 'qemu',
  node: 'pve1',
  pool: 'p',
  params: {},
  delta: { node: 'pve1', cores: 1 },
};

function detail(visible: number[], requestedVmid?: number): InstanceCreateDetail {
  return { plan, limits: limits(), visibleVmids: new Set(visible), requestedVmid };
}

describe('claimNewVmid', () => {
  it('gives creates in flight different ids, and an id back once its claim is released', async () => {
    const claim = claimNewVmid(new ReservationBook());

    const first = await claim({ api, detail: detail([100]) });
    const second = await claim({ api, detail: detail([100]) });
    first.release();
    const third = await claim({ api, detail: detail([100]) });

    expect([first.detail.vmid, second.detail.vmid, third.detail.vmid]).toEqual([101, 102, 101]);
  });

  it('refuses a requested id another create holds, as in use', async () => {
    const claim = claimNewVmid(new ReservationBook());
    await claim({ api, detail: detail([], 150) });

    const error = await claim({ api, detail: detail([], 150) }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'CONFLICT',
      details: { fields: { vmid: 'already in use' } },
    });
  });

  it('keeps the claims of one core apart from those of another', async () => {
    const first = await claimNewVmid(new ReservationBook())({ api, detail: detail([]) });
    const other = await claimNewVmid(new ReservationBook())({ api, detail: detail([]) });

    expect([first.detail.vmid, other.detail.vmid]).toEqual([100, 100]);
  });
});
