import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GiB, MiB } from '../../src/shared/units';
import type { AdminUser } from '../../src/shared/quota-schemas';
import { bundledScenarioPath, loadScenario, type Scenario } from '../pve-sim';
import { startLab, type Lab } from './lab';

// Bob's own policy entry sets no swap limit; his PVE group `students` gives 4 GiB. His ct 210
// has 1024 MiB of swap.

const bobIndex = 1;

/** The bundled scenario plus dave, whom the policy does not name but who is in `students`. */
function scenarioWithDave(): Scenario {
  const scenario = loadScenario(bundledScenarioPath);
  scenario.users.push({
    userid: 'dave@pve',
    password: 'dave-lab-pass',
    pools: [],
    groups: ['students'],
    enabled: true,
    comment: 'Dave',
    recoveryKeys: [],
    tokens: [],
  });
  return scenario;
}

function listed(users: readonly AdminUser[]): string[] {
  return users.map((user) => user.userid);
}

function swapLimit(users: readonly AdminUser[], userid: string): number | null | undefined {
  const user = users.find((candidate) => candidate.userid === userid);
  return user?.resources.find((row) => row.resource === 'swap')?.limit;
}

describe('limits from PVE groups', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn(bobIndex);
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it("shows the students group's swap limit in bob's usage, reading his groups once", async () => {
    const first = await lab.call('quota:usage');
    await lab.call('quota:usage');

    expect(first.resources.find((r) => r.resource === 'swap')).toMatchObject({
      used: 1024 * MiB,
      limit: 4 * GiB,
    });
    const reads = lab.sim.requests.filter((r) => r.method === 'GET' && r.path === '/access/users');
    expect(reads.map((r) => [r.params, r.status])).toEqual([[{ full: '1' }, 200]]);
  });

  it('refuses a swap increase over the group limit with the shortfall', async () => {
    const error = await lab.fail('instance:resources', {
      node: 'pve1',
      type: 'lxc',
      vmid: 210,
      swapMiB: 5120,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'swap',
        label: 'Swap',
        unit: 'bytes',
        limit: 4 * GiB,
        used: 1024 * MiB,
        requested: 4096 * MiB,
        shortfall: 1 * GiB,
      },
    ]);
    expect(lab.sim.state.instances.get(210)?.config.swap).toBe(1024);
  });

  it('reads the groups again after signing out and in', async () => {
    const before = lab.sim.requests.filter((r) => r.path === '/access/users').length;
    await lab.call('session:logout');
    await lab.signIn(bobIndex);

    await lab.call('quota:usage');

    expect(lab.sim.requests.filter((r) => r.path === '/access/users').length).toBe(before + 1);
  });
});

describe('the admin view and policy groups', () => {
  async function adminView(scenario: Scenario): Promise<{ users: AdminUser[]; lab: Lab }> {
    const lab = await startLab({ scenario });
    const admin = lab.sim.users.findIndex((user) => user.userid === 'labadmin@pve');
    await lab.signIn(admin);
    const view = await lab.call('quota:admin');
    expect(lab.sim.schemaViolations).toEqual([]);
    return { users: view.users, lab };
  }

  it('lists members of policy groups when the account may read the user list', async () => {
    const { users, lab } = await adminView(scenarioWithDave());
    try {
      expect(listed(users)).toEqual([
        'alice@pve',
        'bob@pve',
        'carol@pve',
        'dave@pve',
        'labadmin@pve',
      ]);
      expect(swapLimit(users, 'dave@pve')).toBe(4 * GiB);
      expect(swapLimit(users, 'bob@pve')).toBe(4 * GiB);
    } finally {
      await lab.close();
    }
  });

  it('lists only the users the policy names when the account may not', async () => {
    const scenario = scenarioWithDave();
    // Auditing every pool, but not /access: PVE lists no other user to this account.
    scenario.acl = scenario.acl.filter((entry) => entry.ugid !== 'labadmin@pve');
    for (const pool of ['alice', 'bob', 'carol']) {
      scenario.acl.push({
        path: `/pool/${pool}`,
        ugid: 'labadmin@pve',
        roleid: 'PVEAuditor',
        propagate: true,
      });
    }
    const { users, lab } = await adminView(scenario);
    try {
      expect(listed(users)).toEqual(['alice@pve', 'bob@pve', 'carol@pve', 'labadmin@pve']);
    } finally {
      await lab.close();
    }
  });
});
