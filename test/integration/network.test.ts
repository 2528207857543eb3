import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MiB } from '../../src/shared/units';
import { demoPolicyWith, startLab, type Lab } from './lab';

// Alice's network use in the bundled scenario against the demo policy (200 MB/s, an interface
// without a rate counting 50 MB/s): VM 100 net0 50, VM 101 net0 25.5, CT 200 net0 unlimited (50),
// so 125.5 MB/s used and 74.5 MB/s left. PVE's MB/s is a MiB/s.

const base = {
  100: 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=50',
  101: 'virtio=BC:24:11:2A:10:01,bridge=vmbr0,rate=25.5',
  200: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:2A:20:00,ip=dhcp,type=veth',
} as const;
const mac = '[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}';

function config(lab: Lab, vmid: number): Record<string, string | number> {
  const guest = lab.sim.state.instances.get(vmid);
  if (!guest) throw new Error(`the scenario has no guest ${vmid}`);
  return guest.config;
}

function configWrites(lab: Lab): number {
  return lab.sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/config')).length;
}

function lastWrite(lab: Lab): (typeof lab.sim.requests)[number] | undefined {
  return lab.sim.requests.filter((r) => r.method === 'PUT').at(-1);
}

async function networkUsed(lab: Lab): Promise<number | undefined> {
  const usage = await lab.call('quota:usage');
  return usage.resources.find((r) => r.resource === 'network')?.used;
}

