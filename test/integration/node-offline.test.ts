import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NodeState } from '../pve-sim/state';
import { startLab, type Lab } from './lab';
import { writesSince } from './sim-requests';

// One node of the cluster is down while alice works on the others. Her VM 101 is on pve2: its
// config cannot be read, so what it uses is unknown. Her usage is shown without it and says so;
// increases the quota would count it against are refused with the reason, nothing is sent, and
// freeing still goes through. When pve2 is back, the same change goes through.

const unreadVm101 = {
  node: 'pve2',
  type: 'qemu',
  vmid: 101,
  reason: 'PVE cannot reach pve2',
} as const;

function nodeOf(lab: Lab, name: string): NodeState {
  const node = lab.sim.state.nodes.get(name);
  if (!node) throw new Error(`the scenario has no node ${name}`);
  return node;
}

describe('quota while a node of the cluster is down', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  beforeEach(() => {
    nodeOf(lab, 'pve2').status = 'offline';
  });
  afterEach(() => {
    nodeOf(lab, 'pve2').status = 'online';
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('shows the usage of the guests it could read and names the one it could not', async () => {
    const usage = await lab.call('quota:usage');

    expect(usage.unread).toEqual([unreadVm101]);
    // VM 100 (2 cores) and CT 200 (1 core) are on pve1; VM 101's 4 cores are not counted.
    expect(usage.resources.find((row) => row.resource === 'cores')?.used).toBe(3);
  });

  it('refuses an increase that might fit, sending nothing, and says why', async () => {
    const from = lab.sim.requests.length;
    const resize = { node: 'pve1', type: 'qemu', vmid: 100, disk: 'scsi0', addGiB: 1 };

    const error = await lab.fail('disk:resize', resize);
    const preview = await lab.call('quota:preview', { kind: 'disk:resize', ...resize });

    expect(error.code).toBe('QUOTA_UNDEFINED');
    expect(error.message).toBe(
      'Your use of Storage: local-lvm cannot be known: guest 101 on pve2 could not be read (PVE cannot reach pve2). ' +
        'Increases wait until it can be read again; freeing resources still goes through.',
    );
    expect(writesSince(lab, from)).toEqual([]);
    expect(preview.approved).toBe(false);
    expect(preview.items.map((item) => [item.resource, item.fits])).toEqual([
      ['storage:local-lvm', false],
    ]);
    expect(preview.items[0]?.reason).toContain('at least 40.0 GiB in use + 1 GiB');
  });

  it('lets her free resources on the nodes that answer', async () => {
    const before = await lab.call('instance:get', { node: 'pve1', type: 'qemu', vmid: 100 });
    const { cores } = before;
    if (cores === null || cores < 2) throw new Error('VM 100 should have at least two cores');

    const changed = await lab.call('instance:resources', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      cores: cores - 1,
    });
    nodeOf(lab, 'pve2').status = 'online';
    const restored = await lab.call('instance:resources', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      cores,
    });

    expect(changed.changed).toBe(true);
    expect(restored.resources.cores).toBe(cores);
  });

  it('says a change of the guest on the node that is down cannot be made now', async () => {
    const from = lab.sim.requests.length;

    const error = await lab.fail('instance:resources', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      cores: 1,
    });

    expect(error.code).toBe('PVE_UNREACHABLE');
    expect(error.message).toBe(
      'Guest 101 is on pve2, which PVE cannot reach now; try again when pve2 is back.',
    );
    expect(writesSince(lab, from)).toEqual([]);
  });

  it('says which node could not be reached when she opens the guest on it', async () => {
    const error = await lab.fail('instance:get', { node: 'pve2', type: 'qemu', vmid: 101 });

    expect(error.code).toBe('PVE_UNREACHABLE');
    expect(error.message).toBe(
      'The cluster node ProxDesk talks to could not reach node pve2. Check that the node is online and try again. PVE said: No route to host',
    );
  });

  it('does not count backups it cannot see, and refuses a backup under a limit', async () => {
    const from = lab.sim.requests.length;

    const listed = await lab.call('backup:list', { node: 'pve1', type: 'qemu', vmid: 100 });
    const error = await lab.fail('backup:create', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      storage: 'local',
      mode: 'snapshot',
    });
    const onPve2 = await lab.fail('backup:list', { node: 'pve2', type: 'qemu', vmid: 101 });

    expect(listed.count).toEqual({
      used: null,
      limit: 10,
      reason:
        'guest 101 on pve2 could not be read, so a backup being made of it cannot be seen; ' +
        'PVE cannot reach pve2, so the backups kept there cannot be read',
    });
    expect(error.code).toBe('QUOTA_UNDEFINED');
    expect(error.message).toContain('PVE cannot reach pve2');
    expect(writesSince(lab, from)).toEqual([]);
    expect(onPve2.code).toBe('PVE_UNREACHABLE');
  });

  it('counts the guest again and lets the same increase through once the node is back', async () => {
    nodeOf(lab, 'pve2').status = 'online';
    const resize = { node: 'pve1', type: 'qemu', vmid: 100, disk: 'scsi0', addGiB: 1 };

    const usage = await lab.call('quota:usage');
    const resized = await lab.call('disk:resize', resize);

    expect(usage.unread).toEqual([]);
    expect(usage.resources.find((row) => row.resource === 'cores')?.used).toBe(7);
    expect(resized.task.status).toBe('ok');
  });
});

