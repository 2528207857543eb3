import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, type Session } from './test-client.js';

describe('PUT .../config', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;

  beforeAll(async () => {
    sim = await startLab();
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
  });
  afterEach(() => {
    delete sim.state.instances.get(200)?.config.description;
  });
  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  async function put(path: string, form: Record<string, string>) {
    const reply = await call(sim, agent, 'PUT', `${path}/config`, { session: alice, form });
    return { status: reply.status, json: reply.json };
  }

  it('sets values and deletes keys of a container, storing numbers as numbers', async () => {
    const reply = await put('/nodes/pve1/lxc/200', {
      cores: '3',
      description: 'cache',
      delete: 'onboot',
    });

    expect(reply).toMatchObject({ status: 200, json: { data: null } });
    expect(sim.state.instances.get(200)?.config).toMatchObject({ cores: 3, description: 'cache' });
    expect(sim.state.instances.get(200)?.config.onboot).toBeUndefined();
  });

  it('refuses a key that is both set and deleted, changing nothing', async () => {
    const reply = await put('/nodes/pve1/lxc/200', { description: 'x', delete: 'description' });

    expect(reply.status).toBe(400);
    expect(reply.json?.errors).toEqual({ delete: "'description' is both set and deleted" });
    expect(sim.state.instances.get(200)?.config.description).toBeUndefined();
  });

  it('refuses options the simulator does not model with a 400 naming them', async () => {
    const reply = await put('/nodes/pve1/qemu/100', { balloon: '0', cores: '4' });

    expect(reply.status).toBe(400);
    expect(reply.json?.errors).toMatchObject({
      balloon: 'the simulator does not model changing this option',
    });
    expect(sim.state.instances.get(100)?.config.cores).toBe(2);
  });

  it('refuses a qemu memory below 16 MiB and an lxc swap below 0', async () => {
    const vm = await put('/nodes/pve1/qemu/100', { memory: '8' });
    const ct = await put('/nodes/pve1/lxc/200', { swap: '-1' });

    expect(vm.status).toBe(400);
    expect(ct.status).toBe(400);
    expect(sim.state.instances.get(100)?.config.memory).toBe('4096');
    expect(sim.state.instances.get(200)?.config.swap).toBe(512);
  });

  it('refuses a guest alice may only read with the privilege PVE names', async () => {
    const reply = await put('/nodes/pve1/qemu/300', { memory: '4096' });

    expect(reply.status).toBe(403);
    expect(sim.state.instances.get(300)?.config.memory).toBe('2048');
  });
});