describe('network interfaces', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  beforeEach(async () => {
    // Every test starts from the scenario's interfaces, read fresh as the quota panel reads them.
    for (const [vmid, net0] of Object.entries(base)) {
      const guest = config(lab, Number(vmid));
      for (const key of Object.keys(guest).filter((k) => /^net\d+$/.test(k))) delete guest[key];
      guest.net0 = net0;
    }
    expect(await networkUsed(lab)).toBe(125.5 * MiB);
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('adds a VM interface in the first free slot, built from checked parts with the digest', async () => {
    const before = await lab.call('instance:get', { node: 'pve1', type: 'qemu', vmid: 100 });

    const result = await lab.call('net:create', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      model: 'virtio',
      bridge: 'vmbr1',
      vlanTag: 20,
      rateMBps: 12.5,
    });

    expect(lastWrite(lab)).toMatchObject({
      path: '/nodes/pve1/qemu/100/config',
      params: { net1: 'virtio,bridge=vmbr1,tag=20,rate=12.5', digest: before.digest },
      status: 200,
    });
    expect(Object.keys(lastWrite(lab)?.params ?? {}).sort()).toEqual(['digest', 'net1']);
    const stored = String(config(lab, 100).net1);
    expect(stored).toMatch(new RegExp(`^virtio=BC:24:11:${mac},bridge=vmbr1,rate=12\\.5,tag=20$`));
    expect(result).toEqual({
      key: 'net1',
      network: {
        key: 'net1',
        model: 'virtio',
        mac: stored.slice('virtio='.length, 'virtio='.length + 17),
        bridge: 'vmbr1',
        vlanTag: 20,
        name: null,
        rateBytesPerSecond: 12.5 * MiB,
      },
    });
    const detail = await lab.call('instance:get', { node: 'pve1', type: 'qemu', vmid: 100 });
    expect(detail.networks.map((n) => n.key)).toEqual(['net0', 'net1']);
    expect(await networkUsed(lab)).toBe(138 * MiB);
  });

  it('adds a container interface with its name and DHCP; PVE adds the MAC and veth type', async () => {
    const result = await lab.call('net:create', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      name: 'eth1',
      bridge: 'vmbr0',
      ip: 'dhcp',
      rateMBps: 5,
    });

    expect(lastWrite(lab)?.params).toMatchObject({ net1: 'name=eth1,bridge=vmbr0,ip=dhcp,rate=5' });
    expect(String(config(lab, 200).net1)).toMatch(
      new RegExp(`^name=eth1,bridge=vmbr0,hwaddr=BC:24:11:${mac},ip=dhcp,rate=5,type=veth$`),
    );
    expect(result.network).toMatchObject({
      key: 'net1',
      name: 'eth1',
      rateBytesPerSecond: 5 * MiB,
    });
    expect(await networkUsed(lab)).toBe(130.5 * MiB);
  });

  it('refuses an interface beyond the network quota with the exact shortfall, writing nothing', async () => {
    const writes = configWrites(lab);

    const error = await lab.fail('net:create', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      model: 'e1000',
      bridge: 'vmbr0',
      rateMBps: 75,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'network',
        label: 'Network rate',
        unit: 'bytesPerSecond',
        limit: 200 * MiB,
        used: 125.5 * MiB,
        requested: 75 * MiB,
        shortfall: 0.5 * MiB,
      },
    ]);
    expect(configWrites(lab)).toBe(writes);
    expect(config(lab, 101).net1).toBeUndefined();
  });

  it('prices an interface without a rate at the policy unlimited cost, never as free', async () => {
    config(lab, 100).net0 = 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=90';
    expect(await networkUsed(lab)).toBe(165.5 * MiB);
    const writes = configWrites(lab);

    const error = await lab.fail('net:create', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      model: 'virtio',
      bridge: 'vmbr0',
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toMatchObject([
      { resource: 'network', requested: 50 * MiB, shortfall: 15.5 * MiB },
    ]);
    expect(configWrites(lab)).toBe(writes);
  });

  it('counts an interface with rate=0 at the unlimited cost, so limiting it is a decrease', async () => {
    config(lab, 101).net0 = 'virtio=BC:24:11:2A:10:01,bridge=vmbr0,rate=0';
    config(lab, 100).net0 = 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=100';
    // 100 + 50 (rate=0) + 50 (no rate): the quota is full.
    expect(await networkUsed(lab)).toBe(200 * MiB);

    const result = await lab.call('net:modify', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      key: 'net0',
      rateMBps: 10,
    });

    expect(result.changed).toBe(true);
    expect(config(lab, 101).net0).toBe('virtio=BC:24:11:2A:10:01,bridge=vmbr0,rate=10');
    expect(await networkUsed(lab)).toBe(160 * MiB);
  });

  it('changes only the rate of an interface and keeps every other option', async () => {
    config(lab, 100).net0 = 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,firewall=1,rate=50,tag=7';
    await lab.call('quota:usage');

    const result = await lab.call('net:modify', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      key: 'net0',
      rateMBps: 30.25,
    });

    expect(lastWrite(lab)?.params).toMatchObject({
      net0: 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,firewall=1,rate=30.25,tag=7',
    });
    expect(config(lab, 100).net0).toBe(
      'virtio=BC:24:11:2A:10:00,bridge=vmbr0,firewall=1,rate=30.25,tag=7',
    );
    expect(result).toEqual({
      changed: true,
      network: {
        key: 'net0',
        model: 'virtio',
        mac: 'BC:24:11:2A:10:00',
        bridge: 'vmbr0',
        vlanTag: 7,
        name: null,
        rateBytesPerSecond: 30.25 * MiB,
      },
    });
  });

  it('prices removing a limit at the unlimited cost and refuses it when that does not fit', async () => {
    const lifted = await lab.call('net:modify', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      key: 'net0',
      rateMBps: null,
    });
    expect(lifted.network.rateBytesPerSecond).toBeNull();
    expect(config(lab, 101).net0).toBe('virtio=BC:24:11:2A:10:01,bridge=vmbr0');
    expect(await networkUsed(lab)).toBe(150 * MiB);

    config(lab, 100).net0 = 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=10';
    config(lab, 101).net0 = 'virtio=BC:24:11:2A:10:01,bridge=vmbr0,rate=5';
    config(lab, 200).net0 = `${base[200]},rate=150`;
    expect(await networkUsed(lab)).toBe(165 * MiB);
    const error = await lab.fail('net:modify', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      key: 'net0',
      rateMBps: null,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toMatchObject([
      { resource: 'network', used: 165 * MiB, requested: 40 * MiB, shortfall: 5 * MiB },
    ]);
  });

  it('writes nothing when the interface already has the asked rate', async () => {
    const writes = configWrites(lab);

    const result = await lab.call('net:modify', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      key: 'net0',
      rateMBps: 25.5,
    });

    expect(result.changed).toBe(false);
    expect(result.network.rateBytesPerSecond).toBe(25.5 * MiB);
    expect(configWrites(lab)).toBe(writes);
  });

  it('removes an interface with delete and the digest', async () => {
    config(lab, 100).net3 = 'e1000=BC:24:11:2A:10:03,bridge=vmbr0,rate=20';
    expect(await networkUsed(lab)).toBe(145.5 * MiB);
    const before = await lab.call('instance:get', { node: 'pve1', type: 'qemu', vmid: 100 });

    const result = await lab.call('net:delete', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      key: 'net3',
    });

    expect(result).toEqual({ key: 'net3' });
    expect(lastWrite(lab)?.params).toEqual({ delete: 'net3', digest: before.digest });
    expect(config(lab, 100).net3).toBeUndefined();
    expect(await networkUsed(lab)).toBe(125.5 * MiB);
  });

  it('lets decreases through for a user who is over the network quota', async () => {
    config(lab, 100).net0 = 'virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=150';
    expect(await networkUsed(lab)).toBe(225.5 * MiB);

    await lab.call('net:modify', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      key: 'net0',
      rateMBps: 140,
    });
    await lab.call('net:delete', { node: 'pve2', type: 'qemu', vmid: 101, key: 'net0' });

    expect(config(lab, 100).net0).toBe('virtio=BC:24:11:2A:10:00,bridge=vmbr0,rate=140');
    expect(config(lab, 101).net0).toBeUndefined();
    expect(await networkUsed(lab)).toBe(190 * MiB);
  });

  it('fills the lowest free slot after a gap', async () => {
    config(lab, 101).net1 = 'virtio=BC:24:11:2A:10:11,bridge=vmbr0,rate=1';
    config(lab, 101).net3 = 'virtio=BC:24:11:2A:10:13,bridge=vmbr0,rate=1';
    await lab.call('quota:usage');

    const result = await lab.call('net:create', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      model: 'rtl8139',
      bridge: 'vmbr0',
      rateMBps: 1,
    });

    expect(result.key).toBe('net2');
  });

  it('refuses a container interface name the container already uses, writing nothing', async () => {
    const writes = configWrites(lab);

    const error = await lab.fail('net:create', {
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      name: 'eth0',
      bridge: 'vmbr0',
      rateMBps: 1,
    });

    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      details: { fields: { name: 'net0 is already called eth0' } },
    });
    expect(configWrites(lab)).toBe(writes);
  });

  it('refuses a guest outside the user pools and writes nothing', async () => {
    const writes = configWrites(lab);

    const error = await lab.fail('net:create', {
      node: 'pve1',
      type: 'qemu',
      vmid: 300,
      model: 'virtio',
      bridge: 'vmbr0',
      rateMBps: 1,
    });

    expect(error.code).toBe('NOT_OWNED');
    expect(configWrites(lab)).toBe(writes);
    expect(config(lab, 300).net1).toBeUndefined();
  });

  it('refuses to change or remove an interface the guest does not have', async () => {
    const modify = await lab.fail('net:modify', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      key: 'net9',
      rateMBps: 1,
    });
    const remove = await lab.fail('net:delete', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      key: 'net9',
    });

    expect(modify.code).toBe('NOT_FOUND');
    expect(remove.code).toBe('NOT_FOUND');
  });

  it('shows the interfaces in instance:get and reports an unreadable one as a problem', async () => {
    config(lab, 100).net1 = 'virtio=BC:24:11:2A:10:01,bridge=vmbr0,tag=5000';

    const detail = await lab.call('instance:get', { node: 'pve1', type: 'qemu', vmid: 100 });

    expect(detail.networks).toEqual([
      {
        key: 'net0',
        model: 'virtio',
        mac: 'BC:24:11:2A:10:00',
        bridge: 'vmbr0',
        vlanTag: null,
        name: null,
        rateBytesPerSecond: 50 * MiB,
      },
    ]);
    expect(detail.problems).toContainEqual({
      key: 'net1',
      reason: 'VLAN tag "5000" is not between 1 and 4094',
    });
  });

  it('refuses to re-rate an interface it cannot read, before writing anything', async () => {
    config(lab, 100).net1 = 'virtio=BC:24:11:2A:10:01,bridge=vmbr0,tag=5000';
    await lab.call('quota:usage');
    const writes = configWrites(lab);

    const error = await lab.fail('net:modify', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      key: 'net1',
      rateMBps: 1,
    });

    expect(error.code).toBe('NOT_FOUND');
    expect(configWrites(lab)).toBe(writes);
    expect(config(lab, 100).net1).toBe('virtio=BC:24:11:2A:10:01,bridge=vmbr0,tag=5000');
  });

  it('maps a config changed between pricing and writing to CONFLICT and overwrites nothing', async () => {
    let edits = 0;
    const stop = lab.sim.onRequest((request) => {
      if (request.method === 'GET' && request.path === '/nodes/pve2/qemu/101/config') {
        edits += 1;
        config(lab, 101).description = `edited elsewhere (${edits})`;
      }
    });

    const error = await lab
      .call('quota:usage')
      .then(() =>
        lab.fail('net:modify', { node: 'pve2', type: 'qemu', vmid: 101, key: 'net0', rateMBps: 5 }),
      )
      .finally(stop);

    expect(error.code).toBe('CONFLICT');
    expect(lastWrite(lab)).toMatchObject({ path: '/nodes/pve2/qemu/101/config', status: 500 });
    expect(config(lab, 101).net0).toBe(base[101]);
    expect(edits).toBeGreaterThan(0);
    delete config(lab, 101).description;
  });

  const vm = { node: 'pve1', type: 'qemu', vmid: 100 };
  const newVmNic = { ...vm, model: 'virtio', bridge: 'vmbr0' };
  it.each([
    ['a bridge that adds an option', 'net:create', { ...newVmNic, bridge: 'vmbr0,rate=0' }],
    ['a bridge with a newline', 'net:create', { ...newVmNic, bridge: 'vmbr0\nrate: 0' }],
    [
      'a bridge longer than Linux allows',
      'net:create',
      { ...newVmNic, bridge: 'vmbr0123456789ab' },
    ],
    ['an empty bridge', 'net:create', { ...newVmNic, bridge: '' }],
    ['a model that adds an option', 'net:create', { ...newVmNic, model: 'virtio,rate=0' }],
    ['an unknown model', 'net:create', { ...newVmNic, model: 'tulip' }],
    ['a container name on a VM', 'net:create', { ...newVmNic, name: 'eth1' }],
    ['a NaN rate', 'net:create', { ...newVmNic, rateMBps: Number.NaN }],
    ['a negative rate', 'net:create', { ...newVmNic, rateMBps: -1 }],
    ['a rate of 0', 'net:create', { ...newVmNic, rateMBps: 0 }],
    ['a rate as a string', 'net:create', { ...newVmNic, rateMBps: '10' }],
    ['an infinite rate', 'net:create', { ...newVmNic, rateMBps: Number.POSITIVE_INFINITY }],
    ['a rate with four decimals', 'net:create', { ...newVmNic, rateMBps: 1.0005 }],
    ['a rate above the bound', 'net:create', { ...newVmNic, rateMBps: 100_001 }],
    ['VLAN tag 0', 'net:create', { ...newVmNic, vlanTag: 0 }],
    ['VLAN tag 4095', 'net:create', { ...newVmNic, vlanTag: 4095 }],
    ['a fractional VLAN tag', 'net:create', { ...newVmNic, vlanTag: 1.5 }],
    [
      'a container name that adds an option',
      'net:create',
      { node: 'pve1', type: 'lxc', vmid: 200, name: 'eth1,ip=10.0.0.9/8', bridge: 'vmbr0' },
    ],
    [
      'a container IP mode outside dhcp and manual',
      'net:create',
      { node: 'pve1', type: 'lxc', vmid: 200, name: 'eth1', bridge: 'vmbr0', ip: '10.0.0.9/8' },
    ],
    ['a key that adds an option', 'net:modify', { ...vm, key: 'net0,x=1', rateMBps: 1 }],
    ['a key past net31', 'net:modify', { ...vm, key: 'net32', rateMBps: 1 }],
    ['a key that is not an interface', 'net:delete', { ...vm, key: 'scsi0' }],
    ['a rate of 0 on modify', 'net:modify', { ...vm, key: 'net0', rateMBps: 0 }],
    ['a missing rate on modify', 'net:modify', { ...vm, key: 'net0' }],
    ['a hostile node name', 'net:delete', { ...vm, node: '../../access', key: 'net0' }],
    ['a vmid as a string', 'net:delete', { ...vm, vmid: '100', key: 'net0' }],
  ] as const)('refuses %s with INVALID_INPUT and sends nothing', async (_name, channel, input) => {
    const before = lab.sim.requests.length;

    const error = await lab.fail(channel, input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(before);
  });
});

