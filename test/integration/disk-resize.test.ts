import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GiB, KiB } from '../../src/shared/units';
import { startLab, type Lab } from './lab';

// Alice's usage in the bundled scenario, against the demo policy's limits:
//   local-lvm: 32 GiB + 528 KiB (vm 100) + 16 GiB + 8 GiB unused (vm 101) + 8 GiB (ct 200)
//              = 64 GiB + 528 KiB of 200 GiB
//   tank:      64 GiB (vm 101) + 20 GiB (ct 200) = 84 GiB of 120 GiB
const localLvmUsed = 64 * GiB + 528 * KiB;
const tankUsed = 84 * GiB;

function resizeRequests(lab: Lab): number {
  return lab.sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/resize')).length;
}

describe('disk:resize', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('grows a disk within quota, follows the task and reports the new size and usage', async () => {
    const progress: string[] = [];
    const stop = lab.core.on('task:progress', (event) => progress.push(event.state));

    const result = await lab.call('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk: 'scsi0',
      addGiB: 10,
    });
    stop();
    const usage = await lab.call('quota:usage');

    expect(result).toMatchObject({ disk: 'scsi0', storage: 'local-lvm', sizeBytes: 42 * GiB });
    expect(result.task.status).toBe('ok');
    expect(progress.at(-1)).toBe('stopped');
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=42G');
    expect(usage.resources.find((r) => r.resource === 'storage:local-lvm')).toMatchObject({
      used: localLvmUsed + 10 * GiB,
      limit: 200 * GiB,
    });
  });

  it('refuses a resize beyond the storage quota with the shortfall, sending nothing to PVE', async () => {
    const before = resizeRequests(lab);
    const used = localLvmUsed + 10 * GiB;

    const error = await lab.fail('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk: 'scsi0',
      addGiB: 150,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'storage:local-lvm',
        label: 'Storage: local-lvm',
        unit: 'bytes',
        limit: 200 * GiB,
        used,
        requested: 150 * GiB,
        shortfall: used + 150 * GiB - 200 * GiB,
      },
    ]);
    expect(resizeRequests(lab)).toBe(before);
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=42G');
  });

  it('lets only one of two concurrent resizes through when both would not fit together', async () => {
    const request = { node: 'pve2', type: 'qemu', vmid: 101, disk: 'virtio0', addGiB: 20 };

    const results = await Promise.all([
      lab.core.invoke('disk:resize', request),
      lab.core.invoke('disk:resize', request),
    ]);

    const refused = results.filter((r) => !r.ok);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      ok: false,
      error: {
        code: 'QUOTA_EXCEEDED',
        details: {
          shortfalls: [{ resource: 'storage:tank', shortfall: tankUsed + 40 * GiB - 120 * GiB }],
        },
      },
    });
    expect(lab.sim.state.instances.get(101)?.config.virtio0).toBe('tank:vm-101-disk-0,size=84G');
  });

  it('refuses to change a guest outside the user pools even though PVE shows it', async () => {
    const before = resizeRequests(lab);

    const error = await lab.fail('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      disk: 'scsi0',
      addGiB: 1,
    });

    expect(error.code).toBe('NOT_OWNED');
    expect(resizeRequests(lab)).toBe(before);
  });

  it.each([
    ['NaN', { addGiB: Number.NaN }],
    ['a negative number', { addGiB: -5 }],
    ['a fraction', { addGiB: 1.5 }],
    ['a numeric string', { addGiB: '5' }],
    ['a string with trailing text', { addGiB: '5G' }],
    ['infinity', { addGiB: Number.POSITIVE_INFINITY }],
    ['a hostile node name', { node: 'pve1/../../access' }],
    ['a disk key with an extra option', { disk: 'scsi0,size=1T' }],
    ['an unknown field', { force: true }],
    ['a container disk slot on a VM', { disk: 'rootfs' }],
  ])('refuses %s with INVALID_INPUT and sends nothing', async (_name, override) => {
    const countBefore = lab.sim.requests.length;
    const input = { node: 'pve1', type: 'qemu', vmid: 100, disk: 'scsi0', addGiB: 1, ...override };

    const error = await lab.fail('disk:resize', input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(countBefore);
  });

  it.each([
    ['a CD-ROM drive', 'ide2'],
    ['an EFI vars volume', 'efidisk0'],
  ])('refuses to resize %s and sends nothing', async (_name, disk) => {
    const before = resizeRequests(lab);

    const error = await lab.fail('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk,
      addGiB: 1,
    });

    expect(error.code).toBe('INVALID_INPUT');
    expect(resizeRequests(lab)).toBe(before);
  });

  it('grows a container mount point', async () => {
    const result = await lab.call('disk:resize', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      disk: 'mp0',
      addGiB: 2,
    });

    expect(result).toMatchObject({ storage: 'tank', sizeBytes: 22 * GiB });
    expect(lab.sim.state.instances.get(200)?.config.mp0).toBe(
      'tank:vm-200-disk-1,mp=/data,size=22G',
    );
  });
});
