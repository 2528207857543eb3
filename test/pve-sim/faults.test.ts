import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, type Session } from './test-client.js';

describe('fault injection', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;

  beforeAll(async () => {
    sim = await startLab();
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
  });

  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it('drops every connection while down, and serves again once back up', async () => {
    sim.faults.down = true;
    const failure = await call(sim, agent, 'GET', '/version', { session: alice }).then(
      () => null,
      (error: unknown) => error,
    );
    sim.faults.down = false;
    const after = await call(sim, agent, 'GET', '/version', { session: alice });

    expect(failure).toBeInstanceOf(Error);
    expect(after.status).toBe(200);
  });

  it('answers matching requests with the override status as many times as asked', async () => {
    sim.faults.statusOverride = {
      status: 596,
      message: 'Connection timed out',
      path: '/cluster/resources',
      remaining: 1,
    };

    const other = await call(sim, agent, 'GET', '/version', { session: alice });
    const first = await call(sim, agent, 'GET', '/cluster/resources', { session: alice });
    const second = await call(sim, agent, 'GET', '/cluster/resources', { session: alice });

    expect(other.status).toBe(200);
    expect(first.status).toBe(596);
    expect(first.reason).toBe('Connection timed out');
    expect(first.json).toEqual({ data: null, message: 'Connection timed out\n' });
    expect(second.status).toBe(200);
    expect(sim.faults.statusOverride).toBeUndefined();
  });

  it('answers an override with per-parameter errors in the body, as PVE answers a 400', async () => {
    sim.faults.statusOverride = {
      status: 400,
      message: 'Parameter verification failed.',
      method: 'PUT',
      path: '/nodes/pve1/qemu/100/config',
      errors: { net0: 'invalid format - format error\nnet0.rate: value must be at most 100\n' },
      remaining: 1,
    };

    const answer = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/config', {
      session: alice,
      form: { cores: '2' },
    });

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      data: null,
      errors: { net0: 'invalid format - format error\nnet0.rate: value must be at most 100\n' },
      message: 'Parameter verification failed.\n',
    });
  });

  it('delays every answer by the latency set at run time', async () => {
    sim.faults.latencyMs = 150;
    const started = Date.now();

    await call(sim, agent, 'GET', '/version', { session: alice });
    const elapsedMs = Date.now() - started;
    delete sim.faults.latencyMs;

    expect(elapsedMs).toBeGreaterThanOrEqual(145);
  });
});