describe('network interfaces with a per-node limit', () => {
  let lab: Lab;

  beforeAll(async () => {
    const policy = demoPolicyWith('alice@pve', (alice) => ({
      ...alice,
      network: { ...(alice.network as object), perNode: { pve1: '110MB/s' } },
    }));
    lab = await startLab({}, { policy });
    await lab.signIn();
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('refuses an interface beyond the node limit although the global limit has room', async () => {
    // pve1 holds VM 100 (50 MB/s) and CT 200 (no rate, 50): 100 of its 110 MB/s.
    const error = await lab.fail('net:create', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      model: 'virtio',
      bridge: 'vmbr0',
      rateMBps: 15,
    });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'network@pve1',
        label: 'Network rate on pve1',
        unit: 'bytesPerSecond',
        limit: 110 * MiB,
        used: 100 * MiB,
        requested: 15 * MiB,
        shortfall: 5 * MiB,
      },
    ]);
  });

  it('adds the same interface on another node, where no node limit applies', async () => {
    const result = await lab.call('net:create', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      model: 'virtio',
      bridge: 'vmbr0',
      rateMBps: 15,
    });

    expect(result.key).toBe('net1');
    expect(String(lab.sim.state.instances.get(101)?.config.net1)).toMatch(/,bridge=vmbr0,rate=15$/);
  });
});
