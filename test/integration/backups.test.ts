import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeState } from '../pve-sim/state';
import {
  commitToken,
  dave,
  elevatedLabPolicyText,
  elevatedLabScenario,
} from '../fixtures/elevated-lab';
import { demoPolicyPath, startLab, type Lab } from './lab';
import { requestsSince, writesSince } from './sim-requests';

// alice owns VM 100 (pve1), VM 101 (pve2) and CT 200 (pve1); `local` is a backup storage local to
// each node. This lab's policy lets her keep 2 backups. VM 300 is readable to her, not hers.

const backupLimit = 2;
const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const create100 = { ...vm100, storage: 'local', mode: 'snapshot' } as const;

/** Seeds a backup volume as vzdump leaves it, without a request. */
function seedBackup(
  lab: Lab,
  options: { node: string; type: 'qemu' | 'lxc'; vmid: number; stamp: string; ctime: number },
  extra: Partial<VolumeState> = {},
): string {
  const storage = lab.sim.state.storages.get('local');
  if (!storage) throw new Error('the scenario has no storage local');
  const archive = options.type === 'qemu' ? 'vma.zst' : 'tar.zst';
  const volid = `local:backup/vzdump-${options.type}-${options.vmid}-${options.stamp}.${archive}`;
  storage.volumes.push({
    volid,
    storage: 'local',
    node: options.node,
    sizeBytes: 1_073_741_824,
    format: archive,
    content: 'backup',
    vmid: options.vmid,
    ctime: options.ctime,
    ...extra,
  });
  return volid;
}

function backupVolids(lab: Lab): string[] {
  const storage = lab.sim.state.storages.get('local');
  return (storage?.volumes ?? [])
    .filter((volume) => volume.content === 'backup')
    .map((volume) => `${volume.node ?? '-'} ${volume.volid}`)
    .sort();
}

function removeBackups(lab: Lab): void {
  const storage = lab.sim.state.storages.get('local');
  if (storage) storage.volumes = storage.volumes.filter((volume) => volume.content !== 'backup');
}

