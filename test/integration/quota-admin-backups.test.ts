import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/main/quota/policy';
import type { AdminUser } from '../../src/shared/quota-schemas';
import { bundledScenarioPath, loadScenario } from '../pve-sim';
import { demoPolicyPath, startLab, type Lab } from './lab';

// The demo policy limits alice@pve to 10 backups, bob@pve to 5 and carol@pve to 2; labadmin@pve
// has no backup limit. alice owns VM 100 (pve1), VM 101 (pve2) and CT 200 (pve1); bob owns VM 110
// (pve2) and CT 210 (pve1); carol's pool is empty. `local` is a backup storage of each node.

const unseenWithAuditor =
  '(PVE lists a backup only with VM.Backup on its guest and Datastore.AllocateSpace on the storage, or Datastore.Allocate on the storage)';

function userOf(users: readonly AdminUser[], userid: string): AdminUser {
  const user = users.find((candidate) => candidate.userid === userid);
  if (!user) throw new Error(`the admin view lists no ${userid}`);
  return user;
}

function adminIndex(lab: Lab): number {
  return lab.sim.users.findIndex((user) => user.userid === 'labadmin@pve');
}

/** Puts a backup on a node's `local` storage the way a lab's backup job leaves it. */
function seedBackup(lab: Lab, node: string, type: 'qemu' | 'lxc', vmid: number, n: number): void {
  const storage = lab.sim.state.storages.get('local');
  if (!storage) throw new Error('the scenario has no storage local');
  const archive = type === 'qemu' ? 'vma.zst' : 'tar.zst';
  storage.volumes.push({
    volid: `local:backup/vzdump-${type}-${vmid}-2026_12_0${n}-08_00_00.${archive}`,
    storage: 'local',
    node,
    sizeBytes: 1_073_741_824,
    format: archive,
    content: 'backup',
    vmid,
    ctime: 1_764_576_000 + n * 86_400,
  });
}

function removeBackups(lab: Lab): void {
  const storage = lab.sim.state.storages.get('local');
  if (storage) storage.volumes = storage.volumes.filter((volume) => volume.content !== 'backup');
}

function nodeOf(lab: Lab, name: string): { status: string } {
  const node = lab.sim.state.nodes.get(name);
  if (!node) throw new Error(`the scenario has no node ${name}`);
  return node;
}

/** The requests since `from` that read backup storages or the admin's privileges. */
function backupReads(lab: Lab, from: number): string[] {
  return lab.sim.requests
    .slice(from)
    .filter(
      (r) =>
        /^\/nodes\/[^/]+\/storage(\/[^/]+\/content)?$/.test(r.path) ||
        r.path === '/access/permissions',
    )
    .filter((r) => !r.path.endsWith('/content') || r.params.content === 'backup')
    .map((r) => `${r.method} ${r.path}`)
    .sort();
}

