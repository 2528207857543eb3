import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoPolicyWith, startLab, type Lab } from './lab';
import { requestsSince, writesSince } from './sim-requests';

// instance:destroy and the guest's backups. alice owns VM 100 (pve1, running), VM 101 (pve2,
// stopped) and CT 200 (pve1, running); `local` is a backup storage local to each node. The policy
// lets her keep 2 backups. Backups outlive their guest in PVE, still count and take space, but
// once the guest is gone she could no longer list or delete them, so a destroy must wait for them.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const vm101 = { node: 'pve2', type: 'qemu', vmid: 101 } as const;
const ct200 = { node: 'pve1', type: 'lxc', vmid: 200 } as const;

let lab: Lab;

beforeEach(async () => {
  const policy = demoPolicyWith('alice@pve', (alice) => ({ ...alice, backups: { max: 2 } }));
  lab = await startLab({}, { policy, usageMaxAgeMs: 0 });
  await lab.signIn();
});
afterEach(async () => {
  expect(lab.sim.schemaViolations).toEqual([]);
  await lab.close();
});

describe('instance:destroy with backups', () => {
  it('refuses a guest that still has backups, so they stay counted and visible, and sends nothing', async () => {
    await lab.call('backup:create', { ...vm101, storage: 'local', mode: 'snapshot' });
    await lab.call('backup:create', { ...vm101, storage: 'local', mode: 'snapshot' });
    const from = lab.sim.requests.length;

    const error = await lab.fail('instance:destroy', { ...vm101, confirmVmid: 101 });
    const listed = await lab.call('backup:list', vm101);
    const over = await lab.fail('backup:create', { ...vm100, storage: 'local', mode: 'snapshot' });

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      'Guest 101 still has 2 backups (local); delete them first: once the guest is gone you could no longer see or delete them, and they would still take space.',
    );
    expect(writesSince(lab, from)).toEqual([]);
    expect(lab.sim.state.instances.has(101)).toBe(true);
    expect(listed.backups).toHaveLength(2);
    expect(listed.count).toEqual({ used: 2, limit: 2, reason: null });
    expect(over.code).toBe('QUOTA_EXCEEDED');
  });

  it('destroys the guest once its backups are deleted', async () => {
    const made = await lab.call('backup:create', { ...vm101, storage: 'local', mode: 'snapshot' });
    expect((await lab.fail('instance:destroy', { ...vm101, confirmVmid: 101 })).code).toBe(
      'CONFLICT',
    );

    await lab.call('backup:delete', { ...vm101, volid: made.backup?.volid ?? '' });
    const result = await lab.call('instance:destroy', { ...vm101, confirmVmid: 101 });

    expect(result.task.status).toBe('ok');
    expect(lab.sim.state.instances.has(101)).toBe(false);
  });

  it('destroys a guest whose node holds backups of her other guests only, reading that node alone', async () => {
    await lab.call('backup:create', { ...vm100, storage: 'local', mode: 'snapshot' });
    await lab.call('backup:create', { ...vm101, storage: 'local', mode: 'snapshot' });
    await lab.call('instance:power', { ...ct200, action: 'stop' });
    const from = lab.sim.requests.length;

    const result = await lab.call('instance:destroy', { ...ct200, confirmVmid: 200 });

    expect(result.task.status).toBe('ok');
    expect(lab.sim.state.instances.has(200)).toBe(false);
    // The usage snapshot, her guest list and CT 200's config afresh, then the backup storages of
    // pve1 and what `local` there holds (VM 100's backup); pve2 and VM 101's backup are not read.
    expect(requestsSince(lab, from)).toEqual([
      'GET /cluster/resources',
      'GET /nodes/pve1/qemu/100/config',
      'GET /nodes/pve2/qemu/101/config',
      'GET /nodes/pve1/lxc/200/config',
      'GET /nodes/pve2/storage/local-lvm/content',
      'GET /cluster/resources',
      'GET /nodes/pve1/lxc/200/config',
      'GET /nodes/pve1/storage',
      'GET /nodes/pve1/storage/local/content',
      'DELETE /nodes/pve1/lxc/200',
      'poll /nodes/pve1/tasks/<upid>',
    ]);
  });

  it('refuses while a backup storage of the node is not active, as its backups cannot be read', async () => {
    const local = lab.sim.state.storages.get('local');
    if (!local) throw new Error('the scenario has no storage local');
    local.online = false;
    const from = lab.sim.requests.length;

    const error = await lab.fail('instance:destroy', { ...vm101, confirmVmid: 101 });

    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      "Guest 101's backups cannot be checked (backup storage local on pve2 is not active, so the backups there cannot be read); try again later: a guest with backups cannot be destroyed, as you could no longer see or delete them once it is gone.",
    );
    expect(writesSince(lab, from)).toEqual([]);
    expect(lab.sim.state.instances.has(101)).toBe(true);
  });
});