describe('backups', () => {
  let lab: Lab;
  let policyDir: string;

  beforeAll(async () => {
    policyDir = mkdtempSync(join(tmpdir(), 'proxdesk-backup-policy-'));
    const policy = JSON.parse(readFileSync(demoPolicyPath, 'utf8')) as {
      users: Record<string, { backups?: { max: number } }>;
    };
    const alice = policy.users['alice@pve'];
    if (!alice) throw new Error('the demo policy has no alice');
    alice.backups = { max: backupLimit };
    const policyFile = join(policyDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
    lab = await startLab({}, { policyFile, usageMaxAgeMs: 0 });
    await lab.signIn();
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
    lab.sim.faults.down = false;
    delete lab.sim.faults.failNextTask;
    removeBackups(lab);
  });
  afterAll(async () => {
    await lab.close();
    rmSync(policyDir, { recursive: true, force: true });
  });

  it("lists a guest's backups newest first, with the storages and the count of all her guests", async () => {
    const older = seedBackup(lab, {
      ...vm100,
      stamp: '2026_12_01-08_00_00',
      ctime: 1_796_112_000,
    });
    const newer = seedBackup(
      lab,
      { ...vm100, stamp: '2026_12_02-09_30_00', ctime: 1_796_203_800 },
      { notes: 'before the upgrade\nsecond line', protected: true },
    );
    seedBackup(lab, {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      stamp: '2026_12_02-10_00_00',
      ctime: 1_796_205_600,
    });
    seedBackup(lab, {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      stamp: '2026_12_02-11_00_00',
      ctime: 1_796_209_200,
    });

    const listed = await lab.call('backup:list', vm100);

    expect(listed).toEqual({
      backups: [
        {
          volid: newer,
          storage: 'local',
          sizeBytes: 1_073_741_824,
          createdAtMs: 1_796_203_800_000,
          notes: 'before the upgrade',
          protected: true,
          format: 'vma.zst',
        },
        {
          volid: older,
          storage: 'local',
          sizeBytes: 1_073_741_824,
          createdAtMs: 1_796_112_000_000,
          notes: null,
          protected: false,
          format: 'vma.zst',
        },
      ],
      storages: [{ storage: 'local', shared: false }],
      // VM 101's backup on pve2 counts; VM 300's is not hers (and PVE does not show it to her).
      count: { used: 3, limit: backupLimit, reason: null },
    });
  });

  it('counts her backups for the quota panel as the guest view and pricing count them', async () => {
    seedBackup(lab, { ...vm100, stamp: '2026_12_01-08_00_00', ctime: 1_796_112_000 });
    seedBackup(lab, {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      stamp: '2026_12_02-11_00_00',
      ctime: 1,
    });
    const from = lab.sim.requests.length;

    const counted = await lab.call('backup:count');
    const listed = await lab.call('backup:list', vm100);
    const created = await lab.call('backup:create', create100);
    const after = await lab.call('backup:count');
    const refused = await lab.fail('backup:create', create100);

    expect(counted).toEqual({ used: 1, limit: backupLimit, reason: null });
    expect(listed.count).toEqual(counted);
    expect(created.task.status).toBe('ok');
    expect(after).toEqual({ used: 2, limit: backupLimit, reason: null });
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    // Counting reads the backup storages of her guests' nodes and writes nothing.
    expect(writesSince(lab, from).filter((write) => !write.includes('vzdump'))).toEqual([]);
  });

  it('counts backups as unknown while a backup storage is not active, and will not back up there', async () => {
    const local = lab.sim.state.storages.get('local');
    if (!local) throw new Error('the scenario has no storage local');
    local.online = false;
    let counted;
    let error;
    try {
      counted = await lab.call('backup:count');
      error = await lab.fail('quota:preview', { kind: 'backup:create', ...create100 });
    } finally {
      local.online = true;
    }

    expect(counted).toEqual({
      used: null,
      limit: backupLimit,
      reason:
        'backup storages local on pve1, local on pve2 are not active, so the backups there cannot be read',
    });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.fields).toEqual({
      storage: 'local is not active on pve1, so no backup can go there now',
    });
  });

  it('backs up a guest within the count, with notes, and returns the new backup and task', async () => {
    const from = lab.sim.requests.length;

    const result = await lab.call('backup:create', {
      ...create100,
      notes: 'before upgrade of {{guestname}}',
    });

    expect(result.task).toMatchObject({ status: 'ok', exitStatus: 'OK' });
    expect(result.task.upid).toMatch(
      /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vzdump:100:alice@pve:$/,
    );
    expect(result.backup).toMatchObject({
      storage: 'local',
      // A quarter of VM 100's disks (32 GiB + 528 KiB EFI vars), as the simulator's zstd makes it.
      sizeBytes: 8_590_069_760,
      notes: 'before upgrade of alice-web',
      protected: false,
      format: 'vma.zst',
    });
    expect(result.backup?.volid).toMatch(
      /^local:backup\/vzdump-qemu-100-\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}\.vma\.zst$/,
    );
    expect(backupVolids(lab)).toEqual([`pve1 ${result.backup?.volid ?? ''}`]);
    expect(lab.sim.state.instances.get(100)?.config.lock).toBeUndefined();
    const vzdump = lab.sim.requests
      .slice(from)
      .find((request) => request.path === '/nodes/pve1/vzdump');
    expect(vzdump?.params).toEqual({
      vmid: '100',
      storage: 'local',
      mode: 'snapshot',
      compress: 'zstd',
      remove: '0',
      'notes-template': 'before upgrade of {{guestname}}',
    });
    // The usage snapshot (resources, her 3 configs, the size of VM 101's unused volume), the
    // backup storages of her nodes and their backups, the backup, its task, and the new backup.
    expect(requestsSince(lab, from)).toEqual([
      'GET /cluster/resources',
      'GET /nodes/pve1/qemu/100/config',
      'GET /nodes/pve2/qemu/101/config',
      'GET /nodes/pve1/lxc/200/config',
      'GET /nodes/pve2/storage/local-lvm/content',
      'GET /nodes/pve1/storage',
      'GET /nodes/pve2/storage',
      'GET /nodes/pve1/storage/local/content',
      'GET /nodes/pve2/storage/local/content',
      'POST /nodes/pve1/vzdump',
      'poll /nodes/pve1/tasks/<upid>',
      'GET /nodes/pve1/storage/local/content',
    ]);
  });

  it('returns the backup its task made, not a later one already on the storage', async () => {
    // A backup job of the lab's, say, left one with a later time than the new one will have.
    const later = seedBackup(lab, {
      ...vm100,
      stamp: '2099_01_01-00_00_00',
      ctime: Date.UTC(2099, 0, 1) / 1000,
    });

    const result = await lab.call('backup:create', create100);

    const made = backupVolids(lab).filter((line) => line !== `pve1 ${later}`);
    expect(made).toHaveLength(1);
    expect(result.backup?.volid).not.toBe(later);
    expect(`pve1 ${result.backup?.volid ?? ''}`).toBe(made[0]);
  });

  it('counts an inactive shared backup storage as unknown and refuses a backup, sending nothing', async () => {
    const tank = lab.sim.state.storages.get('tank');
    if (!tank) throw new Error('the scenario has no storage tank');
    const content = tank.content;
    tank.content = [...content, 'backup'];
    tank.online = false;
    for (const stamp of ['2026_12_01-08_00_00', '2026_12_01-09_00_00']) {
      tank.volumes.push({
        volid: `tank:backup/vzdump-qemu-100-${stamp}.vma.zst`,
        storage: 'tank',
        node: null,
        sizeBytes: 1_073_741_824,
        format: 'vma.zst',
        content: 'backup',
        vmid: 100,
        ctime: 1_796_112_000,
      });
    }
    const from = lab.sim.requests.length;

    try {
      const listed = await lab.call('backup:list', vm100);
      const error = await lab.fail('backup:create', create100);

      const reason = 'backup storage tank is not active, so the backups there cannot be read';
      expect(listed.count).toEqual({ used: null, limit: backupLimit, reason });
      expect(listed.storages).toEqual([{ storage: 'local', shared: false }]);
      expect(error.code).toBe('QUOTA_UNDEFINED');
      expect(error.message).toBe(
        `Your backups cannot be counted against your backup limit: ${reason}. Try again later, or ask the lab admin.`,
      );
      expect(writesSince(lab, from)).toEqual([]);
    } finally {
      tank.content = content;
      delete tank.online;
      tank.volumes = tank.volumes.filter((volume) => volume.content !== 'backup');
    }
  });

  it('locks the guest for backup while the vzdump task runs', async () => {
    const locks: unknown[] = [];
    const stop = lab.sim.onRequest((request) => {
      if (request.path === '/nodes/pve1/vzdump') {
        locks.push(lab.sim.state.instances.get(100)?.config.lock);
      }
    });

    await lab.call('backup:create', create100).finally(stop);

    expect(locks).toEqual(['backup']);
    expect(lab.sim.state.instances.get(100)?.config.lock).toBeUndefined();
  });

  it('refuses a backup over the count with the itemised reason and sends nothing', async () => {
    seedBackup(lab, { ...vm100, stamp: '2026_12_01-08_00_00', ctime: 1_796_112_000 });
    seedBackup(lab, {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      stamp: '2026_12_01-09_00_00',
      ctime: 1_796_115_600,
    });
    const from = lab.sim.requests.length;

    const error = await lab.fail('backup:create', create100);

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toBe(
      'Not enough quota for this change. Backups: asks for 1, 0 left of 2 (1 short). Free some resources or ask the lab admin for a larger quota.',
    );
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
    expect(writesSince(lab, from)).toEqual([]);
  });

  it('lets exactly one of two concurrent backups through when there is room for one', async () => {
    seedBackup(lab, { ...vm100, stamp: '2026_12_01-08_00_00', ctime: 1_796_112_000 });
    const from = lab.sim.requests.length;

    const results = await Promise.all([
      lab.core.invoke('backup:create', create100),
      lab.core.invoke('backup:create', {
        node: 'pve1',
        type: 'lxc',
        vmid: 200,
        storage: 'local',
        mode: 'stop',
      }),
    ]);

    const outcomes = results.map((result) => (result.ok ? 'ok' : result.error.code)).sort();
    expect(outcomes).toEqual(['QUOTA_EXCEEDED', 'ok']);
    expect(writesSince(lab, from)).toHaveLength(1);
    expect(backupVolids(lab)).toHaveLength(2);
  });

  it('frees a slot when a backup is deleted', async () => {
    const first = seedBackup(lab, { ...vm100, stamp: '2026_12_01-08_00_00', ctime: 1_796_112_000 });
    seedBackup(lab, { ...vm100, stamp: '2026_12_01-09_00_00', ctime: 1_796_115_600 });
    expect((await lab.fail('backup:create', create100)).code).toBe('QUOTA_EXCEEDED');
    const from = lab.sim.requests.length;

    const deleted = await lab.call('backup:delete', { ...vm100, volid: first });
    const deleteRequests = requestsSince(lab, from);
    const created = await lab.call('backup:create', create100);

    expect(deleted.volid).toBe(first);
    expect(deleted.task).toMatchObject({ status: 'ok', exitStatus: 'OK' });
    expect(deleted.task.upid).toMatch(
      /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:imgdel::alice@pve:$/,
    );
    expect(created.task.status).toBe('ok');
    expect(backupVolids(lab)).not.toContain(`pve1 ${first}`);
    expect(backupVolids(lab)).toHaveLength(2);
    expect(deleteRequests).toEqual([
      'GET /cluster/resources',
      'GET /nodes/pve1/qemu/100/config',
      'GET /nodes/pve2/qemu/101/config',
      'GET /nodes/pve1/lxc/200/config',
      'GET /nodes/pve2/storage/local-lvm/content',
      'GET /nodes/pve1/storage',
      'GET /nodes/pve1/storage/local/content',
      `DELETE /nodes/pve1/storage/local/content/${first}`,
      'poll /nodes/pve1/tasks/<upid>',
    ]);
  });

  it('refuses to delete a protected backup and sends nothing', async () => {
    const kept = seedBackup(
      lab,
      { ...vm100, stamp: '2026_12_01-08_00_00', ctime: 1_796_112_000 },
      { protected: true },
    );
    const from = lab.sim.requests.length;

    const error = await lab.fail('backup:delete', { ...vm100, volid: kept });

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      `Backup ${kept} is protected against removal; remove the protection in PVE first.`,
    );
    expect(writesSince(lab, from)).toEqual([]);
    expect(backupVolids(lab)).toEqual([`pve1 ${kept}`]);
  });

  it('says a backup that is not there is not found, and sends nothing', async () => {
    const from = lab.sim.requests.length;
    const volid = 'local:backup/vzdump-qemu-100-2026_12_01-08_00_00.vma.zst';

    const error = await lab.fail('backup:delete', { ...vm100, volid });

    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(`Guest 100 has no backup ${volid} on pve1.`);
    expect(writesSince(lab, from)).toEqual([]);
  });

  const stamp = '2026_12_03-10_00_00';
  it.each([
    ['a path that climbs out', { volid: `local:backup/../vzdump-qemu-100-${stamp}.vma.zst` }],
    ['an added option', { volid: `local:backup/vzdump-qemu-100-${stamp}.vma.zst,size=1` }],
    ['another guest of hers', { volid: `local:backup/vzdump-qemu-101-${stamp}.vma.zst` }],
    ['a container archive for a VM', { volid: `local:backup/vzdump-lxc-100-${stamp}.tar.zst` }],
    ['a VM archive with a tar', { volid: `local:backup/vzdump-qemu-100-${stamp}.tar.zst` }],
    ['a disk image', { volid: 'local-lvm:vm-100-disk-0' }],
    [
      'a date that does not exist',
      { volid: 'local:backup/vzdump-qemu-100-2026_02_30-10_00_00.vma' },
    ],
    ['an encoded slash', { volid: `local:backup%2Fvzdump-qemu-100-${stamp}.vma.zst` }],
    ['an empty volid', { volid: '' }],
    ['a volid as a number', { volid: 100 }],
  ])('refuses to delete %s with INVALID_INPUT and sends nothing', async (_name, override) => {
    const from = lab.sim.requests.length;

    const error = await lab.fail('backup:delete', { ...vm100, ...override });

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.fields).toHaveProperty('volid');
    expect(lab.sim.requests.length).toBe(from);
  });

  it.each([
    ['notes over two lines', { notes: 'first\nsecond' }, 'notes'],
    ['notes with a backslash', { notes: 'C:\\temp' }, 'notes'],
    ['notes that try to add a parameter', { notes: 'x&storage=tank' }, 'notes'],
    ['notes with a percent escape', { notes: 'x%0Aprotected=1' }, 'notes'],
    ['notes with an unknown variable', { notes: '{{password}}' }, 'notes'],
    ['notes over 200 characters', { notes: 'a'.repeat(201) }, 'notes'],
    ['an unknown mode', { mode: 'live' }, 'mode'],
    ['a hostile storage id', { storage: 'local/../x' }, 'storage'],
    ['a storage id with an option', { storage: 'local,remove=1' }, 'storage'],
    ['NaN as vmid', { vmid: Number.NaN }, 'vmid'],
    ['a vmid as a string', { vmid: '100' }, 'vmid'],
    // zod reports a key the input does not declare on the input itself.
    ['an unknown field', { compress: 'gzip' }, 'input'],
  ])(
    'refuses a backup with %s with INVALID_INPUT and sends nothing',
    async (_name, override, field) => {
      const from = lab.sim.requests.length;

      const error = await lab.fail('backup:create', { ...create100, ...override });

      expect(error.code).toBe('INVALID_INPUT');
      expect(Object.keys(error.details?.fields ?? {})).toContain(field);
      expect(lab.sim.requests.length).toBe(from);
    },
  );

  it('refuses a storage that takes no backups on the node, sending nothing', async () => {
    const from = lab.sim.requests.length;

    const error = await lab.fail('backup:create', { ...create100, storage: 'local-lvm' });

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.fields).toEqual({
      storage: 'local-lvm is not a backup storage you may use on pve1 (offered: local)',
    });
    expect(writesSince(lab, from)).toEqual([]);
  });

  it('refuses every backup operation on VM 300, which she may read but does not own', async () => {
    const vm300 = { node: 'pve1', type: 'qemu', vmid: 300 } as const;
    const volid = seedBackup(lab, { ...vm300, stamp, ctime: 1_796_292_000 });
    const from = lab.sim.requests.length;

    const errors = [
      await lab.fail('backup:list', vm300),
      await lab.fail('backup:create', { ...vm300, storage: 'local', mode: 'snapshot' }),
      await lab.fail('backup:delete', { ...vm300, volid }),
    ];

    expect(errors.map((error) => error.code)).toEqual(['NOT_OWNED', 'NOT_OWNED', 'NOT_OWNED']);
    expect(writesSince(lab, from)).toEqual([]);
    expect(backupVolids(lab)).toEqual([`pve1 ${volid}`]);
  });

  it('refuses a locked guest', async () => {
    const guest = lab.sim.state.instances.get(100);
    if (!guest) throw new Error('the scenario has no VM 100');
    guest.config.lock = 'migrate';
    const from = lab.sim.requests.length;

    const error = await lab.fail('backup:create', create100).finally(() => {
      delete guest.config.lock;
    });

    expect(error.code).toBe('LOCKED');
    expect(writesSince(lab, from)).toEqual([]);
  });

  it('gives the slot back when the vzdump task fails', async () => {
    seedBackup(lab, { ...vm100, stamp: '2026_12_01-08_00_00', ctime: 1_796_112_000 });
    lab.sim.faults.failNextTask = 'Backup of VM 100 failed - disk is full';

    const failed = await lab.fail('backup:create', create100);
    const retried = await lab.call('backup:create', create100);

    expect(failed.code).toBe('TASK_FAILED');
    expect(failed.message).toBe(
      'PVE could not back up guest 100: Backup of VM 100 failed - disk is full',
    );
    expect(failed.details?.upid).toMatch(/:vzdump:100:alice@pve:$/);
    expect(retried.task.status).toBe('ok');
    expect(backupVolids(lab)).toHaveLength(2);
    expect(lab.sim.state.instances.get(100)?.config.lock).toBeUndefined();
  });

  it('reports the cluster as unreachable when PVE is down, and backs up nothing', async () => {
    lab.sim.faults.down = true;

    const error = await lab.fail('backup:create', create100);
    lab.sim.faults.down = false;

    // One node, one address: the whole cluster is out of reach.
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(backupVolids(lab)).toEqual([]);
  });
});

