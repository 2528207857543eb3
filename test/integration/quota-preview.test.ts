import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GiB, KiB } from '../../src/shared/units';
import { startLab, type Lab } from './lab';

// Alice's local-lvm in the bundled scenario: 64 GiB + 528 KiB of the demo policy's 200 GiB.
const localLvmUsed = 64 * GiB + 528 * KiB;
const scsi0 = { node: 'pve1', type: 'qemu', vmid: 100, disk: 'scsi0' };
const resizeScsi0 = { kind: 'disk:resize', ...scsi0 };

function configReads(lab: Lab): number {
  return lab.sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/config')).length;
}

describe('quota:preview', () => {
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

  it('prices a resize with what would be left, and the resize then does exactly that', async () => {
    const writesBefore = lab.sim.requests.filter((r) => r.method !== 'GET').length;

    const preview = await lab.call('quota:preview', { ...resizeScsi0, addGiB: 10 });

    expect(preview).toEqual({
      approved: true,
      items: [
        {
          resource: 'storage:local-lvm',
          label: 'Storage: local-lvm',
          unit: 'bytes',
          limit: 200 * GiB,
          used: localLvmUsed,
          requested: 10 * GiB,
          after: localLvmUsed + 10 * GiB,
          remaining: 200 * GiB - localLvmUsed - 10 * GiB,
          fits: true,
          reason: '64.0 GiB in use + 10 GiB = 74.0 GiB of 200 GiB; 126 GiB left',
        },
      ],
    });
    expect(lab.sim.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);

    await lab.call('disk:resize', { ...scsi0, addGiB: 10 });
    const usage = await lab.call('quota:usage');

    expect(usage.resources.find((r) => r.resource === 'storage:local-lvm')?.used).toBe(
      preview.items[0]?.after,
    );
  });

  it('shows a refusal item by item before anything is sent, matching what resize refuses', async () => {
    const preview = await lab.call('quota:preview', { ...resizeScsi0, addGiB: 200 });
    const refusal = await lab.fail('disk:resize', { ...scsi0, addGiB: 200 });

    expect(preview.approved).toBe(false);
    expect(preview.items.map((i) => [i.resource, i.fits, i.remaining])).toEqual([
      ['storage:local-lvm', false, 200 * GiB - (localLvmUsed + 10 * GiB) - 200 * GiB],
    ]);
    expect(refusal.code).toBe('QUOTA_EXCEEDED');
    expect(refusal.details?.shortfalls?.[0]?.shortfall).toBe(-(preview.items[0]?.remaining ?? 0));
  });

  it('prices from the warm snapshot, and reads again after a change ProxDesk commits', async () => {
    await lab.call('quota:preview', { ...resizeScsi0, addGiB: 1 });
    const before = configReads(lab);

    await lab.call('quota:preview', { ...resizeScsi0, addGiB: 2 });
    const warm = configReads(lab);
    await lab.call('disk:resize', { ...scsi0, addGiB: 1 });
    const afterResize = configReads(lab);
    const preview = await lab.call('quota:preview', { ...resizeScsi0, addGiB: 1 });

    expect(warm).toBe(before);
    // The resize priced from the warm snapshot and read only the resized config afterwards.
    expect(afterResize - warm).toBe(1);
    expect(configReads(lab)).toBeGreaterThan(afterResize);
    expect(preview.items[0]?.used).toBe(localLvmUsed + 11 * GiB);
  });

  it.each([
    ['a disk the guest does not have', { ...resizeScsi0, disk: 'scsi9', addGiB: 1 }, 'NOT_FOUND'],
    ['a guest she can see in another pool', { ...resizeScsi0, vmid: 300, addGiB: 1 }, 'NOT_OWNED'],
    ['a guest she cannot see', { ...resizeScsi0, vmid: 110, node: 'pve2', addGiB: 1 }, 'NOT_FOUND'],
    ['a CD-ROM drive', { ...resizeScsi0, disk: 'ide2', addGiB: 1 }, 'INVALID_INPUT'],
    ['a fractional amount', { ...resizeScsi0, addGiB: 1.5 }, 'INVALID_INPUT'],
    [
      'an unknown kind of change',
      { ...resizeScsi0, kind: 'vm:create', addGiB: 1 },
      'INVALID_INPUT',
    ],
  ])('refuses to price %s', async (_case, input, code) => {
    expect((await lab.fail('quota:preview', input)).code).toBe(code);
  });
});

describe('quota:preview without a warm snapshot', () => {
  it('reads the cluster every time when usageMaxAgeMs is 0', async () => {
    const lab = await startLab({}, { usageMaxAgeMs: 0 });
    try {
      await lab.signIn();
      await lab.call('quota:preview', { ...resizeScsi0, addGiB: 1 });
      const before = configReads(lab);

      await lab.call('quota:preview', { ...resizeScsi0, addGiB: 1 });

      expect(configReads(lab) - before).toBe(3);
      expect(lab.sim.schemaViolations).toEqual([]);
    } finally {
      await lab.close();
    }
  });
});
