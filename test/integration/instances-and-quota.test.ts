import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GiB, KiB, MiB } from '../../src/shared/units';
import { startLab, type Lab } from './lab';

describe('instances and quota of a signed-in user', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterAll(async () => {
    await lab.close();
  });

  it('lists the guests in her pools only, not the shared one she may only read', async () => {
    const instances = await lab.call('instance:list');

    expect(instances.map((i) => [i.vmid, i.type, i.node, i.name, i.status])).toEqual([
      [100, 'qemu', 'pve1', 'alice-web', 'running'],
      [101, 'qemu', 'pve2', 'alice-db', 'stopped'],
      [200, 'lxc', 'pve1', 'alice-ct', 'running'],
    ]);
  });

  it('parses an instance config with the unused volume sized from the storage listing', async () => {
    const detail = await lab.call('instance:get', { node: 'pve2', type: 'qemu', vmid: 101 });

    expect(detail).toMatchObject({
      cores: 2,
      sockets: 2,
      memoryBytes: 8192 * MiB,
      swapBytes: null,
    });
    expect(detail.digest).toMatch(/^[0-9a-f]{40}$/);
    expect(detail.disks).toEqual([
      {
        key: 'scsi1',
        volume: 'local-lvm:vm-101-disk-1',
        storage: 'local-lvm',
        sizeBytes: 16 * GiB,
        kind: 'disk',
        mountPath: null,
        resizable: true,
      },
      {
        key: 'unused0',
        volume: 'local-lvm:vm-101-disk-2',
        storage: 'local-lvm',
        sizeBytes: 8 * GiB,
        kind: 'unused',
        mountPath: null,
        resizable: false,
      },
      {
        key: 'virtio0',
        volume: 'tank:vm-101-disk-0',
        storage: 'tank',
        sizeBytes: 64 * GiB,
        kind: 'disk',
        mountPath: null,
        resizable: true,
      },
    ]);
  });

  it('computes usage from the live cluster, per resource, against the policy', async () => {
    const usage = await lab.call('quota:usage');

    const byId = Object.fromEntries(usage.resources.map((r) => [r.resource, [r.used, r.limit]]));
    expect(usage.userid).toBe('alice@pve');
    expect(byId).toMatchObject({
      cores: [7, 16],
      memory: [12_800 * MiB, 32 * GiB],
      swap: [512 * MiB, 8 * GiB],
      // 50 + 25.5 MB/s, and the interface without a rate at the policy's 50 MB/s.
      network: [125.5 * MiB, 200 * MiB],
      'storage:local-lvm': [64 * GiB + 528 * KiB, 200 * GiB],
      'storage:tank': [84 * GiB, 120 * GiB],
    });
    expect(usage.problems).toEqual([]);
  });

  it('refuses to show the config of a guest outside her pools', async () => {
    const error = await lab.fail('instance:get', { node: 'pve1', type: 'qemu', vmid: 300 });

    expect(error.code).toBe('NOT_OWNED');
  });

  it('sends only requests the official PVE API accepts', () => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
