import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GiB, MiB } from '../../src/shared/units';
import type { AdminUser } from '../../src/shared/quota-schemas';
import { bundledScenarioPath, loadScenario } from '../pve-sim';
import { startLab, type Lab } from './lab';

function userIndex(lab: Lab, userid: string): number {
  const index = lab.sim.users.findIndex((user) => user.userid === userid);
  if (index < 0) throw new Error(`the scenario has no ${userid}`);
  return index;
}

function userOf(users: readonly AdminUser[], userid: string): AdminUser {
  const user = users.find((candidate) => candidate.userid === userid);
  if (!user) throw new Error(`the admin view lists no ${userid}`);
  return user;
}

describe('quota:admin as the lab admin (PVEAuditor on /)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn(userIndex(lab, 'labadmin@pve'));
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('lists every user the policy names, with bob usage against each limit', async () => {
    const view = await lab.call('quota:admin');
    const bob = userOf(view.users, 'bob@pve');
    const rows = Object.fromEntries(bob.resources.map((r) => [r.resource, [r.used, r.limit]]));

    expect(view.users.map((u) => [u.userid, u.visibility])).toEqual([
      ['alice@pve', 'visible'],
      ['bob@pve', 'visible'],
      ['carol@pve', 'visible'],
      ['labadmin@pve', 'visible'],
    ]);
    // vm 110: 4 cores, 8192 MiB, 100 GiB on local-lvm, 100 MB/s; ct 210: 2 cores, 2048 MiB,
    // 1024 MiB swap, 16 GiB rootfs on tank, 10 MB/s.
    expect(rows).toEqual({
      cores: [6, 8],
      memory: [10_240 * MiB, 16 * GiB],
      swap: [1024 * MiB, 4 * GiB],
      network: [110 * MiB, 150 * MiB],
      'storage:local-lvm': [100 * GiB, 150 * GiB],
      'storage:tank': [16 * GiB, 60 * GiB],
    });
    expect(bob.overQuota).toEqual([]);
    expect(bob.problems).toEqual([]);
    expect(
      userOf(view.users, 'alice@pve').resources.find((r) => r.resource === 'cores')?.used,
    ).toBe(7);
  });

  it('flags a user over quota after a change made around ProxDesk', async () => {
    const guest = lab.sim.state.instances.get(110);
    if (!guest) throw new Error('the scenario has no vm 110');
    guest.config.cores = 12;

    const bob = userOf((await lab.call('quota:admin')).users, 'bob@pve');

    expect(bob.overQuota).toEqual(['cores']);
    expect(bob.resources.find((r) => r.resource === 'cores')).toEqual({
      resource: 'cores',
      label: 'Cores',
      unit: 'count',
      used: 14,
      limit: 8,
      available: 0,
    });
  });
});

describe('quota:admin with an account that cannot see every pool', () => {
  let lab: Lab;

  beforeAll(async () => {
    const scenario = loadScenario(bundledScenarioPath);
    // The admin can audit alice's and bob's pools only.
    scenario.acl = scenario.acl.filter((entry) => entry.ugid !== 'labadmin@pve');
    for (const pool of ['alice', 'bob']) {
      scenario.acl.push({
        path: `/pool/${pool}`,
        ugid: 'labadmin@pve',
        roleid: 'PVEAuditor',
        propagate: true,
      });
    }
    lab = await startLab({ scenario });
    await lab.signIn(userIndex(lab, 'labadmin@pve'));
  });
  afterAll(async () => {
    await lab.close();
  });

  it('reports a user whose pools it cannot see as hidden, not as using nothing', async () => {
    const view = await lab.call('quota:admin');

    expect(userOf(view.users, 'carol@pve')).toEqual({
      userid: 'carol@pve',
      comment: expect.any(String) as string,
      pools: ['carol'],
      visibility: 'hidden',
      hiddenPools: ['carol'],
      resources: [],
      overQuota: [],
      problems: [],
      unread: [],
    });
    expect(userOf(view.users, 'bob@pve').visibility).toBe('visible');
    // Without Datastore.Audit the listing that sizes alice's unused volume is not readable.
    expect(userOf(view.users, 'alice@pve').problems).toEqual([
      { vmid: 101, key: 'unused0', reason: 'the size of local-lvm:vm-101-disk-2 is not known' },
    ]);
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});

describe('quota:admin for a user the policy does not make an admin', () => {
  it('is refused with NOT_ADMIN and reads nothing of the cluster but her own groups', async () => {
    const lab = await startLab();
    try {
      await lab.signIn(userIndex(lab, 'alice@pve'));
      const before = lab.sim.requests.length;

      const error = await lab.fail('quota:admin');

      expect(error.code).toBe('NOT_ADMIN');
      // A group entry of the policy could make her an admin, so her groups are read first; the
      // connection warm-up after sign-in (GET /version) may still be answering.
      const sent = lab.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`);
      expect(sent.filter((request) => request !== 'GET /version')).toEqual(['GET /access/users']);
    } finally {
      await lab.close();
    }
  });
});
