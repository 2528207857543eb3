import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, waitForTask, type Session } from './test-client.js';

// 2026-12-03 10:00:00 UTC, so archive names are predictable.
const nowMs = Date.UTC(2026, 11, 3, 10, 0, 0);

function backupsOn(sim: Sim, storage: string): string[] {
  return (sim.state.storages.get(storage)?.volumes ?? [])
    .filter((volume) => volume.content === 'backup')
    .map((volume) => `${volume.node ?? '-'} ${volume.volid}`);
}

describe('vzdump and backup volumes', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;
  let bob: Session;

  beforeEach(async () => {
    sim = await startLab({ taskDurationMs: 40, now: () => nowMs });
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
    bob = await login(sim, agent, 'bob@pve');
  });

  afterEach(async () => {
    expect(sim.schemaViolations).toEqual([]);
    await sim.close();
    await agent.close();
  });

  async function vzdump(session: Session, form: Record<string, string>): Promise<string> {
    const reply = await call(sim, agent, 'POST', '/nodes/pve1/vzdump', { session, form });
    expect(reply.status).toBe(200);
    return reply.json?.data as string;
  }

  it('locks the guest while the task runs and adds the archive with its notes when it ends', async () => {
    const upid = await vzdump(alice, {
      vmid: '200',
      storage: 'local',
      mode: 'stop',
      compress: 'zstd',
      'notes-template': '{{guestname}} on {{node}}\\nsecond line',
      protected: '1',
    });
    const lockWhileRunning = sim.state.instances.get(200)?.config.lock;
    const status = await waitForTask(sim, agent, alice, upid);
    const listed = await call(sim, agent, 'GET', '/nodes/pve1/storage/local/content', {
      session: alice,
      query: { content: 'backup', vmid: '200' },
    });

    expect(upid).toMatch(/:vzdump:200:alice@pve:$/);
    expect(sim.state.tasks.get(upid)?.log).toContain(
      "INFO: creating vzdump archive '/var/lib/vz/dump/vzdump-lxc-200-2026_12_03-10_00_00.tar.zst'",
    );
    expect(lockWhileRunning).toBe('backup');
    expect(status.exitstatus).toBe('OK');
    expect(sim.state.instances.get(200)?.config.lock).toBeUndefined();
    // CT 200's rootfs (8 GiB) and mp0 (20 GiB), a quarter of it with zstd.
    expect(listed.json?.data).toEqual([
      {
        volid: 'local:backup/vzdump-lxc-200-2026_12_03-10_00_00.tar.zst',
        content: 'backup',
        format: 'tar.zst',
        size: 7_516_192_768,
        vmid: 200,
        ctime: nowMs / 1000,
        notes: 'alice-ct on pve1',
        protected: 1,
      },
    ]);
  });

  it('names a second archive of the same second one second later', async () => {
    await waitForTask(sim, agent, alice, await vzdump(alice, { vmid: '100', storage: 'local' }));
    await waitForTask(sim, agent, alice, await vzdump(alice, { vmid: '100', storage: 'local' }));

    expect(backupsOn(sim, 'local')).toEqual([
      'pve1 local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma',
      'pve1 local:backup/vzdump-qemu-100-2026_12_03-10_00_01.vma',
    ]);
  });

  it("refuses a backup of another user's guest without VM.Backup, as PVE does", async () => {
    const reply = await call(sim, agent, 'POST', '/nodes/pve1/vzdump', {
      session: bob,
      form: { vmid: '100', storage: 'local' },
    });

    expect(reply.status).toBe(403);
    expect(reply.json?.message).toBe('Permission check failed (/vms/100, VM.Backup)\n');
    expect(sim.state.instances.get(100)?.config.lock).toBeUndefined();
  });

  it('refuses a storage the user may not allocate on, and one that takes no backups', async () => {
    sim.state.acl = sim.state.acl.filter(
      (entry) => !(entry.path === '/storage/local' && entry.ugid === 'alice@pve'),
    );

    const noSpace = await call(sim, agent, 'POST', '/nodes/pve1/vzdump', {
      session: alice,
      form: { vmid: '100', storage: 'local' },
    });
    const noBackups = await call(sim, agent, 'POST', '/nodes/pve1/vzdump', {
      session: alice,
      form: { vmid: '100', storage: 'local-lvm' },
    });

    expect(noSpace.status).toBe(403);
    expect(noSpace.json?.message).toBe(
      'Permission check failed (/storage/local, Datastore.AllocateSpace)\n',
    );
    expect(noBackups.status).toBe(500);
    expect(noBackups.json?.message).toBe("storage 'local-lvm' does not support backups\n");
  });

  it('fails the task of a guest locked by another operation and leaves its lock', async () => {
    const guest = sim.state.instances.get(100);
    if (!guest) throw new Error('the scenario has no VM 100');
    guest.config.lock = 'migrate';

    const status = await waitForTask(
      sim,
      agent,
      alice,
      await vzdump(alice, { vmid: '100', storage: 'local' }),
    );

    expect(status.exitstatus).toBe('Backup of VM 100 failed - VM is locked (migrate)');
    expect(guest.config.lock).toBe('migrate');
    expect(backupsOn(sim, 'local')).toEqual([]);
  });

  it('deletes a backup for its guest owner, and refuses a protected one in the task', async () => {
    await waitForTask(sim, agent, alice, await vzdump(alice, { vmid: '100', storage: 'local' }));
    await waitForTask(
      sim,
      agent,
      alice,
      await vzdump(alice, { vmid: '200', storage: 'local', protected: '1' }),
    );
    const free = 'local:backup/vzdump-qemu-100-2026_12_03-10_00_00.vma';
    const kept = 'local:backup/vzdump-lxc-200-2026_12_03-10_00_00.tar';

    const byBob = await call(
      sim,
      agent,
      'DELETE',
      `/nodes/pve1/storage/local/content/${encodeURIComponent(free)}`,
      { session: bob },
    );
    const deleted = await call(
      sim,
      agent,
      'DELETE',
      `/nodes/pve1/storage/local/content/${encodeURIComponent(free)}`,
      { session: alice },
    );
    const deletedStatus = await waitForTask(sim, agent, alice, deleted.json?.data as string);
    const refused = await call(
      sim,
      agent,
      'DELETE',
      `/nodes/pve1/storage/local/content/${encodeURIComponent(kept)}`,
      { session: alice },
    );
    const refusedStatus = await waitForTask(sim, agent, alice, refused.json?.data as string);

    expect(byBob.status).toBe(403);
    expect(deletedStatus.exitstatus).toBe('OK');
    expect(refusedStatus.exitstatus).toBe(`cannot remove protected volume '${kept}'`);
    expect(backupsOn(sim, 'local')).toEqual([`pve1 ${kept}`]);
  });
});
