import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, waitForTask, type Session } from './test-client.js';

function volumesOf(sim: Sim, vmid: number): string[] {
  return [...sim.state.storages.values()]
    .flatMap((storage) => storage.volumes)
    .filter((volume) => volume.vmid === vmid)
    .map((volume) => volume.volid);
}

describe('guest destroy', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;

  beforeEach(async () => {
    sim = await startLab({ taskDurationMs: 40 });
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
  });

  afterEach(async () => {
    expect(sim.schemaViolations).toEqual([]);
    await sim.close();
    await agent.close();
  });

  it('refuses a running VM before starting a task, as PVE does', async () => {
    const tasksBefore = sim.state.tasks.size;

    const reply = await call(sim, agent, 'DELETE', '/nodes/pve1/qemu/100', { session: alice });

    expect(reply.status).toBe(500);
    expect(reply.json?.message).toBe('VM 100 is running - destroy failed\n');
    expect(sim.state.tasks.size).toBe(tasksBefore);
    expect(sim.state.instances.has(100)).toBe(true);
  });

  it('refuses a running container unless forced, then destroys it with its volumes', async () => {
    const refused = await call(sim, agent, 'DELETE', '/nodes/pve1/lxc/200', { session: alice });
    const forced = await call(sim, agent, 'DELETE', '/nodes/pve1/lxc/200', {
      session: alice,
      query: { force: '1' },
    });
    const status = await waitForTask(sim, agent, alice, String(forced.json?.data));

    expect(refused.status).toBe(500);
    expect(refused.json?.message).toBe('unable to destroy CT 200 - container is running\n');
    expect(status.exitstatus).toBe('OK');
    expect(sim.state.instances.has(200)).toBe(false);
    expect(volumesOf(sim, 200)).toEqual([]);
  });

  it('keeps an unreferenced volume of the vmid unless destroy-unreferenced-disks is set', async () => {
    const guest = sim.state.instances.get(101);
    if (!guest) throw new Error('the scenario has no VM 101');
    delete guest.config.unused0;

    const reply = await call(sim, agent, 'DELETE', '/nodes/pve2/qemu/101', { session: alice });
    await waitForTask(sim, agent, alice, String(reply.json?.data));

    expect(sim.state.instances.has(101)).toBe(false);
    expect(volumesOf(sim, 101)).toEqual(['local-lvm:vm-101-disk-2']);
  });

  it('fails the task of a VM locked meanwhile and keeps everything', async () => {
    const reply = await call(sim, agent, 'DELETE', '/nodes/pve2/qemu/101', { session: alice });
    const guest = sim.state.instances.get(101);
    if (!guest) throw new Error('the scenario has no VM 101');
    guest.config.lock = 'backup';

    const status = await waitForTask(sim, agent, alice, String(reply.json?.data));

    expect(status.exitstatus).toBe('VM is locked (backup)');
    expect(sim.state.instances.has(101)).toBe(true);
    expect(volumesOf(sim, 101)).toHaveLength(3);
  });

  it('asks for VM.Allocate on the guest', async () => {
    const reply = await call(sim, agent, 'DELETE', '/nodes/pve1/qemu/300', { session: alice });

    expect(reply.status).toBe(403);
    expect(reply.json?.message).toBe('Permission check failed (/vms/300, VM.Allocate)\n');
    expect(sim.state.instances.has(300)).toBe(true);
  });
});
