import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, type Session } from './test-client.js';

type Row = Record<string, unknown>;

describe('permission checks and filtering', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;
  let bob: Session;

  beforeAll(async () => {
    sim = await startLab();
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
    bob = await login(sim, agent, 'bob@pve');
  });

  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  async function resources(session: Session, type?: string): Promise<Row[]> {
    const reply = await call(sim, agent, 'GET', '/cluster/resources', {
      session,
      ...(type ? { query: { type } } : {}),
    });
    return reply.json?.data as Row[];
  }

  it("shows alice her guests and the shared one, not bob's", async () => {
    const rows = await resources(alice, 'vm');

    expect(rows.map((row) => row.id)).toEqual(['qemu/100', 'qemu/101', 'lxc/200', 'qemu/300']);
    expect(rows.find((row) => row.vmid === 100)).toMatchObject({
      type: 'qemu',
      node: 'pve1',
      name: 'alice-web',
      status: 'running',
      pool: 'alice',
      maxcpu: 2,
      maxmem: 4096 * 1024 * 1024,
      maxdisk: 32 * 1024 ** 3,
      template: 0,
    });
  });

  it('shows bob only his guests', async () => {
    const rows = await resources(bob, 'vm');

    expect(rows.map((row) => row.id)).toEqual(['qemu/110', 'lxc/210']);
  });

  it('lists storages per node with capacity and use, and nodes without figures for non-auditors', async () => {
    const storages = await resources(alice, 'storage');
    const nodes = await resources(alice, 'node');

    expect(storages.map((row) => row.id)).toEqual([
      'storage/pve1/local-lvm',
      'storage/pve2/local-lvm',
      'storage/pve1/tank',
      'storage/pve2/tank',
      'storage/pve1/local',
      'storage/pve2/local',
    ]);
    expect(storages[0]).toMatchObject({
      storage: 'local-lvm',
      plugintype: 'lvmthin',
      content: 'images,rootdir',
      shared: 0,
      maxdisk: 1024 ** 4,
      disk: 40 * 1024 ** 3 + 528 * 1024,
    });
    expect(storages[2]).toMatchObject({ shared: 1, maxdisk: 4 * 1024 ** 4, disk: 140 * 1024 ** 3 });
    expect(nodes).toEqual([
      { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', level: '' },
      { id: 'node/pve2', type: 'node', node: 'pve2', status: 'online', level: '' },
    ]);
  });

  it('lists pools only to users with Pool.Audit on them', async () => {
    const rows = await resources(alice);

    expect(rows.filter((row) => row.type === 'pool')).toEqual([
      { id: 'pool/shared', type: 'pool', pool: 'shared' },
    ]);
  });

  it("refuses bob alice's config with PVE's 403 shape", async () => {
    const reply = await call(sim, agent, 'GET', '/nodes/pve1/qemu/100/config', { session: bob });

    expect(reply.status).toBe(403);
    expect(reply.reason).toBe('Permission check failed (/vms/100, VM.Audit)');
    expect(JSON.parse(reply.text)).toEqual({
      data: null,
      message: 'Permission check failed (/vms/100, VM.Audit)\n',
    });
  });

  it('lets alice read but not resize the shared guest', async () => {
    const read = await call(sim, agent, 'GET', '/nodes/pve1/qemu/300/config', { session: alice });
    const resize = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/300/resize', {
      session: alice,
      form: { disk: 'scsi0', size: '+1G' },
    });

    expect(read.status).toBe(200);
    expect(resize.status).toBe(403);
    expect(resize.json).toEqual({
      data: null,
      message: 'Permission check failed (/vms/300, VM.Config.Disk)\n',
    });
  });

  it('lists on a storage only the volumes of guests the user may configure', async () => {
    const tank = await call(sim, agent, 'GET', '/nodes/pve1/storage/tank/content', {
      session: alice,
    });
    const local = await call(sim, agent, 'GET', '/nodes/pve1/storage/local/content', {
      session: bob,
      query: { content: 'iso' },
    });

    expect((tank.json?.data as Row[]).map((row) => row.volid)).toEqual([
      'tank:vm-101-disk-0',
      'tank:vm-200-disk-1',
    ]);
    expect(local.json?.data).toEqual([
      {
        volid: 'local:iso/debian-12.7.0-amd64-netinst.iso',
        content: 'iso',
        format: 'iso',
        size: 631 * 1024 * 1024,
        ctime: 1725712800,
      },
      {
        volid: 'local:iso/ubuntu-24.04.1-live-server-amd64.iso',
        content: 'iso',
        format: 'iso',
        size: 2646 * 1024 * 1024,
        ctime: 1725024000,
      },
    ]);
  });

  it('refuses a task of another user without Sys.Audit on the node', async () => {
    const started = await call(sim, agent, 'PUT', '/nodes/pve2/qemu/110/resize', {
      session: bob,
      form: { disk: 'scsi0', size: '+1G' },
    });
    const upid = String(started.json?.data);

    const reply = await call(
      sim,
      agent,
      'GET',
      `/nodes/pve2/tasks/${encodeURIComponent(upid)}/status`,
      {
        session: alice,
      },
    );

    expect(reply.status).toBe(403);
    expect(reply.json?.message).toBe('Permission check failed (/nodes/pve2, Sys.Audit)\n');
  });
});
