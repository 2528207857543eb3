import { afterEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './lab';
import { newVm } from './new-guests';

// Alice (the bundled lab's first user) uses 7 of her 16 cores. Each create below asks for 5, so
// one fits and two do not. Tasks run 8 s in the simulator and the core stops following in the
// foreground after 1.5 s, so the first create comes back with its outcome still unknown.

const fiveCores = { ...newVm, cores: 5 };

async function usedCores(lab: Lab): Promise<number | undefined> {
  const usage = await lab.call('quota:usage');
  return usage.resources.find((r) => r.resource === 'cores')?.used;
}

describe('a reservation whose task is still running when the user signs out', () => {
  let lab: Lab;

  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('stays held across sign-out and sign-in, and is released once the task ends', async () => {
    lab = await startLab({ taskDurationMs: 8_000 }, { taskDeadlineMs: 1_500 });
    await lab.signIn();
    const timedOut = await lab.fail('instance:create', fiveCores);
    expect(timedOut.code).toBe('TASK_TIMEOUT');
    expect(await usedCores(lab)).toBe(12);

    await lab.call('session:logout');
    await lab.signIn(1);
    await lab.call('session:logout');
    await lab.signIn();

    expect(await usedCores(lab)).toBe(12);
    const refused = await lab.fail('instance:create', fiveCores);
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.details).toEqual({
      shortfalls: [
        {
          label: 'Cores',
          resource: 'cores',
          unit: 'count',
          limit: 16,
          used: 12,
          requested: 5,
          shortfall: 1,
        },
      ],
    });
    const creates = lab.sim.requests.filter(
      (r) => r.method === 'POST' && r.path === '/nodes/pve1/qemu',
    );
    expect(creates).toHaveLength(1);

    await expect
      .poll(() => lab.sim.state.instances.get(102)?.pool, { timeout: 10_000, interval: 200 })
      .toBe('alice');
    expect(lab.sim.state.instances.get(102)?.config.cores).toBe(5);
    // The cluster now has the 5 cores itself; the reservation must be gone, not added on top.
    await expect.poll(() => usedCores(lab), { timeout: 15_000, interval: 250 }).toBe(12);
  }, 40_000);
});
