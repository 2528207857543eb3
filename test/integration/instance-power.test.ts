import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './lab';

function powerRequests(lab: Lab): string[] {
  return lab.sim.requests
    .filter((r) => r.method === 'POST' && r.path.includes('/status/'))
    .map((r) => `${r.path} -> ${r.status}`);
}

describe('instance:power', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('shuts down a running VM, streams the task and announces the change', async () => {
    const progress: string[] = [];
    const changes: string[] = [];
    const stopProgress = lab.core.on('task:progress', (event) => progress.push(event.state));
    const stopChanges = lab.core.on('cluster:changed', (event) => changes.push(event.reason));

    const result = await lab.call('instance:power', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      action: 'shutdown',
    });
    stopProgress();
    stopChanges();

    expect(result.action).toBe('shutdown');
    expect(result.task).toMatchObject({ status: 'ok', exitStatus: 'OK' });
    expect(result.task.upid).toMatch(
      /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmshutdown:100:alice@pve:$/,
    );
    expect(progress.at(-1)).toBe('stopped');
    expect(changes).toEqual(['shutdown of 100']);
    expect(lab.sim.state.instances.get(100)?.status).toBe('stopped');
    expect(powerRequests(lab).at(-1)).toBe('/nodes/pve1/qemu/100/status/shutdown -> 200');
  });

  it('starts the stopped VM again', async () => {
    const result = await lab.call('instance:power', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      action: 'start',
    });

    expect(result.task.status).toBe('ok');
    expect(lab.sim.state.instances.get(100)?.status).toBe('running');
  });

  it('reports a start of a running VM as the failed task PVE makes of it', async () => {
    const error = await lab.fail('instance:power', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      action: 'start',
    });

    expect(error.code).toBe('TASK_FAILED');
    expect(error.message).toBe('PVE could not start guest 100: VM 100 already running');
    expect(error.details?.upid).toMatch(/:qmstart:100:alice@pve:$/);
    expect(lab.sim.state.instances.get(100)?.status).toBe('running');
  });

  it('passes on the refusal PVE answers at once for a container that is already running', async () => {
    const tasksBefore = lab.sim.state.tasks.size;

    const error = await lab.fail('instance:power', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      action: 'start',
    });

    expect(error.code).toBe('PVE_ERROR');
    expect(error.message).toBe(
      'PVE could not complete POST /nodes/pve1/lxc/200/status/start: CT 200 already running',
    );
    expect(error.details?.status).toBe(500);
    expect(lab.sim.state.tasks.size).toBe(tasksBefore);
  });

  it('refuses to reboot a stopped VM the way PVE does', async () => {
    const error = await lab.fail('instance:power', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      action: 'reboot',
    });

    expect(error.code).toBe('PVE_ERROR');
    expect(error.message).toContain('VM 101 not running');
  });

  it('stops a stopped VM as PVE does: the task ends OK and nothing changes', async () => {
    const result = await lab.call('instance:power', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      action: 'stop',
    });

    expect(result.task).toMatchObject({ status: 'ok', exitStatus: 'OK' });
    expect(lab.sim.state.instances.get(101)?.status).toBe('stopped');
  });

  it('reboots and stops a running container', async () => {
    const reboot = await lab.call('instance:power', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      action: 'reboot',
    });
    const stop = await lab.call('instance:power', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      action: 'stop',
    });

    expect(reboot.task.upid).toMatch(/:vzreboot:200:/);
    expect(stop.task.upid).toMatch(/:vzstop:200:/);
    expect(lab.sim.state.instances.get(200)?.status).toBe('stopped');
  });

  it('reports a task that fails with the error PVE logged, leaving the guest as it was', async () => {
    lab.sim.faults.failNextTask = 'start failed: QEMU exited with code 1';

    const error = await lab.fail('instance:power', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      action: 'start',
    });

    expect(error.code).toBe('TASK_FAILED');
    expect(error.message).toBe(
      'PVE could not start guest 101: start failed: QEMU exited with code 1',
    );
    expect(lab.sim.state.instances.get(101)?.status).toBe('stopped');
  });

  it('refuses a guest outside the user pools and sends no power request', async () => {
    const before = powerRequests(lab).length;

    const error = await lab.fail('instance:power', {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      action: 'stop',
    });

    expect(error.code).toBe('NOT_OWNED');
    expect(powerRequests(lab)).toHaveLength(before);
    expect(lab.sim.state.instances.get(300)?.status).toBe('running');
  });

  it('refuses a locked guest and sends no power request', async () => {
    const guest = lab.sim.state.instances.get(100);
    if (!guest) throw new Error('the scenario has no VM 100');
    guest.config.lock = 'backup';
    const before = powerRequests(lab).length;

    const error = await lab
      .fail('instance:power', {
        node: 'pve1',
        type: 'qemu',
        vmid: 100,
        action: 'stop',
      })
      .finally(() => {
        delete guest.config.lock;
      });

    expect(error.code).toBe('LOCKED');
    expect(error.message).toContain('locked (backup)');
    expect(powerRequests(lab)).toHaveLength(before);
    expect(guest.status).toBe('running');
  });

  it.each([
    ['an unknown action', { action: 'destroy' }],
    ['an action with a path in it', { action: 'start/../../config' }],
    ['NaN as vmid', { vmid: Number.NaN }],
    ['a negative vmid', { vmid: -100 }],
    ['a fractional vmid', { vmid: 100.5 }],
    ['a vmid as a string', { vmid: '100' }],
    ['a hostile node name', { node: 'pve1/../../access/users' }],
    ['a node name with a query', { node: 'pve1?x=1' }],
    ['an unknown field', { force: true }],
  ])('refuses %s with INVALID_INPUT and sends nothing', async (_name, override) => {
    const before = lab.sim.requests.length;
    const input = { node: 'pve1', type: 'qemu', vmid: 100, action: 'stop', ...override };

    const error = await lab.fail('instance:power', input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(before);
  });
});