describe('quota:admin backup counts for an admin who may see every backup', () => {
  let lab: Lab;

  beforeAll(async () => {
    const scenario = loadScenario(bundledScenarioPath);
    // Datastore.Allocate on `local` shows every backup there, whoever's guest it is.
    scenario.acl.push({
      path: '/storage/local',
      ugid: 'labadmin@pve',
      roleid: 'PVEDatastoreAdmin',
      propagate: true,
    });
    lab = await startLab({ scenario });
    await lab.signIn(adminIndex(lab));
  });
  afterEach(() => {
    removeBackups(lab);
    nodeOf(lab, 'pve2').status = 'online';
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('shows a user under the limit, one over it flagged, and none for a user without a limit', async () => {
    seedBackup(lab, 'pve2', 'qemu', 101, 1);
    // Six backups of bob's guests made around ProxDesk, one more than his limit of 5.
    for (const n of [1, 2, 3]) seedBackup(lab, 'pve2', 'qemu', 110, n);
    for (const n of [1, 2, 3]) seedBackup(lab, 'pve1', 'lxc', 210, n);
    // A backup of a guest that is nobody's here (VM 300 is in the pool `shared`).
    seedBackup(lab, 'pve1', 'qemu', 300, 1);

    const view = await lab.call('quota:admin');
    const alice = userOf(view.users, 'alice@pve');
    const bob = userOf(view.users, 'bob@pve');
    const admin = userOf(view.users, 'labadmin@pve');

    expect(alice.backups).toEqual({ used: 1, limit: 10, reason: null });
    expect(alice.overQuota).toEqual([]);
    expect(bob.backups).toEqual({ used: 6, limit: 5, reason: null });
    expect(bob.overQuota).toEqual(['backups']);
    expect(userOf(view.users, 'carol@pve').backups).toEqual({ used: 0, limit: 2, reason: null });
    expect(admin.backups).toBeUndefined();
    expect('backups' in admin).toBe(false);
  });

  it('counts a backup a lab job is making of a guest, as backup:count does', async () => {
    const vm110 = lab.sim.state.instances.get(110);
    if (!vm110) throw new Error('the scenario has no vm 110');
    seedBackup(lab, 'pve2', 'qemu', 110, 1);
    vm110.config.lock = 'backup';
    try {
      const bob = userOf((await lab.call('quota:admin')).users, 'bob@pve');

      expect(bob.backups).toEqual({ used: 2, limit: 5, reason: null });
    } finally {
      delete vm110.config.lock;
    }
  });

  it('lists each backup storage of each node once per reading, however many users count', async () => {
    const from = lab.sim.requests.length;

    const view = await lab.call('quota:admin');

    expect(view.users.filter((user) => user.backups !== undefined)).toHaveLength(3);
    // alice and bob both have guests on pve1 and pve2; carol has none.
    expect(backupReads(lab, from)).toEqual([
      'GET /access/permissions',
      'GET /nodes/pve1/storage',
      'GET /nodes/pve1/storage/local/content',
      'GET /nodes/pve2/storage',
      'GET /nodes/pve2/storage/local/content',
    ]);
  });

  it('says why the count is not known while a node of the user is down', async () => {
    seedBackup(lab, 'pve1', 'lxc', 210, 1);
    nodeOf(lab, 'pve2').status = 'offline';

    const view = await lab.call('quota:admin');

    expect(userOf(view.users, 'bob@pve').backups).toEqual({
      used: null,
      limit: 5,
      reason:
        'guest 110 on pve2 could not be read, so a backup being made of it cannot be seen; PVE cannot reach pve2, so the backups kept there cannot be read',
    });
    expect(userOf(view.users, 'bob@pve').overQuota).toEqual([]);
    expect(userOf(view.users, 'carol@pve').backups).toEqual({ used: 0, limit: 2, reason: null });
  });
});

describe('quota:admin backup counts for an admin with PVEAuditor only', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn(adminIndex(lab));
  });
  afterAll(async () => {
    await lab.close();
  });

  it('says the count is not known, never 0, as PVE leaves the backups out of its listings', async () => {
    seedBackup(lab, 'pve2', 'qemu', 110, 1);

    const bob = userOf((await lab.call('quota:admin')).users, 'bob@pve');

    expect(bob.backups).toEqual({
      used: null,
      limit: 5,
      reason: `your account may not see the backups of guests 110, 210 on local ${unseenWithAuditor}`,
    });
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});

describe("quota:admin under a policy that limits nobody's backups", () => {
  it('reads no backup storage and no privileges, and shows no backup count', async () => {
    const demo = JSON.parse(readFileSync(demoPolicyPath, 'utf8')) as {
      users: Record<string, { backups?: unknown }>;
    };
    for (const entry of Object.values(demo.users)) delete entry.backups;
    const parsed = parsePolicy(demo);
    if (!parsed.ok) throw new Error('the demo policy without backup limits is not valid');
    const lab = await startLab({}, { policy: parsed.policy });
    try {
      await lab.signIn(adminIndex(lab));
      const from = lab.sim.requests.length;

      const view = await lab.call('quota:admin');

      expect(view.users.map((user) => user.backups)).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(backupReads(lab, from)).toEqual([]);
    } finally {
      await lab.close();
    }
  });
});
