import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, type Session } from './test-client.js';

type Row = Record<string, unknown>;

// Bob has no privileges on /access; the lab admin holds PVEAuditor (Sys.Audit) on /.

describe('GET /access/users and /access/users/{userid}', () => {
  let sim: Sim;
  let agent: Agent;
  let bob: Session;
  let admin: Session;

  beforeAll(async () => {
    sim = await startLab();
    agent = insecureAgent();
    bob = await login(sim, agent, 'bob@pve');
    admin = await login(sim, agent, 'labadmin@pve');
  });

  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it('lists only the caller, with groups, to a user without User.Modify or Sys.Audit', async () => {
    const reply = await call(sim, agent, 'GET', '/access/users', {
      session: bob,
      query: { full: '1' },
    });

    expect(reply.status).toBe(200);
    expect((reply.json?.data as Row[]).map((row) => [row.userid, row.groups])).toEqual([
      ['bob@pve', 'lab-users,students'],
    ]);
  });

  it('lists every user to an account with Sys.Audit on /access/groups, groups only when full', async () => {
    const full = await call(sim, agent, 'GET', '/access/users', {
      session: admin,
      query: { full: '1' },
    });
    const plain = await call(sim, agent, 'GET', '/access/users', { session: admin });

    expect((full.json?.data as Row[]).map((row) => row.userid)).toEqual([
      'alice@pve',
      'bob@pve',
      'carol@pve',
      'labadmin@pve',
    ]);
    expect((plain.json?.data as Row[]).some((row) => 'groups' in row)).toBe(false);
    expect(sim.schemaViolations).toEqual([]);
  });

  it("refuses a user's own entry without the privileges, as PVE's check has no exception for it", async () => {
    const own = await call(sim, agent, 'GET', '/access/users/bob@pve', { session: bob });
    const other = await call(sim, agent, 'GET', '/access/users/alice@pve', { session: bob });

    expect([own.status, other.status]).toEqual([403, 403]);
    expect(own.json?.message).toMatch(/^Permission check failed \(\/access\/groups, /);
  });

  it('gives the entry with its groups to an account that may read it', async () => {
    const reply = await call(sim, agent, 'GET', '/access/users/bob@pve', { session: admin });
    const missing = await call(sim, agent, 'GET', '/access/users/nobody@pve', { session: admin });

    expect(reply.status).toBe(200);
    expect(reply.json?.data).toMatchObject({ groups: ['lab-users', 'students'], enable: 1 });
    expect(missing.status).toBe(500);
    expect(sim.schemaViolations).toEqual([]);
  });
});
