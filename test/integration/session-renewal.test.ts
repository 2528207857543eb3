import { afterEach, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../src/main/core/scheduler';
import type { SessionStatus } from '../../src/shared/contract';
import type { RecordedRequest } from '../pve-sim';
import { startLab, type Lab } from './lab';

const minute = 60_000;

/** A scheduler the test fires by hand. */
function manualScheduler(): Scheduler & {
  tasks: { delayMs: number; run: () => void; cancelled: boolean }[];
} {
  const tasks: { delayMs: number; run: () => void; cancelled: boolean }[] = [];
  const schedule: Scheduler = (delayMs, run) => {
    const task = { delayMs, run, cancelled: false };
    tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  };
  return Object.assign(schedule, { tasks });
}

function ticketPosts(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method === 'POST' && r.path === '/access/ticket');
}

function resizes(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/resize'));
}

describe('ticket renewal and expiry', () => {
  let lab: Lab;
  // One clock for the simulated cluster and one for the core, moved together or apart.
  let simNow = Date.now();
  let coreNow = simNow;

  async function start(): Promise<ReturnType<typeof manualScheduler>> {
    simNow = Date.now();
    coreNow = simNow;
    const scheduler = manualScheduler();
    lab = await startLab(
      { now: () => simNow, taskDurationMs: 60 },
      { now: () => coreNow, scheduler },
    );
    await lab.signIn(0);
    return scheduler;
  }

  afterEach(async () => {
    await lab.close();
  });

  it('renews the ticket on a timer 1 h 30 after sign-in, without interrupting the session', async () => {
    const scheduler = await start();
    const statuses: SessionStatus[] = [];
    lab.core.on('session:changed', (status) => statuses.push(status));
    expect(scheduler.tasks.map((t) => t.delayMs)).toEqual([90 * minute]);

    simNow += 90 * minute;
    coreNow += 90 * minute;
    scheduler.tasks[0]?.run();
    await expect.poll(() => statuses.length).toBe(1);

    expect(ticketPosts(lab.sim.requests).map((r) => [r.status, r.userid])).toEqual([
      [200, 'alice@pve'],
      [200, 'alice@pve'],
    ]);
    expect(statuses[0]).toMatchObject({
      signedIn: true,
      expiresAt: new Date(coreNow + 120 * minute).toISOString(),
    });
    expect(scheduler.tasks.map((t) => t.delayMs)).toEqual([90 * minute, 90 * minute]);

    // Past the first ticket's two hours, the renewed one still works.
    simNow += 45 * minute;
    coreNow += 45 * minute;
    const instances = await lab.call('instance:list');
    expect(instances.map((i) => i.vmid).sort()).toEqual([100, 101, 200]);
    expect(ticketPosts(lab.sim.requests)).toHaveLength(2);
  });

  it('renews lazily when the timer could not run: 1 h 45 later the next call renews first', async () => {
    await start();

    simNow += 105 * minute;
    coreNow += 105 * minute;
    const instances = await lab.call('instance:list');

    const posts = ticketPosts(lab.sim.requests);
    expect(posts).toHaveLength(2);
    expect(instances.map((i) => i.vmid).sort()).toEqual([100, 101, 200]);
    const renewalIndex = lab.sim.requests.indexOf(posts[1]!);
    const listIndex = lab.sim.requests.findIndex((r) => r.path === '/cluster/resources');
    expect(renewalIndex).toBeLessThan(listIndex);
    expect(lab.sim.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('renews once for calls that arrive together', async () => {
    await start();

    simNow += 105 * minute;
    coreNow += 105 * minute;
    const [instances, usage] = await Promise.all([
      lab.call('instance:list'),
      lab.call('quota:usage'),
    ]);

    expect(ticketPosts(lab.sim.requests)).toHaveLength(2);
    expect(instances).toHaveLength(3);
    expect(usage.userid).toBe('alice@pve');
  });

  it('stops the timer on sign-out', async () => {
    const scheduler = await start();

    await lab.call('session:logout');

    expect(scheduler.tasks.map((t) => t.cancelled)).toEqual([true]);
  });

  it('asks for a new sign-in when the ticket expires between pricing and commit, and commits nothing', async () => {
    await start();
    const statuses: SessionStatus[] = [];
    lab.core.on('session:changed', (status) => statuses.push(status));
    // Reading the usage prices from a warm snapshot, so the resize itself sends only its write.
    await lab.call('quota:usage');
    const before = lab.sim.requests.length;

    // Only the cluster's clock moves: the core still thinks the ticket is young.
    simNow += 121 * minute;
    const error = await lab.fail('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk: 'scsi0',
      addGiB: 1,
    });

    expect(error.code).toBe('SESSION_EXPIRED');
    expect(error.message).toMatch(/Sign in again/);
    const sent = lab.sim.requests.slice(before);
    expect(resizes(sent).map((r) => r.status)).toEqual([401]);
    expect(ticketPosts(sent)).toEqual([]);
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=32G');
    expect(statuses).toEqual([{ signedIn: false }]);
    expect(await lab.call('session:status')).toEqual({ signedIn: false });
    expect((await lab.fail('instance:list')).code).toBe('NOT_SIGNED_IN');
  });

  it('refuses work once the core sees the ticket is two hours old, sending nothing', async () => {
    await start();
    const before = lab.sim.requests.length;

    simNow += 120 * minute;
    coreNow += 120 * minute;
    const error = await lab.fail('instance:list');

    expect(error.code).toBe('SESSION_EXPIRED');
    expect(lab.sim.requests.length).toBe(before);
  });

  it('sent PVE only requests its official API accepts', async () => {
    await start();
    await lab.call('instance:list');

    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
