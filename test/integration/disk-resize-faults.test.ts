import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GiB } from '../../src/shared/units';
import { startLab, type Lab } from './lab';

// Alice has 36 GiB left on tank (84 of 120 GiB). A adds 30 GiB to vm 101; B, another 30 GiB on
// ct 200, fits only if A never happened. When ProxDesk loses track of A after PVE accepted it,
// A may still happen, so B must be refused until A's outcome is known.
const resizeA = { node: 'pve2', type: 'qemu', vmid: 101, disk: 'virtio0', addGiB: 30 };
const resizeB = { node: 'pve1', type: 'lxc', vmid: 200, disk: 'mp0', addGiB: 30 };

describe('disk:resize when PVE fails after accepting the resize', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await startLab(
      { taskDurationMs: 800 },
      { requestTimeoutMs: 2_000, taskDeadlineMs: 8_000, taskContactLostGraceMs: 1_000 },
    );
    await lab.signIn();
  });
  afterEach(async () => {
    await lab.close();
  });

  it('says the outcome is unknown and keeps the quota reserved when the node goes down', async () => {
    const stop = lab.sim.onRequest((request) => {
      if (request.method === 'PUT' && request.path.endsWith('/resize')) lab.sim.faults.down = true;
    });

    const lost = await lab.fail('disk:resize', resizeA);
    stop();
    lab.sim.faults.down = false;
    const second = await lab.fail('disk:resize', resizeB);

    expect(lost.code).toBe('OUTCOME_UNKNOWN');
    expect(second.code).toBe('QUOTA_EXCEEDED');
    await expect
      .poll(() => lab.sim.state.instances.get(101)?.config.virtio0, { timeout: 10_000 })
      .toBe('tank:vm-101-disk-0,size=94G');
    expect(lab.sim.state.instances.get(200)?.config.mp0).toBe(
      'tank:vm-200-disk-1,mp=/data,size=20G',
    );
  });

  it('reports the resize done when one poll of its task status is answered 596 by the proxy', async () => {
    lab.sim.faults.statusOverride = {
      status: 596,
      message: 'Connection timed out',
      path: /\/tasks\/.*\/status$/,
      remaining: 1,
    };

    await lab.call('disk:resize', resizeA);

    expect(lab.sim.faults.statusOverride).toBeUndefined();
    expect(lab.sim.state.instances.get(101)?.config.virtio0).toBe('tank:vm-101-disk-0,size=94G');
    const statusPolls = lab.sim.requests.filter((request) => request.path.endsWith('/status'));
    expect(statusPolls.map((request) => request.status)).toContain(596);
    expect(statusPolls.at(-1)?.status).toBe(200);
  });

  it('reports the resize done and frees its reservation when only the task log cannot be read', async () => {
    lab.sim.faults.statusOverride = {
      status: 596,
      message: 'Connection timed out',
      path: /\/tasks\/.*\/log$/,
    };

    await lab.call('disk:resize', resizeA);
    lab.sim.faults.statusOverride = undefined;
    const usage = await lab.call('quota:usage');

    expect(lab.sim.state.instances.get(101)?.config.virtio0).toBe('tank:vm-101-disk-0,size=94G');
    // 114 GiB of tank's 120: counted once, from the config, with nothing left reserved.
    const tank = usage.resources.find((row) => row.resource === 'storage:tank');
    expect(tank?.used).toBe(114 * GiB);
  });

  it('keeps the quota reserved when the task status cannot be read for longer than the grace', async () => {
    lab.sim.faults.statusOverride = {
      status: 596,
      message: 'Connection timed out',
      path: /\/tasks\/.*\/status$/,
    };

    const lost = await lab.fail('disk:resize', resizeA);
    const second = await lab.fail('disk:resize', resizeB);

    expect(lost).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      details: { upid: expect.stringMatching(/^UPID:pve2:/) as unknown },
    });
    expect(second.code).toBe('QUOTA_EXCEEDED');
    lab.sim.faults.statusOverride = undefined;
  });

  it('reports a finished resize as done even when reading the config back fails', async () => {
    const stop = lab.sim.onRequest((request) => {
      if (
        request.path.endsWith('/status') &&
        lab.sim.state.instances.get(101)?.config.virtio0 === 'tank:vm-101-disk-0,size=94G'
      ) {
        lab.sim.faults.statusOverride = {
          status: 500,
          message: 'cfs-lock timeout',
          method: 'GET',
          path: '/nodes/pve2/qemu/101/config',
          remaining: 1,
        };
      }
    });
    const changed: string[] = [];
    const unsubscribe = lab.core.on('cluster:changed', (event) => changed.push(event.reason));

    const result = await lab.call('disk:resize', resizeA);
    stop();
    unsubscribe();

    expect(result).toMatchObject({ disk: 'virtio0', storage: 'tank', sizeBytes: 94 * GiB });
    expect(changed).toEqual(['resized virtio0 of 101']);
  });

  it('releases the quota at once when PVE refuses the resize outright', async () => {
    lab.sim.faults.statusOverride = {
      status: 500,
      message: 'storage tank is not online',
      method: 'PUT',
      remaining: 1,
    };

    const refused = await lab.fail('disk:resize', resizeA);
    const next = await lab.call('disk:resize', resizeB);

    expect(refused.code).toBe('PVE_ERROR');
    expect(next.sizeBytes).toBe(50 * GiB);
  });
});