describe('instance:power when its task cannot be followed', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab(
      { taskDurationMs: 400 },
      { taskContactLostGraceMs: 20_000, taskDeadlineMs: 60_000 },
    );
    await lab.signIn();
  });
  afterAll(async () => {
    await lab.close();
  });

  const statusPolls = (): number =>
    lab.sim.requests.filter((request) => /\/tasks\/.*\/status$/.test(request.path)).length;

  it('reports the action done when only its task log cannot be read', async () => {
    lab.sim.faults.statusOverride = {
      status: 596,
      message: 'Connection timed out',
      path: /\/tasks\/.*\/log$/,
    };
    try {
      const result = await lab.call('instance:power', {
        node: 'pve1',
        type: 'qemu',
        vmid: 100,
        action: 'stop',
      });
      expect(result.task).toMatchObject({ status: 'ok', exitStatus: 'OK' });
    } finally {
      lab.sim.faults.statusOverride = undefined;
    }
  });

  it('reports the action done when PVE fails once on its side while asked about the task', async () => {
    lab.sim.faults.statusOverride = {
      status: 500,
      message: 'cfs-lock timeout',
      path: /\/tasks\/.*\/status$/,
      remaining: 1,
    };
    const result = await lab.call('instance:power', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      action: 'start',
    });
    expect(result.task).toMatchObject({ status: 'ok', exitStatus: 'OK' });
    expect(lab.sim.faults.statusOverride).toBeUndefined();
    await lab.call('instance:power', { node: 'pve1', type: 'qemu', vmid: 100, action: 'stop' });
  });

  it('stops following at sign-out while contact is lost, saying the outcome is not known', async () => {
    lab.sim.faults.statusOverride = {
      status: 596,
      message: 'Connection timed out',
      path: /\/tasks\/.*\/status$/,
    };
    const stop = lab.sim.onRequest((request) => {
      if (/\/tasks\/.*\/status$/.test(request.path)) void lab.core.invoke('session:logout');
    });
    try {
      const started = Date.now();
      const error = await lab.fail('instance:power', {
        node: 'pve1',
        type: 'qemu',
        vmid: 100,
        action: 'start',
      });
      const tookMs = Date.now() - started;
      const pollsAtAnswer = statusPolls();
      await new Promise((resolve) => setTimeout(resolve, 500));

      expect(error).toMatchObject({
        code: 'OUTCOME_UNKNOWN',
        details: { upid: expect.stringMatching(/^UPID:pve1:/) as unknown },
      });
      expect(error.message).toContain('start guest 100');
      // Well within the 20 s grace, and nothing asked after the answer.
      expect(tookMs).toBeLessThan(5_000);
      expect(statusPolls()).toBe(pollsAtAnswer);
    } finally {
      stop();
      lab.sim.faults.statusOverride = undefined;
    }
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
