import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab } from './test-client.js';

describe('authentication', () => {
  let sim: Sim;
  let agent: Agent;
  let nowMs = Date.UTC(2025, 0, 15, 9, 0, 0);

  beforeAll(async () => {
    sim = await startLab({ now: () => nowMs, loginFailureDelayMs: 150 });
    agent = insecureAgent();
  });

  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it('logs in with user@realm and returns ticket, CSRF token, username and cap', async () => {
    const reply = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'alice@pve', password: 'alice-lab-pass' },
    });

    const data = reply.json?.data as Record<string, unknown>;
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('application/json;charset=UTF-8');
    expect(data.username).toBe('alice@pve');
    expect(data.ticket).toMatch(/^PVE:alice@pve:[0-9A-F]{8}::\S+$/);
    expect(data.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:\S+$/);
    expect((data.cap as Record<string, Record<string, number>>).vms?.['VM.Config.Disk']).toBe(1);
    expect((data.cap as Record<string, Record<string, number>>).nodes).toEqual({});
  });

  it('logs in with a bare user name and the realm parameter', async () => {
    const reply = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'bob', realm: 'pve', password: 'bob-lab-pass' },
    });

    expect(reply.status).toBe(200);
    expect((reply.json?.data as Record<string, unknown>).username).toBe('bob@pve');
  });

  it('answers a wrong password after the failure delay with 401 "authentication failure" and no body', async () => {
    const started = Date.now();

    const reply = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'alice@pve', password: 'wrong' },
    });

    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(reply.status).toBe(401);
    expect(reply.reason).toBe('authentication failure');
    expect(reply.text).toBe('');
    expect(sim.requests.at(-1)).toMatchObject({
      path: '/access/ticket',
      status: 401,
      userid: null,
    });
    expect(sim.requests.at(-1)?.params.password).toBe('[redacted]');
  });

  it('refuses a user signing in under a realm they do not belong to', async () => {
    const wrongRealm = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'alice', realm: 'pam', password: 'alice-lab-pass' },
    });

    expect(wrongRealm.status).toBe(401);
    expect(wrongRealm.reason).toBe('authentication failure');
  });

  it('answers the realm list without a ticket, pve being the default', async () => {
    const reply = await call(sim, agent, 'GET', '/access/domains');

    expect(reply.status).toBe(200);
    expect(reply.json?.data).toEqual([
      { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
      { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server', default: 1 },
    ]);
  });

  it('refuses a request without a ticket with 401 "No ticket"', async () => {
    const reply = await call(sim, agent, 'GET', '/version');

    expect(reply.status).toBe(401);
    expect(reply.reason).toBe('No ticket');
    expect(reply.text).toBe('');
  });

  it('answers /version with a ticket', async () => {
    const session = await login(sim, agent, 'alice@pve');

    const reply = await call(sim, agent, 'GET', '/version', { session });

    expect(reply.json?.data).toEqual({
      version: '9.1.3',
      release: '9.1',
      repoid: '5b2c1d0e9a7f4c31',
    });
  });

  it('refuses a forged ticket', async () => {
    const session = await login(sim, agent, 'alice@pve');
    const forged = { ...session, ticket: session.ticket.replace('alice@pve', 'bob@pve') };

    const reply = await call(sim, agent, 'GET', '/version', { session: forged });

    expect(reply.status).toBe(401);
    expect(reply.reason).toBe('permission denied - invalid PVE ticket');
  });

  it("refuses a write without the CSRF header, and one with another user's token", async () => {
    const alice = await login(sim, agent, 'alice@pve');
    const bob = await login(sim, agent, 'bob@pve');
    const form = { disk: 'scsi0', size: '+1G' };

    const missing = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/resize', {
      session: alice,
      csrf: false,
      form,
    });
    const foreign = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/resize', {
      session: { ticket: alice.ticket, csrfToken: bob.csrfToken },
      form,
    });

    expect(missing.status).toBe(401);
    expect(missing.reason).toBe('Permission denied - invalid csrf token');
    expect(foreign.status).toBe(401);
    expect(foreign.reason).toBe('Permission denied - invalid csrf token');
    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=32G');
  });

  it('expires a ticket after two hours', async () => {
    const session = await login(sim, agent, 'alice@pve');

    nowMs += 2 * 3600 * 1000 - 1000;
    const before = await call(sim, agent, 'GET', '/version', { session });
    nowMs += 1000;
    const after = await call(sim, agent, 'GET', '/version', { session });

    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
    expect(after.reason).toBe('permission denied - invalid PVE ticket');
  });

  it('renews a ticket posted as the password, with a new CSRF token', async () => {
    const first = await login(sim, agent, 'alice@pve');
    nowMs += 90 * 60 * 1000;

    const renewed = await login(sim, agent, 'alice@pve', first.ticket);
    nowMs += 60 * 60 * 1000;
    const oldOne = await call(sim, agent, 'GET', '/version', { session: first });
    const newOne = await call(sim, agent, 'GET', '/version', { session: renewed });

    expect(renewed.ticket).not.toBe(first.ticket);
    expect(renewed.csrfToken).not.toBe(first.csrfToken);
    expect(oldOne.status).toBe(401);
    expect(newOne.status).toBe(200);
  });

  it("does not renew an expired ticket, nor another user's ticket", async () => {
    const alice = await login(sim, agent, 'alice@pve');

    const asBob = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'bob@pve', password: alice.ticket },
    });
    nowMs += 2 * 3600 * 1000;
    const expired = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'alice@pve', password: alice.ticket },
    });

    expect(asBob.status).toBe(401);
    expect(expired.status).toBe(401);
    expect(expired.reason).toBe('authentication failure');
  });
});
