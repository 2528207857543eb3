import { afterEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './lab';
import { newVm } from './new-guests';

// Another create can take a guest id between ProxDesk's check of it and its own create. PVE then
// refuses the create, either at once or as the task's exit status; both read as a conflict over
// the id, and the reservation goes, since nothing was created.

const taken = "unable to create VM 102 - VM 102 already exists on node 'pve2'";
const conflict = {
  code: 'CONFLICT',
  message:
    'Guest id 102 was taken by another guest in the meantime, so nothing was created. Choose another id and try again.',
};
const vmidField = { vmid: '102 was taken in the meantime; choose another id' };

async function usedCores(lab: Lab): Promise<number | undefined> {
  const usage = await lab.call('quota:usage');
  return usage.resources.find((r) => r.resource === 'cores')?.used;
}

describe('a guest id another create takes first', () => {
  let lab: Lab;

  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('is a CONFLICT naming the id when PVE refuses the create request', async () => {
    lab = await startLab();
    await lab.signIn();
    lab.sim.faults.statusOverride = {
      status: 500,
      message: taken,
      method: 'POST',
      path: '/nodes/pve1/qemu',
      remaining: 1,
    };

    const error = await lab.fail('instance:create', newVm);

    expect(error).toMatchObject(conflict);
    expect(error.details?.fields).toEqual(vmidField);
    expect(lab.sim.state.instances.has(102)).toBe(false);
    expect(await usedCores(lab)).toBe(7);
  });

  it('is a CONFLICT naming the id when the create task fails on it', async () => {
    lab = await startLab();
    await lab.signIn();
    lab.sim.faults.failNextTask = taken;

    const error = await lab.fail('instance:create', newVm);

    expect(error).toMatchObject(conflict);
    expect(error.details?.fields).toEqual(vmidField);
    expect(error.details?.upid).toMatch(/^UPID:pve1:.*:qmcreate:102:alice@pve:$/);
    expect(lab.sim.state.instances.has(102)).toBe(false);
    expect(await usedCores(lab)).toBe(7);
  });
});
