import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPolicyWith, startLab, type Lab } from './lab';
import { writesSince } from './sim-requests';

// `quota:preview` of a backup, priced by backup:create's own planner. alice owns VM 100 (pve1),
// VM 101 (pve2) and CT 200 (pve1); `local` is a backup storage local to each node. This lab's
// policy lets her keep 2 backups.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const create100 = { ...vm100, storage: 'local', mode: 'snapshot' } as const;
const preview100 = { kind: 'backup:create', ...create100 } as const;
const previewCt200 = {
  kind: 'backup:create',
  node: 'pve1',
  type: 'lxc',
  vmid: 200,
  storage: 'local',
  mode: 'stop',
} as const;

/** Seeds a backup of one of alice's guests on a node's `local`, as vzdump leaves it. */
function seedBackup(lab: Lab, node: string, type: 'qemu' | 'lxc', vmid: number): void {
  const storage = lab.sim.state.storages.get('local');
  if (!storage) throw new Error('the scenario has no storage local');
  const archive = type === 'qemu' ? 'vma.zst' : 'tar.zst';
  storage.volumes.push({
    volid: `local:backup/vzdump-${type}-${vmid}-2026_12_01-08_00_00.${archive}`,
    storage: 'local',
    node,
    sizeBytes: 1_073_741_824,
    format: archive,
    content: 'backup',
    vmid,
    ctime: 1_796_112_000,
  });
}

/** The one item a backup preview has: the backup count, used → after of the limit. */
function backupItem(used: number, fits: boolean, reason: string): Record<string, unknown> {
  return {
    resource: 'backups',
    label: 'Backups',
    unit: 'count',
    limit: 2,
    used,
    requested: 1,
    after: used + 1,
    remaining: 2 - used - 1,
    fits,
    reason,
  };
}

describe('quota:preview of a backup', () => {
  let lab: Lab;

  beforeAll(async () => {
    const policy = demoPolicyWith('alice@pve', (alice) => ({ ...alice, backups: { max: 2 } }));
    lab = await startLab({}, { policy, usageMaxAgeMs: 0 });
    await lab.signIn();
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
    const storage = lab.sim.state.storages.get('local');
    if (storage) storage.volumes = storage.volumes.filter((v) => v.content !== 'backup');
  });
  afterAll(async () => {
    await lab.close();
  });

  it('fits while the count has room, and sends nothing', async () => {
    const from = lab.sim.requests.length;

    const preview = await lab.call('quota:preview', preview100);

    expect(preview).toEqual({
      approved: true,
      items: [backupItem(0, true, '0 in use + 1 = 1 of 2; 1 left')],
    });
    expect(writesSince(lab, from)).toEqual([]);
  });

  it('refuses at the limit, itemised as backup:create refuses it', async () => {
    seedBackup(lab, 'pve1', 'qemu', 100);
    seedBackup(lab, 'pve2', 'qemu', 101);

    const preview = await lab.call('quota:preview', preview100);
    const error = await lab.fail('backup:create', create100);

    expect(preview).toEqual({
      approved: false,
      items: [backupItem(2, false, '2 in use + 1 = 3, over the limit of 2 by 1')],
    });
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'backups',
        label: 'Backups',
        unit: 'count',
        limit: 2,
        used: 2,
        requested: 1,
        shortfall: 1,
      },
    ]);
  });

  it('holds nothing: previews at one left, then the backup itself goes through', async () => {
    seedBackup(lab, 'pve2', 'qemu', 101);
    const from = lab.sim.requests.length;

    const first = await lab.call('quota:preview', preview100);
    const second = await lab.call('quota:preview', previewCt200);
    const previewWrites = writesSince(lab, from);
    const created = await lab.call('backup:create', create100);

    const fits = backupItem(1, true, '1 in use + 1 = 2 of 2; 0 left');
    expect(first).toEqual({ approved: true, items: [fits] });
    expect(second).toEqual({ approved: true, items: [fits] });
    expect(previewWrites).toEqual([]);
    expect(created.task.status).toBe('ok');
  });

  it('counts the slot a running backup holds', async () => {
    seedBackup(lab, 'pve2', 'qemu', 101);
    let sent: () => void = () => undefined;
    const vzdumpSent = new Promise<void>((resolve) => {
      sent = resolve;
    });
    const stop = lab.sim.onRequest((request) => {
      if (request.path === '/nodes/pve1/vzdump') sent();
    });

    const running = lab.call('backup:create', create100);
    await vzdumpSent;
    const during = await lab.call('quota:preview', previewCt200);
    await running.finally(stop);
    const after = await lab.call('quota:preview', previewCt200);

    // One kept and one being made; once made, the new volume counts in the slot's place.
    expect(during.approved).toBe(false);
    expect(during.items.map((item) => [item.used, item.after, item.fits])).toEqual([[2, 3, false]]);
    expect(after.items.map((item) => [item.used, item.after, item.fits])).toEqual([[2, 3, false]]);
  });

  it('says the count is unknown, as backup:create does, while a backup storage is inactive', async () => {
    const tank = lab.sim.state.storages.get('tank');
    if (!tank) throw new Error('the scenario has no storage tank');
    const content = tank.content;
    tank.content = [...content, 'backup'];
    tank.online = false;
    const from = lab.sim.requests.length;

    try {
      const previewed = await lab.fail('quota:preview', preview100);
      const created = await lab.fail('backup:create', create100);

      expect(previewed.code).toBe('QUOTA_UNDEFINED');
      expect(previewed.message).toBe(
        'Your backups cannot be counted against your backup limit: backup storage tank is not active, so the backups there cannot be read. Try again later, or ask the lab admin.',
      );
      expect(created).toEqual(previewed);
      expect(writesSince(lab, from)).toEqual([]);
    } finally {
      tank.content = content;
      delete tank.online;
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a node name with a path in it', { node: '../pve1' }, 'node'],
    ['a vmid as a string', { vmid: '100' }, 'vmid'],
    ['NaN as vmid', { vmid: Number.NaN }, 'vmid'],
    ['a storage id that climbs out', { storage: 'local/../x' }, 'storage'],
    ['a storage id with an option', { storage: 'local,remove=1' }, 'storage'],
    ['an unknown mode', { mode: 'live' }, 'mode'],
    ['notes over two lines', { notes: 'first\nsecond' }, 'notes'],
    // zod reports a key the input does not declare on the input itself.
    ['an unknown field', { compress: 'gzip' }, 'input'],
  ])('refuses %s with INVALID_INPUT and reads nothing', async (_name, override, field) => {
    const from = lab.sim.requests.length;

    const error = await lab.fail('quota:preview', { ...preview100, ...override });

    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.details?.fields ?? {})).toContain(field);
    expect(lab.sim.requests.length).toBe(from);
  });
});
