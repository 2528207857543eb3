import { afterEach, describe, expect, it } from 'vitest';
import type { CoreOptions } from '../../src/main/core';
import { GiB, MiB } from '../../src/shared/units';
import type { RecordedRequest } from '../pve-sim';
import { startLab, type Lab } from './lab';

const minute = 60_000;
const resize = { node: 'pve1', type: 'qemu', vmid: 100, disk: 'scsi0', addGiB: 1 } as const;
const rateChange = { node: 'pve1', type: 'qemu', vmid: 100, key: 'net0', rateMBps: 40 } as const;

function resizes(requests: readonly RecordedRequest[]): number[] {
  return requests
    .filter((r) => r.method === 'PUT' && r.path === '/nodes/pve1/qemu/100/resize')
    .map((r) => r.status);
}

function configWrites(requests: readonly RecordedRequest[]): number[] {
  return requests
    .filter((r) => r.method === 'PUT' && r.path === '/nodes/pve1/qemu/100/config')
    .map((r) => r.status);
}

function ticketPosts(requests: readonly RecordedRequest[]): number[] {
  return requests
    .filter((r) => r.method === 'POST' && r.path === '/access/ticket')
    .map((r) => r.status);
}

describe('completing an operation once across an expired session', () => {
  let lab: Lab;
  // The cluster's clock and the core's, moved together or apart.
  let simNow = Date.now();
  let coreNow = simNow;

  async function start(coreOptions: Partial<CoreOptions> = {}): Promise<void> {
    simNow = Date.now();
    coreNow = simNow;
    lab = await startLab(
      { now: () => simNow, taskDurationMs: 60 },
      { now: () => coreNow, ...coreOptions },
    );
    await lab.signIn(0);
  }

  /** Signs alice in again with her password, as the sign-in prompt does. */
  async function signInAgain(): Promise<void> {
    await lab.call('session:login', {
      url: lab.sim.url,
      realm: 'pve',
      username: 'alice',
      password: 'alice-lab-pass',
    });
  }

  /** Makes PVE's two hours run out right after it answers the first request that matches. */
  function expireAfter(match: (request: RecordedRequest) => boolean): void {
    const stop = lab.sim.onRequest((request) => {
      if (!match(request)) return;
      stop();
      simNow += 121 * minute;
    });
  }

  async function usedBytes(resource: string): Promise<number | undefined> {
    const usage = await lab.call('quota:usage');
    return usage.resources.find((r) => r.resource === resource)?.used;
  }

  afterEach(async () => {
    await lab.close();
  });

  it('resumes a resize whose session expired on a read before the write, committing it once', async () => {
    await start({ usageMaxAgeMs: 0 });
    const storageBefore = await usedBytes('storage:local-lvm');
    const before = lab.sim.requests.length;
    expireAfter((r) => r.method === 'GET' && r.path === '/cluster/resources');

    const error = await lab.fail('disk:resize', resize);

    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', details: { resumable: true } });
    expect(resizes(lab.sim.requests)).toEqual([]);
    expect(lab.sim.requests.slice(before).some((r) => r.status === 401)).toBe(true);
    expect(await lab.call('session:status')).toEqual({ signedIn: false });

    await signInAgain();
    const result = await lab.call('disk:resize', resize);

    expect(result).toMatchObject({ disk: 'scsi0', sizeBytes: 33 * GiB, task: { status: 'ok' } });
    expect(resizes(lab.sim.requests)).toEqual([200]);
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=33G');
    // Exactly one GiB more: the change is counted once and no reservation is left holding another.
    expect(await usedBytes('storage:local-lvm')).toBe((storageBefore ?? 0) + GiB);
  });

  it('resumes a resize that PVE refused with 401 at the write itself, committing it once', async () => {
    await start();
    const storageBefore = await usedBytes('storage:local-lvm');
    // The warm usage snapshot lets the resize send its write first; PVE's clock then runs out.
    simNow += 121 * minute;

    const error = await lab.fail('disk:resize', resize);

    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', details: { resumable: true } });
    expect(resizes(lab.sim.requests)).toEqual([401]);
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=32G');

    await signInAgain();
    await lab.call('disk:resize', resize);

    expect(resizes(lab.sim.requests)).toEqual([401, 200]);
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=33G');
    expect(await usedBytes('storage:local-lvm')).toBe((storageBefore ?? 0) + GiB);
  });

  it('resumes a rate change whose session expired on a read before the write, writing it once', async () => {
    await start({ usageMaxAgeMs: 0 });
    expireAfter((r) => r.method === 'GET' && r.path === '/cluster/resources');

    const error = await lab.fail('net:modify', rateChange);

    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', details: { resumable: true } });
    expect(configWrites(lab.sim.requests)).toEqual([]);

    await signInAgain();
    const result = await lab.call('net:modify', rateChange);

    expect(result).toMatchObject({ changed: true, network: { rateBytesPerSecond: 40 * MiB } });
    expect(configWrites(lab.sim.requests)).toEqual([200]);
    expect(lab.sim.state.instances.get(100)?.config.net0).toBe(
      'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=40',
    );
    // 125.5 MB/s before, VM 100's 50 now 40.
    expect(await usedBytes('network')).toBe(115.5 * MiB);
  });

  it('resumes a rate change that PVE refused with 401 at the write, writing it once', async () => {
    await start();
    await lab.call('quota:usage');
    simNow += 121 * minute;

    const error = await lab.fail('net:modify', rateChange);

    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', details: { resumable: true } });
    expect(configWrites(lab.sim.requests)).toEqual([401]);
    expect(lab.sim.state.instances.get(100)?.config.net0).toBe(
      'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=50',
    );

    await signInAgain();
    await lab.call('net:modify', rateChange);

    expect(configWrites(lab.sim.requests)).toEqual([401, 200]);
    expect(lab.sim.state.instances.get(100)?.config.net0).toBe(
      'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=40',
    );
    expect(await usedBytes('network')).toBe(115.5 * MiB);
  });

  it('never offers to repeat a resize once PVE returned its task id, even when the session then ends', async () => {
    await start();
    expireAfter((r) => r.method === 'PUT' && r.path.endsWith('/resize'));

    const error = await lab.fail('disk:resize', resize);

    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect(error.details?.resumable).toBeUndefined();
    expect(error.details?.upid).toMatch(/^UPID:pve1:/);
    // The task PVE accepted runs to its end: the disk grows once, by the one request sent.
    await expect
      .poll(() => lab.sim.state.instances.get(100)?.config.scsi0)
      .toBe('local-lvm:vm-100-disk-0,size=33G');
    expect(resizes(lab.sim.requests)).toEqual([200]);
  });

  it('renews the ticket first when it is in its last half hour, and commits once', async () => {
    await start();
    simNow += 105 * minute;
    coreNow += 105 * minute;

    await lab.call('disk:resize', resize);

    expect(ticketPosts(lab.sim.requests)).toEqual([200, 200]);
    expect(resizes(lab.sim.requests)).toEqual([200]);
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=33G');
  });

  it('asks for a new sign-in when PVE refuses the renewal, sending no write', async () => {
    await start();
    // The core thinks renewal can still work; the cluster's two hours are already over.
    coreNow += 105 * minute;
    simNow += 125 * minute;

    const error = await lab.fail('disk:resize', resize);

    expect(error).toMatchObject({
      code: 'SESSION_EXPIRED',
      message: 'Your PVE session has expired. Sign in again.',
      details: { status: 401, resumable: true },
    });
    expect(ticketPosts(lab.sim.requests)).toEqual([200, 401]);
    expect(resizes(lab.sim.requests)).toEqual([]);
    expect(await lab.call('session:status')).toEqual({ signedIn: false });
  });

  it('sent PVE only requests its official API accepts', async () => {
    await start();
    simNow += 121 * minute;
    await lab.fail('net:modify', rateChange);
    await signInAgain();
    await lab.call('net:modify', rateChange);

    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