describe('quota:admin while a node of the cluster is down', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn(lab.sim.users.findIndex((user) => user.userid === 'labadmin@pve'));
  });
  afterAll(async () => {
    await lab.close();
  });

  it("lists each user's guests that could not be read beside the usage of the rest", async () => {
    nodeOf(lab, 'pve2').status = 'offline';
    const view = await lab.call('quota:admin').finally(() => {
      nodeOf(lab, 'pve2').status = 'online';
    });

    const unread = Object.fromEntries(view.users.map((user) => [user.userid, user.unread]));
    expect(unread['alice@pve']).toEqual([unreadVm101]);
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});

describe('a node that goes away around a change', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterEach(() => {
    nodeOf(lab, 'pve2').status = 'online';
    delete lab.sim.faults.statusOverride;
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('gives the reservation back when PVE could not forward a write to the node (595)', async () => {
    const before = await lab.call('quota:usage');
    // Priced on the reading just taken, before ProxDesk can know the node went away.
    nodeOf(lab, 'pve2').status = 'offline';
    const error = await lab.fail('disk:resize', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      disk: 'scsi1',
      addGiB: 10,
    });
    nodeOf(lab, 'pve2').status = 'online';
    const after = await lab.call('quota:usage');

    // 595 is PVE's proxy failing to connect: nothing reached pve2, so nothing stays held.
    expect(error.code).toBe('PVE_UNREACHABLE');
    expect(after.resources).toEqual(before.resources);
  });

  it('leaves out the guests of a node that goes away while its storage is listed', async () => {
    // VM 101's unused0 has no size in its config, so its size is read from pve2's listing.
    lab.sim.faults.statusOverride = {
      status: 595,
      message: 'No route to host',
      method: 'GET',
      path: '/nodes/pve2/storage/local-lvm/content',
    };
    const from = lab.sim.requests.length;

    const usage = await lab.call('quota:usage');
    const error = await lab.fail('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk: 'scsi0',
      addGiB: 1,
    });

    expect(usage.unread).toEqual([unreadVm101]);
    expect(error.code).toBe('QUOTA_UNDEFINED');
    expect(writesSince(lab, from)).toEqual([]);
  });

  it('leaves out a guest whose volume size is in a listing PVE cannot give, and still frees', async () => {
    // local-lvm is not online: VM 101's unused0 (no size in its config) cannot be sized.
    const localLvm = lab.sim.state.storages.get('local-lvm');
    if (!localLvm) throw new Error('the scenario has no storage local-lvm');
    localLvm.online = false;
    try {
      const usage = await lab.call('quota:usage');
      const freed = await lab.call('instance:resources', {
        node: 'pve1',
        type: 'lxc',
        vmid: 200,
        memoryMiB: 256,
      });

      expect(usage.unread.map((guest) => [guest.vmid, guest.reason])).toEqual([
        [
          101,
          "the size of local-lvm:vm-101-disk-2 is not known (PVE could not complete GET /nodes/pve2/storage/local-lvm/content: storage 'local-lvm' is not online)",
        ],
      ]);
      expect(freed.changed).toBe(true);
    } finally {
      localLvm.online = true;
    }
  });

  it('leaves out a guest whose node is lost while its config is read (597)', async () => {
    lab.sim.faults.statusOverride = {
      status: 597,
      message: 'Connection reset by peer',
      method: 'GET',
      path: '/nodes/pve2/qemu/101/config',
    };

    const usage = await lab.call('quota:usage');

    expect(usage.unread).toEqual([unreadVm101]);
  });

  it('reads again at once after a reading that left guests out, so a node that is back counts', async () => {
    nodeOf(lab, 'pve2').status = 'offline';
    await lab.call('quota:usage');
    nodeOf(lab, 'pve2').status = 'online';

    // Within the 10 s a complete reading would be reused for pricing.
    const changed = await lab.call('instance:resources', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      cores: 3,
    });
    const restored = await lab.call('instance:resources', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      cores: 4,
    });

    expect(changed.changed).toBe(true);
    expect(restored.resources.cores).toBe(4);
  });

  it('does not count backups while a guest whose lock tells of a running backup is unread', async () => {
    // A lab job is backing up VM 101; only its config cannot be read (596: the proxy timed out).
    const vm101 = lab.sim.state.instances.get(101);
    if (!vm101) throw new Error('the scenario has no VM 101');
    vm101.config.lock = 'backup';
    lab.sim.faults.statusOverride = {
      status: 596,
      message: 'Connection timed out',
      method: 'GET',
      path: '/nodes/pve2/qemu/101/config',
    };
    const from = lab.sim.requests.length;

    try {
      const counted = await lab.call('backup:count');
      const error = await lab.fail('backup:create', {
        node: 'pve1',
        type: 'qemu',
        vmid: 100,
        storage: 'local',
        mode: 'snapshot',
      });

      expect(counted).toEqual({
        used: null,
        limit: 10,
        reason: 'guest 101 on pve2 could not be read, so a backup being made of it cannot be seen',
      });
      expect(error.code).toBe('QUOTA_UNDEFINED');
      expect(writesSince(lab, from)).toEqual([]);
    } finally {
      delete vm101.config.lock;
    }
  });

  it('says a guest on a node that went away cannot be backed up now', async () => {
    await lab.call('quota:usage');
    nodeOf(lab, 'pve2').status = 'offline';
    const from = lab.sim.requests.length;

    const error = await lab.fail('backup:create', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      storage: 'local',
      mode: 'snapshot',
    });

    expect(error.code).toBe('PVE_UNREACHABLE');
    expect(error.message).toBe('Guest 101 cannot be backed up now: PVE cannot reach pve2.');
    expect(writesSince(lab, from)).toEqual([]);
  });
});