describe('backups in elevated mode', () => {
  let lab: Lab;
  let policyDir: string;

  beforeAll(async () => {
    policyDir = mkdtempSync(join(tmpdir(), 'proxdesk-backup-elevated-'));
    const policy = JSON.parse(elevatedLabPolicyText()) as {
      users: Record<string, { backups?: { max: number } }>;
    };
    const entry = policy.users[dave.userid];
    if (!entry) throw new Error('the elevated policy has no dave');
    entry.backups = { max: 2 };
    const policyFile = join(policyDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
    lab = await startLab({ scenario: elevatedLabScenario(), taskDurationMs: 60 }, { policyFile });
    await lab.trust();
    const signIn = (username: string, password: string): Promise<unknown> =>
      lab.call('session:login', { url: lab.sim.url, realm: 'pve', username, password });
    await signIn('labadmin', 'labadmin-lab-pass');
    await lab.call('elevated:install', commitToken);
    await lab.call('session:logout');
    await signIn(dave.username, dave.password);
  });
  afterAll(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
    rmSync(policyDir, { recursive: true, force: true });
  });

  it('lists the count as unknown, with why, rather than as the 0 the read-only account sees', async () => {
    const listed = await lab.call('backup:list', { node: 'pve1', type: 'qemu', vmid: 120 });

    expect(listed.count).toEqual({
      used: null,
      limit: 2,
      reason:
        'changes are committed with the lab token, and your own account may not see your backups',
    });
  });

  it('gives the quota panel the same unknown count', async () => {
    expect(await lab.call('backup:count')).toEqual({
      used: null,
      limit: 2,
      reason:
        'changes are committed with the lab token, and your own account may not see your backups',
    });
  });

  it('refuses a backup under a limit it cannot count with the read-only account, sending nothing', async () => {
    const from = lab.sim.requests.length;

    const error = await lab.fail('backup:create', {
      node: 'pve1',
      type: 'qemu',
      vmid: 120,
      storage: 'local',
      mode: 'snapshot',
    });

    expect(error.code).toBe('QUOTA_UNDEFINED');
    expect(error.message).toBe(
      'Your backups cannot be counted against your backup limit while changes are committed with the lab token: your own account may not see them. Ask the lab admin.',
    );
    expect(writesSince(lab, from)).toEqual([]);
  });

  it('previews such a backup as uncounted too, never as fitting', async () => {
    const input = { node: 'pve1', type: 'qemu', vmid: 120, storage: 'local', mode: 'snapshot' };

    const previewed = await lab.fail('quota:preview', { kind: 'backup:create', ...input });
    const created = await lab.fail('backup:create', input);

    expect(previewed.code).toBe('QUOTA_UNDEFINED');
    expect(previewed).toEqual(created);
  });
});
