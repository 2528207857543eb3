import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import type { Sim } from './index.js';
import { configDigest } from './index.js';
import { call, insecureAgent, login, startLab, waitForTask, type Session } from './test-client.js';

// Disk slots in `PUT .../config`: VM 101 (pve2) has virtio0 (tank), scsi1 and unused0
// (local-lvm:vm-101-disk-2, 8 GiB); VM 100 (pve1) has scsi0 and the CD drive ide2.
describe('PUT .../config with disk slots', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;

  beforeEach(async () => {
    sim = await startLab();
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
  });
  afterEach(async () => {
    expect(sim.schemaViolations).toEqual([]);
    await sim.close();
    await agent.close();
  });

  const config = (vmid: number): Record<string, string | number> =>
    sim.state.instances.get(vmid)?.config ?? {};
  const hasVolume = (storage: string, volid: string): boolean =>
    sim.state.storages.get(storage)?.volumes.some((v) => v.volid === volid) ?? false;

  async function put(path: string, form: Record<string, string>) {
    const reply = await call(sim, agent, 'PUT', `${path}/config`, { session: alice, form });
    return { status: reply.status, json: reply.json };
  }

  it('moves a deleted disk to the first free unusedN and keeps the volume', async () => {
    const reply = await put('/nodes/pve2/qemu/101', { delete: 'virtio0,scsi1' });

    expect(reply.status).toBe(200);
    expect(config(101).unused0).toBe('local-lvm:vm-101-disk-2');
    expect(config(101).unused1).toBe('tank:vm-101-disk-0');
    expect(config(101).unused2).toBe('local-lvm:vm-101-disk-1');
    expect(hasVolume('tank', 'tank:vm-101-disk-0')).toBe(true);
  });

  it('destroys the volume of a deleted unusedN and removes a CD drive without touching the ISO', async () => {
    const unused = await put('/nodes/pve2/qemu/101', { delete: 'unused0' });
    const cd = await put('/nodes/pve1/qemu/100', { delete: 'ide2' });

    expect([unused.status, cd.status]).toEqual([200, 200]);
    expect(hasVolume('local-lvm', 'local-lvm:vm-101-disk-2')).toBe(false);
    expect(config(100).ide2).toBeUndefined();
    expect(Object.keys(config(100)).some((k) => k.startsWith('unused'))).toBe(false);
    expect(hasVolume('local', 'local:iso/debian-12.7.0-amd64-netinst.iso')).toBe(true);
  });

  it('attaches an unused volume with its size and drops the unused entry', async () => {
    const reply = await put('/nodes/pve2/qemu/101', { scsi0: 'local-lvm:vm-101-disk-2' });

    expect(reply.status).toBe(200);
    expect(config(101).scsi0).toBe('local-lvm:vm-101-disk-2,size=8G');
    expect(config(101).unused0).toBeUndefined();
  });

  it('gives the previous volume of a replaced slot back as unused', async () => {
    const reply = await put('/nodes/pve2/qemu/101', { scsi1: 'local-lvm:vm-101-disk-2' });

    expect(reply.status).toBe(200);
    expect(config(101).scsi1).toBe('local-lvm:vm-101-disk-2,size=8G');
    expect(config(101).unused0).toBe('local-lvm:vm-101-disk-1');
  });

  it('refuses a volume of another guest, one already attached, and a missing one, changing nothing', async () => {
    const before = { ...config(101) };

    const foreign = await put('/nodes/pve2/qemu/101', { scsi0: 'local-lvm:vm-110-disk-0' });
    const twice = await put('/nodes/pve2/qemu/101', { scsi0: 'tank:vm-101-disk-0' });
    const missing = await put('/nodes/pve2/qemu/101', { scsi0: 'local-lvm:vm-101-disk-9' });

    expect(foreign).toMatchObject({ status: 500 });
    expect(String(foreign.json?.message)).toContain('belongs to guest 110');
    expect(String(twice.json?.message)).toContain('already in use by virtio0');
    expect(String(missing.json?.message)).toContain('does not exist');
    expect(config(101)).toEqual(before);
  });

  it('refuses to delete a volume key that is not set, changing nothing', async () => {
    const reply = await put('/nodes/pve2/qemu/101', { delete: 'unused7' });

    expect(reply.status).toBe(500);
    expect(String(reply.json?.message)).toContain("unable to delete 'unused7'");
    expect(config(101).unused0).toBe('local-lvm:vm-101-disk-2');
  });

  it('fails the second of two disk creates sent with one digest in its task, allocating nothing', async () => {
    const digest = configDigest(config(100));
    const form = { virtio0: 'tank:15', digest };
    const before = sim.state.storages.get('tank')?.volumes.length;

    const sent = await Promise.all(
      [1, 2].map(() =>
        call(sim, agent, 'POST', '/nodes/pve1/qemu/100/config', { session: alice, form }),
      ),
    );
    const ended = await Promise.all(
      sent.map((reply) => waitForTask(sim, agent, alice, String(reply.json?.data))),
    );

    expect(sent.map((reply) => reply.status)).toEqual([200, 200]);
    expect(ended.map((status) => status.exitstatus).sort()).toEqual([
      'OK',
      'detected modified configuration - file changed by other user? Try again.',
    ]);
    expect(sim.state.storages.get('tank')?.volumes.length).toBe((before ?? 0) + 1);
    expect(config(100).virtio0).toMatch(/^tank:vm-100-disk-\d+,size=15G$/);
  });
});
