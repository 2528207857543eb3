import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, startLab } from './test-client.js';
import { totpCode } from './totp.js';

const carol = { username: 'carol@pve', password: 'carol-lab-pass' };
const carolSecret = 'KRUGS4ZANFZSAYJAMRSW23ZAONSWG4TF';

describe('two-factor login', () => {
  let sim: Sim;
  let agent: Agent;
  let nowMs = Date.UTC(2025, 0, 15, 9, 0, 0);

  beforeAll(async () => {
    sim = await startLab({ now: () => nowMs, loginFailureDelayMs: 20 });
    agent = insecureAgent();
  });
  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  async function firstStep(): Promise<string> {
    const reply = await call(sim, agent, 'POST', '/access/ticket', { form: carol });
    expect(reply.status).toBe(200);
    return (reply.json?.data as { ticket: string }).ticket;
  }

  async function secondStep(challenge: string, password: string): Promise<number> {
    const reply = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'carol@pve', 'tfa-challenge': challenge, password },
    });
    return reply.status;
  }

  it('answers the password step with a partial ticket holding the methods, and no CSRF token', async () => {
    const reply = await call(sim, agent, 'POST', '/access/ticket', { form: carol });

    const data = reply.json?.data as Record<string, unknown>;
    expect(reply.status).toBe(200);
    expect(data.username).toBe('carol@pve');
    expect(data.NeedTFA).toBe(1);
    expect(data.CSRFPreventionToken).toBeUndefined();
    const ticket = String(data.ticket);
    expect(ticket).toMatch(/^PVE:!tfa![^:]+:[0-9A-F]{8}::\S+$/);
    const challenge: unknown = JSON.parse(decodeURIComponent(ticket.split(':')[1]!.slice(5)));
    expect(challenge).toEqual({ totp: true, recovery: 'available' });
  });

  it('completes with the current TOTP code and issues a full ticket with a CSRF token', async () => {
    const challenge = await firstStep();

    const reply = await call(sim, agent, 'POST', '/access/ticket', {
      form: {
        username: 'carol@pve',
        'tfa-challenge': challenge,
        password: `totp:${totpCode(carolSecret, nowMs)}`,
      },
    });

    const data = reply.json?.data as Record<string, unknown>;
    expect(reply.status).toBe(200);
    expect(data.ticket).toMatch(/^PVE:carol@pve:[0-9A-F]{8}::\S+$/);
    expect(data.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:\S+$/);
    expect(sim.requests.at(-1)?.params['tfa-challenge']).toBe('[redacted]');
  });

  it('accepts the code of the neighbouring step but not one two steps away', async () => {
    const challenge = await firstStep();

    expect(await secondStep(challenge, `totp:${totpCode(carolSecret, nowMs + 30_000)}`)).toBe(200);
    expect(await secondStep(challenge, `totp:${totpCode(carolSecret, nowMs - 60_000)}`)).toBe(401);
  });

  it('refuses a wrong code with 401 "authentication failure"', async () => {
    const challenge = await firstStep();

    const reply = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'carol@pve', 'tfa-challenge': challenge, password: 'totp:000000' },
    });

    expect(reply.status).toBe(401);
    expect(reply.reason).toBe('authentication failure');
  });

  it('takes each recovery key once', async () => {
    const first = await secondStep(await firstStep(), 'recovery:a81e-06d4-5b9f-e2c7');
    const again = await secondStep(await firstStep(), 'recovery:a81e-06d4-5b9f-e2c7');

    expect(first).toBe(200);
    expect(again).toBe(401);
    expect(sim.state.users.get('carol@pve')?.recoveryKeys).not.toContain('a81e-06d4-5b9f-e2c7');
  });

  it("refuses another user's partial ticket and an expired one", async () => {
    const challenge = await firstStep();
    const code = `totp:${totpCode(carolSecret, nowMs)}`;

    const foreign = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'alice@pve', 'tfa-challenge': challenge, password: code },
    });
    nowMs += 5 * 60 * 1000;
    const late = await secondStep(challenge, `totp:${totpCode(carolSecret, nowMs)}`);

    expect(foreign.status).toBe(401);
    expect(late).toBe(401);
  });

  it('does not take a partial ticket as a session, nor renew it', async () => {
    const challenge = await firstStep();

    const read = await call(sim, agent, 'GET', '/version', {
      session: { ticket: challenge, csrfToken: '' },
    });
    const renew = await call(sim, agent, 'POST', '/access/ticket', {
      form: { username: 'carol@pve', password: challenge },
    });

    expect(read.status).toBe(401);
    expect(read.reason).toBe('permission denied - invalid PVE ticket');
    expect(renew.status).toBe(401);
  });

  it('sent only parameters the official schema accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});

describe('API tokens', () => {
  let sim: Sim;
  let agent: Agent;
  const token = { tokenid: 'alice@pve!proxdesk', secret: '5d2c4b8e-1f3a-4c6d-9e7b-0a1b2c3d4e5f' };

  beforeAll(async () => {
    sim = await startLab();
    agent = insecureAgent();
  });
  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it("reads with the owner's rights and writes without a CSRF token", async () => {
    const list = await call(sim, agent, 'GET', '/cluster/resources', {
      token,
      query: { type: 'vm' },
    });
    const resize = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/resize', {
      token,
      form: { disk: 'scsi0', size: '+1G' },
    });

    const vmids = (list.json?.data as { vmid: number }[]).map((row) => row.vmid).sort();
    expect(vmids).toEqual([100, 101, 200, 300]);
    expect(resize.status).toBe(200);
    expect(String(resize.json?.data)).toContain(':resize:100:alice@pve!proxdesk:');
    expect(sim.requests.at(-1)?.userid).toBe('alice@pve!proxdesk');
  });

  it('refuses a wrong secret and an unknown token with 401', async () => {
    const wrong = await call(sim, agent, 'GET', '/version', {
      token: { ...token, secret: '00000000-0000-0000-0000-000000000000' },
    });
    const unknown = await call(sim, agent, 'GET', '/version', {
      token: { ...token, tokenid: 'bob@pve!proxdesk' },
    });

    expect(wrong.status).toBe(401);
    expect(wrong.reason).toBe('permission denied - invalid API token');
    expect(unknown.status).toBe(401);
  });

  it('refuses an API token on /access/ticket', async () => {
    const reply = await call(sim, agent, 'POST', '/access/ticket', {
      token,
      form: { username: 'alice@pve', password: 'alice-lab-pass' },
    });

    expect(reply.status).toBe(401);
    expect(reply.reason).toBe('API tokens are not allowed on this path');
  });

  it('gives a privilege-separated token only what is granted to it and its owner', async () => {
    const alice = sim.state.users.get('alice@pve');
    alice?.tokens.push({ id: 'audit', secret: token.secret, privsep: true });
    sim.state.acl.push({
      path: '/vms/100',
      ugid: 'alice@pve!audit',
      roleid: 'PVEAuditor',
      propagate: true,
    });
    const audit = { tokenid: 'alice@pve!audit', secret: token.secret };

    const list = await call(sim, agent, 'GET', '/cluster/resources', {
      token: audit,
      query: { type: 'vm' },
    });
    const resize = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/resize', {
      token: audit,
      form: { disk: 'scsi0', size: '+1G' },
    });

    expect((list.json?.data as { vmid: number }[]).map((row) => row.vmid)).toEqual([100]);
    expect(resize.status).toBe(403);
  });
});
