import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { findVolume, type Sim } from './index.js';
import { call, insecureAgent, login, startLab, waitForTask, type Session } from './test-client.js';

const GiB = 1024 ** 3;

describe('disk resize', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;

  beforeEach(async () => {
    sim = await startLab({ taskDurationMs: 80 });
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
  });

  afterEach(async () => {
    await sim.close();
    await agent.close();
  });

  async function resize(
    vmPath: string,
    form: Record<string, string>,
  ): Promise<{ status: number; data: unknown; message?: string }> {
    const reply = await call(sim, agent, 'PUT', `${vmPath}/resize`, { session: alice, form });
    return { status: reply.status, data: reply.json?.data, message: reply.json?.message };
  }

  async function digestOf(vmPath: string): Promise<string> {
    const reply = await call(sim, agent, 'GET', `${vmPath}/config`, { session: alice });
    return String((reply.json?.data as Record<string, unknown>).digest);
  }

  it('applies two relative resizes that were both accepted before either finished', async () => {
    const first = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+2G' });
    const second = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+3G' });

    await waitForTask(sim, agent, alice, String(first.data));
    await waitForTask(sim, agent, alice, String(second.data));

    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=37G');
  });

  it('grows a qemu disk and its volume only when the task ends', async () => {
    const digestBefore = await digestOf('/nodes/pve1/qemu/100');

    const started = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+2G' });
    const upid = String(started.data);
    const whileRunning = sim.state.instances.get(100)?.config.scsi0;
    const final = await waitForTask(sim, agent, alice, upid);

    expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:resize:100:alice@pve:$/);
    expect(whileRunning).toBe('local-lvm:vm-100-disk-0,size=32G');
    expect(final).toMatchObject({
      status: 'stopped',
      exitstatus: 'OK',
      type: 'resize',
      id: '100',
      user: 'alice@pve',
    });
    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=34G');
    expect(findVolume(sim.state, 'local-lvm', 'local-lvm:vm-100-disk-0', 'pve1')?.sizeBytes).toBe(
      34 * GiB,
    );
    expect(await digestOf('/nodes/pve1/qemu/100')).not.toBe(digestBefore);
  });

  it('sets an absolute size on a container mount point, keeping its other options', async () => {
    const started = await resize('/nodes/pve1/lxc/200', { disk: 'mp0', size: '24G' });
    await waitForTask(sim, agent, alice, String(started.data));

    expect(sim.state.instances.get(200)?.config.mp0).toBe('tank:vm-200-disk-1,mp=/data,size=24G');
    expect(findVolume(sim.state, 'tank', 'tank:vm-200-disk-1', 'pve1')?.sizeBytes).toBe(24 * GiB);
  });

  it('prints the new size in the largest unit that divides it evenly', async () => {
    const started = await resize('/nodes/pve1/qemu/100', { disk: 'efidisk0', size: '+1M' });
    await waitForTask(sim, agent, alice, String(started.data));

    expect(sim.state.instances.get(100)?.config.efidisk0).toBe(
      'local-lvm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=1552K',
    );
  });

  it('accepts the current digest and refuses a stale one', async () => {
    const current = await digestOf('/nodes/pve2/qemu/101');

    const stale = await resize('/nodes/pve2/qemu/101', {
      disk: 'virtio0',
      size: '+1G',
      digest: '0'.repeat(40),
    });
    const fresh = await resize('/nodes/pve2/qemu/101', {
      disk: 'virtio0',
      size: '+1G',
      digest: current,
    });

    expect(stale).toEqual({
      status: 500,
      data: null,
      message: 'detected modified configuration - file changed by other user? Try again.\n',
    });
    expect(fresh.status).toBe(200);
  });

  it('refuses to shrink a disk and starts no task', async () => {
    const reply = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '16G' });

    expect(reply).toEqual({
      status: 500,
      data: null,
      message: 'shrinking disks is not supported\n',
    });
    expect(sim.state.tasks.size).toBe(0);
  });

  it('refuses a locked guest', async () => {
    const vm = sim.state.instances.get(100);
    const ct = sim.state.instances.get(200);
    if (vm) vm.config.lock = 'backup';
    if (ct) ct.config.lock = 'mounted';

    const vmReply = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+1G' });
    const ctReply = await resize('/nodes/pve1/lxc/200', { disk: 'rootfs', size: '+1G' });

    expect(vmReply).toEqual({ status: 500, data: null, message: 'VM is locked (backup)\n' });
    expect(ctReply).toEqual({ status: 500, data: null, message: 'CT is locked (mounted)\n' });
  });

  it('refuses a CD drive, a bind mount, an empty slot and a guest on another node', async () => {
    const cdrom = await resize('/nodes/pve1/qemu/100', { disk: 'ide2', size: '+1G' });
    const bind = await resize('/nodes/pve1/lxc/200', { disk: 'mp1', size: '+1G' });
    const empty = await resize('/nodes/pve1/qemu/100', { disk: 'scsi5', size: '+1G' });
    const elsewhere = await resize('/nodes/pve2/qemu/100', { disk: 'scsi0', size: '+1G' });

    expect(cdrom.message).toBe("you can't resize a cdrom\n");
    expect(bind.message).toBe("cannot resize 'mp1': it is a bind mount, not a volume\n");
    expect(empty.message).toBe("disk 'scsi5' does not exist\n");
    expect(elsewhere).toEqual({
      status: 500,
      data: null,
      message: "Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist\n",
    });
  });

  it('refuses a disk on a storage the user may not allocate space on', async () => {
    sim.state.acl = sim.state.acl.filter(
      (entry) => !(entry.ugid === 'alice@pve' && entry.path === '/storage/tank'),
    );

    const reply = await resize('/nodes/pve2/qemu/101', { disk: 'virtio0', size: '+1G' });

    expect(reply).toEqual({
      status: 403,
      data: null,
      message: 'Permission check failed (/storage/tank, Datastore.AllocateSpace)\n',
    });
  });

  it('fails the next task on request, leaving disk and volume as they were', async () => {
    sim.faults.failNextTask = 'lvextend failed: simulated I/O error';

    const started = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+2G' });
    const final = await waitForTask(sim, agent, alice, String(started.data));
    const log = await call(
      sim,
      agent,
      'GET',
      `/nodes/pve1/tasks/${encodeURIComponent(String(started.data))}/log`,
      {
        session: alice,
      },
    );

    expect(final.exitstatus).toBe('lvextend failed: simulated I/O error');
    expect((log.json?.data as { t: string }[]).at(-1)).toEqual({
      n: 3,
      t: 'TASK ERROR: lvextend failed: simulated I/O error',
    });
    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=32G');
    expect(sim.faults.failNextTask).toBeUndefined();
  });

  it('fails the task when the storage has no room for the growth', async () => {
    const started = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+2T' });
    const final = await waitForTask(sim, agent, alice, String(started.data));

    expect(final.exitstatus).toMatch(/^not enough free space on storage 'local-lvm'/);
    expect(findVolume(sim.state, 'local-lvm', 'local-lvm:vm-100-disk-0', 'pve1')?.sizeBytes).toBe(
      32 * GiB,
    );
  });

  it('reports warnings as a success that still applies the change', async () => {
    sim.faults.warnNextTask = 2;

    const started = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+1G' });
    const final = await waitForTask(sim, agent, alice, String(started.data));

    expect(final.exitstatus).toBe('WARNINGS: 2');
    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=33G');
  });

  it('keeps a task running forever while tasks hang', async () => {
    sim.faults.hangTasks = true;

    const started = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+1G' });
    await sleep(250);
    const status = await call(
      sim,
      agent,
      'GET',
      `/nodes/pve1/tasks/${encodeURIComponent(String(started.data))}/status`,
      {
        session: alice,
      },
    );

    expect(status.json?.data).toMatchObject({ status: 'running' });
    expect(status.json?.data).not.toHaveProperty('exitstatus');
  });

  it('pages the task log with start and limit', async () => {
    const started = await resize('/nodes/pve1/qemu/100', { disk: 'scsi0', size: '+1G' });
    await waitForTask(sim, agent, alice, String(started.data));

    const page = await call(
      sim,
      agent,
      'GET',
      `/nodes/pve1/tasks/${encodeURIComponent(String(started.data))}/log`,
      {
        session: alice,
        query: { start: '1', limit: '1' },
      },
    );

    expect(page.json).toEqual({
      data: [{ n: 2, t: "extending volume local-lvm:vm-100-disk-0 on storage 'local-lvm'" }],
      total: 3,
    });
  });
});

describe('disk resize without the official schema', () => {
  it("still refuses a malformed size with PVE's 400 shape", async () => {
    const sim = await startLab({ schemaPath: null });
    const agent = insecureAgent();
    const alice = await login(sim, agent, 'alice@pve');

    const reply = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/resize', {
      session: alice,
      form: { disk: 'scsi0', size: '+abc' },
    });
    await sim.close();
    await agent.close();

    expect(reply.status).toBe(400);
    expect(reply.reason).toBe('Parameter verification failed.');
    expect(reply.json).toEqual({
      data: null,
      errors: { size: 'value does not match the regex pattern' },
      message: 'Parameter verification failed.\n',
    });
    expect(sim.schemaViolations).toEqual([]);
  });
});
