import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { generateMac } from './net-options.js';
import { call, insecureAgent, login, startLab, type Session } from './test-client.js';

describe('PUT .../config with network interfaces', () => {
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

  async function put(path: string, form: Record<string, string>) {
    const reply = await call(sim, agent, 'PUT', `${path}/config`, { session: alice, form });
    return { status: reply.status, json: reply.json };
  }

  it('stores a new VM interface as PVE prints it, with a generated BC:24:11 MAC', async () => {
    const reply = await put('/nodes/pve1/qemu/100', { net2: 'e1000,bridge=vmbr0,tag=5,rate=1.5' });

    expect(reply).toMatchObject({ status: 200, json: { data: null } });
    expect(String(sim.state.instances.get(100)?.config.net2)).toMatch(
      /^e1000=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0,rate=1\.5,tag=5$/,
    );
    expect(sim.schemaViolations).toEqual([]);
  });

  it('keeps a given MAC and writes a container interface with name first and veth type', async () => {
    const reply = await put('/nodes/pve1/lxc/200', {
      net3: 'name=eth3,bridge=vmbr0,hwaddr=bc:24:11:00:00:03,ip=dhcp',
    });

    expect(reply.status).toBe(200);
    expect(sim.state.instances.get(200)?.config.net3).toBe(
      'name=eth3,bridge=vmbr0,hwaddr=BC:24:11:00:00:03,ip=dhcp,type=veth',
    );
  });

  it('deletes an interface named in delete', async () => {
    const reply = await put('/nodes/pve1/qemu/100', { delete: 'net2' });

    expect(reply.status).toBe(200);
    expect(sim.state.instances.get(100)?.config.net2).toBeUndefined();
  });

  it.each([
    ['an unknown model', 'qemu', 100, 'tulip,bridge=vmbr0'],
    ['a VLAN tag out of range', 'qemu', 100, 'virtio,bridge=vmbr0,tag=4095'],
    ['a container interface without a name', 'lxc', 200, 'bridge=vmbr0'],
    ['an option PVE does not have', 'lxc', 200, 'name=eth4,bridge=vmbr0,speed=10'],
  ])('refuses %s with a 400 and stores nothing', async (_name, type, vmid, value) => {
    const reply = await put(`/nodes/pve1/${type}/${vmid}`, { net4: value });

    expect(reply.status).toBe(400);
    expect(Object.keys(reply.json?.errors ?? {})).toEqual(['net4']);
    expect(sim.state.instances.get(vmid)?.config.net4).toBeUndefined();
  });

  it('generates unicast MAC addresses with the PVE prefix', () => {
    const macs = new Set(Array.from({ length: 20 }, () => generateMac()));

    for (const mac of macs) expect(mac).toMatch(/^BC:24:11(:[0-9A-F]{2}){3}$/);
    expect(macs.size).toBeGreaterThan(1);
  });
});
