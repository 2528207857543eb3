import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../pve-sim';
import { startLab, type Lab } from './lab';

function hex8(value: number): string {
  return value.toString(16).toUpperCase().padStart(8, '0');
}

/** A task record as the simulator keeps it, for tasks that ProxDesk did not start. */
function recordedTask(
  fields: Pick<TaskRecord, 'node' | 'type' | 'id' | 'user' | 'starttime'> &
    Partial<Pick<TaskRecord, 'status' | 'exitstatus' | 'log'>>,
): TaskRecord {
  const pid = 0x10000 + (fields.starttime % 0xffff);
  const upid = `UPID:${fields.node}:${hex8(pid)}:${hex8(0x1c9e000)}:${hex8(fields.starttime)}:${fields.type}:${fields.id}:${fields.user}:`;
  return {
    upid,
    pid,
    pstart: 0x1c9e000,
    status: 'stopped',
    exitstatus: 'OK',
    log: ['TASK OK'],
    ...fields,
  };
}

describe('task:list and task:log', () => {
  let lab: Lab;
  let shutdownUpid = '';
  const nowSeconds = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
    const shutdown = await lab.call('instance:power', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      action: 'shutdown',
    });
    shutdownUpid = shutdown.task.upid;
    lab.sim.faults.failNextTask = 'unable to open volume';
    await lab.fail('instance:power', { node: 'pve2', type: 'qemu', vmid: 101, action: 'start' });
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('lists the tasks of her own guests newest first, with how each ended', async () => {
    const running = recordedTask({
      node: 'pve1',
      type: 'vzdump',
      id: '100',
      user: 'alice@pve',
      starttime: nowSeconds + 60,
      status: 'running',
      exitstatus: null,
    });
    const notHers = recordedTask({
      node: 'pve1',
      type: 'qmstart',
      id: '300',
      user: 'alice@pve',
      starttime: nowSeconds + 120,
    });
    const bobs = recordedTask({
      node: 'pve2',
      type: 'qmstart',
      id: '110',
      user: 'bob@pve',
      starttime: nowSeconds + 180,
    });
    for (const task of [running, notHers, bobs]) lab.sim.state.tasks.set(task.upid, task);

    const tasks = await lab.call('task:list');

    expect(tasks.map((t) => [t.vmid, t.type, t.state, t.exitStatus])).toEqual([
      [100, 'vzdump', 'running', null],
      [101, 'qmstart', 'failed', 'unable to open volume'],
      [200, 'vzshutdown', 'ok', 'OK'],
    ]);
    expect(tasks[2]).toMatchObject({ upid: shutdownUpid, node: 'pve1', user: 'alice@pve' });
    expect(tasks[2]?.endedAt).toBeGreaterThanOrEqual(tasks[2]?.startedAt ?? Infinity);
    expect(tasks[0]?.endedAt).toBeNull();
    const listed = lab.sim.requests.filter((r) => r.path.endsWith('/tasks')).map((r) => r.path);
    expect(listed.sort()).toEqual(['/nodes/pve1/tasks', '/nodes/pve2/tasks']);
  });

  it('still lists the tasks of the reachable nodes when one node is offline', async () => {
    const pve2 = lab.sim.state.nodes.get('pve2');
    if (!pve2) throw new Error('the scenario has no node pve2');
    pve2.status = 'offline';

    const tasks = await lab.call('task:list').finally(() => {
      pve2.status = 'online';
    });

    expect(new Set(tasks.map((t) => t.node))).toEqual(new Set(['pve1']));
    expect(tasks.map((t) => t.vmid)).toContain(200);
  });

  it("returns one task's log lines and how it ended", async () => {
    const result = await lab.call('task:log', { upid: shutdownUpid });

    expect(result).toEqual({
      upid: shutdownUpid,
      node: 'pve1',
      running: false,
      exitStatus: 'OK',
      lines: [
        { n: 1, text: 'requesting clean shutdown of CT 200' },
        { n: 2, text: 'CT 200 powered off' },
        { n: 3, text: 'TASK OK' },
      ],
      truncated: false,
    });
  });

  it('refuses the log of a task on a guest outside her pools without reading it', async () => {
    const task = recordedTask({
      node: 'pve1',
      type: 'qmstart',
      id: '300',
      user: 'alice@pve',
      starttime: nowSeconds + 240,
    });
    lab.sim.state.tasks.set(task.upid, task);
    const before = lab.sim.requests.filter((r) => r.path.includes('/tasks/')).length;

    const error = await lab.fail('task:log', { upid: task.upid });

    expect(error.code).toBe('NOT_OWNED');
    expect(lab.sim.requests.filter((r) => r.path.includes('/tasks/')).length).toBe(before);
  });

  it.each([
    [
      'a path in the node field',
      'UPID:pve1/../..:0002F41A:01C9E3B1:6789ABCD:qmstart:100:alice@pve:',
    ],
    ['a query string', 'UPID:pve1:0002F41A:01C9E3B1:6789ABCD:qmstart:100:alice@pve:?x=1'],
    ['a missing final colon', 'UPID:pve1:0002F41A:01C9E3B1:6789ABCD:qmstart:100:alice@pve'],
    ['a field too many', 'UPID:pve1:0002F41A:01C9E3B1:6789ABCD:qmstart:100:alice@pve:x:'],
    ['a pid that is not hex', 'UPID:pve1:0002G41A:01C9E3B1:6789ABCD:qmstart:100:alice@pve:'],
    ['no UPID prefix', 'pve1:0002F41A:01C9E3B1:6789ABCD:qmstart:100:alice@pve:'],
    ['a number', 42],
  ])('refuses a task id with %s with INVALID_INPUT and sends nothing', async (_name, upid) => {
    const before = lab.sim.requests.length;

    const error = await lab.fail('task:log', { upid });

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(before);
  });
});
