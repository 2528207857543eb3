import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  onTestFinished,
} from 'vitest';
import type { Policy } from '../../src/main/quota/policy';
import { demoPolicyWith, startLab, type Lab } from './lab';

// Alice's PCI passthrough in the bundled scenario against the demo policy: the mapping lab-gpu
// (pve1's GPU) at most once, and one raw device matching /^host:0000:0[13]:00\.[0-7]$/ (the
// GPU and its audio function on pve1, the NIC on pve2). No guest has a PCI device to begin with.

const vm = { node: 'pve1', type: 'qemu', vmid: 100 } as const;

function config(lab: Lab, vmid: number): Record<string, string | number> {
  const guest = lab.sim.state.instances.get(vmid);
  if (!guest) throw new Error(`the scenario has no guest ${vmid}`);
  return guest.config;
}

function pciKeys(lab: Lab, vmid: number): string[] {
  return Object.keys(config(lab, vmid)).filter((key) => key.startsWith('hostpci'));
}

function configWrites(lab: Lab): number {
  return lab.sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/config')).length;
}

function lastWrite(lab: Lab): (typeof lab.sim.requests)[number] | undefined {
  return lab.sim.requests.filter((r) => r.method === 'PUT').at(-1);
}

describe('PCI passthrough', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  beforeEach(async () => {
    for (const vmid of [100, 101]) {
      for (const key of pciKeys(lab, vmid)) delete config(lab, vmid)[key];
    }
    // Read fresh, as the quota panel reads it, so no test prices on an earlier test's cluster.
    const usage = await lab.call('quota:usage');
    expect(usage.resources.filter((r) => r.resource.startsWith('pci:')).map((r) => r.used)).toEqual(
      [0, 0],
    );
  });
  afterEach(() => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
  afterAll(async () => {
    await lab.close();
  });

  it('lists only the mappings when PVE refuses the node hardware list', async () => {
    expect(await lab.call('pci:list', { node: 'pve1' })).toEqual({
      hostDevicesReadable: false,
      devices: [
        {
          item: 'mapping:lab-gpu',
          kind: 'mapping',
          id: 'lab-gpu',
          description: 'The GPU of pve1',
          iommuGroup: null,
          left: 1,
          unavailable: null,
        },
      ],
    });
    // The mapping names no device of pve2: listed, but ruled out by the mapping, not the quota.
    expect(await lab.call('pci:list', { node: 'pve2' })).toEqual({
      hostDevicesReadable: false,
      devices: [
        {
          item: 'mapping:lab-gpu',
          kind: 'mapping',
          id: 'lab-gpu',
          description: 'The GPU of pve1',
          iommuGroup: null,
          left: 1,
          unavailable: { reason: 'not-on-node', message: 'This mapping has no device on pve2.' },
        },
      ],
    });
  });

  it("lists the node's devices and mappings the policy allows, with what is left", async () => {
    // Sys.Audit on / (not propagated) is what PVE asks for the node's hardware list.
    lab.sim.state.acl.push({
      path: '/',
      ugid: 'alice@pve',
      roleid: 'PVEAuditor',
      propagate: false,
    });
    onTestFinished(() => {
      lab.sim.state.acl.pop();
    });
    expect(await lab.call('pci:list', { node: 'pve1' })).toEqual({
      hostDevicesReadable: true,
      devices: [
        {
          item: 'mapping:lab-gpu',
          kind: 'mapping',
          id: 'lab-gpu',
          description: 'The GPU of pve1',
          iommuGroup: null,
          left: 1,
          unavailable: null,
        },
        {
          item: 'host:0000:01:00.0',
          kind: 'host',
          id: '0000:01:00.0',
          description: 'NVIDIA Corporation GA102 [GeForce RTX 3090]',
          iommuGroup: 14,
          left: 1,
          unavailable: null,
        },
        {
          item: 'host:0000:01:00.1',
          kind: 'host',
          id: '0000:01:00.1',
          description: 'NVIDIA Corporation GA102 High Definition Audio Controller',
          iommuGroup: 14,
          left: 1,
          unavailable: null,
        },
      ],
    });
    // The mapping has no device on pve2, so only the NIC can be attached there.
    const pve2 = await lab.call('pci:list', { node: 'pve2' });
    expect(pve2.devices.map((d) => [d.item, d.left, d.unavailable?.reason ?? null])).toEqual([
      ['mapping:lab-gpu', 1, 'not-on-node'],
      ['host:0000:03:00.0', 1, null],
    ]);
  });

  it('attaches a mapping on the first free slot with the digest, then has none of it left', async () => {
    const before = await lab.call('instance:get', vm);

    const result = await lab.call('pci:attach', {
      ...vm,
      device: { mapping: 'lab-gpu' },
      pcie: true,
    });

    expect(result).toEqual({
      key: 'hostpci0',
      device: {
        key: 'hostpci0',
        mapping: 'lab-gpu',
        host: [],
        pcie: true,
        xVga: false,
        rombar: null,
      },
    });
    expect(config(lab, 100).hostpci0).toBe('mapping=lab-gpu,pcie=1');
    const write = lastWrite(lab);
    expect(write?.path).toBe('/nodes/pve1/qemu/100/config');
    expect(Object.keys(write?.params ?? {}).sort()).toEqual(['digest', 'hostpci0']);
    expect(write?.params.digest).toBe(before.digest);
    const list = await lab.call('pci:list', { node: 'pve1' });
    expect(list.devices.find((d) => d.id === 'lab-gpu')?.left).toBe(0);
    expect(list.devices.find((d) => d.id === 'lab-gpu')?.unavailable).toEqual({
      reason: 'quota',
      message: 'Your quota has none of this left on pve1.',
    });
  });

  it('refuses a second mapping over the count with the itemised shortfall, writing nothing', async () => {
    await lab.call('pci:attach', { ...vm, device: { mapping: 'lab-gpu' } });
    const writes = configWrites(lab);

    const error = await lab.fail('pci:attach', { ...vm, device: { mapping: 'lab-gpu' } });

    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'pci:mapping:lab-gpu',
        label: 'Lab GPU (mapping lab-gpu)',
        unit: 'count',
        limit: 1,
        used: 1,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(configWrites(lab)).toBe(writes);
    expect(pciKeys(lab, 100)).toEqual(['hostpci0']);
  });

  it('refuses a mapping that has no device on the guest node, before pricing or writing', async () => {
    const writes = configWrites(lab);

    const error = await lab.fail('pci:attach', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      device: { mapping: 'lab-gpu' },
    });
    const unknown = await lab.fail('pci:attach', { ...vm, device: { mapping: 'no-such-map' } });

    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      details: { fields: { 'device.mapping': 'this mapping has no device on pve2' } },
    });
    expect(unknown).toMatchObject({
      code: 'INVALID_INPUT',
      details: {
        fields: { 'device.mapping': 'no resource mapping of that id is visible to you' },
      },
    });
    expect(configWrites(lab)).toBe(writes);
    expect(pciKeys(lab, 101)).toEqual([]);
    expect(pciKeys(lab, 100)).toEqual([]);
  });

  it('attaches a raw device in short form with flags, and refuses a second one of its entry', async () => {
    const result = await lab.call('pci:attach', {
      ...vm,
      device: { host: '01:00.0' },
      xVga: true,
      rombar: false,
    });
    expect(result.key).toBe('hostpci0');
    expect(config(lab, 100).hostpci0).toBe('01:00.0,x-vga=1,rombar=0');

    const error = await lab.fail('pci:attach', { ...vm, device: { host: '0000:01:00.1' } });
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'pci:/^host:0000:0[13]:00\\.[0-7]$/',
        label: 'A GPU or NIC by PCI id',
        unit: 'count',
        limit: 1,
        used: 1,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(pciKeys(lab, 100)).toEqual(['hostpci0']);
  });

  it('refuses a device no policy entry matches', async () => {
    const error = await lab.fail('pci:attach', { ...vm, device: { host: '0000:02:00.0' } });
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details?.shortfalls).toEqual([
      {
        resource: 'pci:unlisted:host:0000:02:00.0',
        label: 'PCI host:0000:02:00.0 (not in the policy)',
        unit: 'count',
        limit: 0,
        used: 0,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(pciKeys(lab, 100)).toEqual([]);
  });

  it('changes the flags of an attached device without touching the rest', async () => {
    await lab.call('pci:attach', { ...vm, device: { mapping: 'lab-gpu' }, pcie: true });

    const changed = await lab.call('pci:modify', {
      ...vm,
      key: 'hostpci0',
      pcie: false,
      rombar: true,
    });
    expect(changed).toEqual({
      changed: true,
      device: {
        key: 'hostpci0',
        mapping: 'lab-gpu',
        host: [],
        pcie: false,
        xVga: false,
        rombar: true,
      },
    });
    expect(config(lab, 100).hostpci0).toBe('mapping=lab-gpu,pcie=0,rombar=1');

    const writes = configWrites(lab);
    const same = await lab.call('pci:modify', { ...vm, key: 'hostpci0', pcie: false });
    expect(same.changed).toBe(false);
    expect(configWrites(lab)).toBe(writes);
    expect(await lab.call('pci:attached', vm)).toEqual({ devices: [changed.device] });
  });

  it('detaches a device with delete=hostpciN, giving its count back', async () => {
    await lab.call('pci:attach', { ...vm, device: { mapping: 'lab-gpu' } });

    expect(await lab.call('pci:detach', { ...vm, key: 'hostpci0' })).toEqual({ key: 'hostpci0' });

    expect(lastWrite(lab)?.params).toMatchObject({ delete: 'hostpci0' });
    expect(pciKeys(lab, 100)).toEqual([]);
    const list = await lab.call('pci:list', { node: 'pve1' });
    expect(list.devices.find((d) => d.id === 'lab-gpu')?.left).toBe(1);
    const missing = await lab.fail('pci:detach', { ...vm, key: 'hostpci0' });
    expect(missing.code).toBe('NOT_FOUND');
  });

  it.each([
    [
      'a host id with an added option',
      'pci:attach',
      { ...vm, device: { host: '01:00.0,x-vga=1' } },
    ],
    ['a host id with a path', 'pci:attach', { ...vm, device: { host: '../01:00.0' } }],
    ['a mapping with a comma', 'pci:attach', { ...vm, device: { mapping: 'lab-gpu,pcie=1' } }],
    ['a mapping with a path', 'pci:attach', { ...vm, device: { mapping: '../lab-gpu' } }],
    [
      'both a host and a mapping',
      'pci:attach',
      { ...vm, device: { host: '01:00.0', mapping: 'a' } },
    ],
    ['a flag as a string', 'pci:attach', { ...vm, device: { mapping: 'lab-gpu' }, pcie: '1' }],
    [
      'a container',
      'pci:attach',
      { ...vm, type: 'lxc', vmid: 200, device: { mapping: 'lab-gpu' } },
    ],
    ['a key that adds an option', 'pci:modify', { ...vm, key: 'hostpci0,x=1', pcie: true }],
    ['a key past hostpci15', 'pci:detach', { ...vm, key: 'hostpci16' }],
    ['a disk key', 'pci:detach', { ...vm, key: 'scsi0' }],
    ['a hostile node name', 'pci:list', { node: '../../access' }],
  ] as const)('refuses %s with INVALID_INPUT and sends nothing', async (_name, channel, input) => {
    const before = lab.sim.requests.length;

    const error = await lab.fail(channel, input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(lab.sim.requests.length).toBe(before);
  });

  it('says what a device may be when it is neither a mapping nor one host id', async () => {
    const error = await lab.fail('pci:attach', {
      ...vm,
      device: { host: ['0000:01:00.0', '0000:03:00.0'] },
    });

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.fields).toEqual({
      device:
        'expected either { mapping: a resource mapping id } or { host: one PCI id such as 0000:01:00.0 }',
    });
  });
});

// The demo policy with a per-node limit for alice's raw devices: two in all, one on pve1. Her VM
// 100 is on pve1 and VM 101 on pve2; pve1 has the GPU (01:00.0) and its audio (01:00.1), pve2 the
// NIC (03:00.0).
const rawDevices = '/^host:0000:0[13]:00\\.[0-7]$/';

function policyWithPerNodePci(): Policy {
  return demoPolicyWith('alice@pve', (alice) => ({
    ...alice,
    pci: [{ match: rawDevices, max: 2, perNode: { pve1: 1 }, label: 'Lab devices' }],
  }));
}

function userIndex(lab: Lab, userid: string): number {
  const index = lab.sim.users.findIndex((user) => user.userid === userid);
  if (index < 0) throw new Error(`the scenario has no ${userid}`);
  return index;
}

describe('PCI passthrough under a per-node limit', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await startLab({}, { policy: policyWithPerNodePci() });
  });
  afterEach(async () => {
    expect(lab.sim.schemaViolations).toEqual([]);
    await lab.close();
  });

  it('refuses a second device on the same node by its per-node item, and allows one on another node', async () => {
    await lab.signIn(userIndex(lab, 'alice@pve'));
    await lab.call('pci:attach', { ...vm, device: { host: '01:00.0' } });
    const writes = configWrites(lab);

    const preview = await lab.call('quota:preview', {
      kind: 'pci:attach',
      ...vm,
      device: { host: '01:00.1' },
    });
    const refused = await lab.fail('pci:attach', { ...vm, device: { host: '01:00.1' } });

    expect(preview.items.map((i) => [i.resource, i.label, i.used, i.after, i.fits])).toEqual([
      [`pci:${rawDevices}`, 'Lab devices', 1, 2, true],
      [`pci:${rawDevices}@pve1`, 'Lab devices on pve1', 1, 2, false],
    ]);
    expect(preview.approved).toBe(false);
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.details?.shortfalls).toEqual([
      {
        resource: `pci:${rawDevices}@pve1`,
        label: 'Lab devices on pve1',
        unit: 'count',
        limit: 1,
        used: 1,
        requested: 1,
        shortfall: 1,
      },
    ]);
    expect(refused.message).toContain('Lab devices on pve1: asks for 1, 0 left of 1 (1 short)');
    expect(configWrites(lab)).toBe(writes);
    expect(pciKeys(lab, 100)).toEqual(['hostpci0']);

    const onPve2 = await lab.call('pci:attach', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      device: { host: '03:00.0' },
    });
    const usage = await lab.call('quota:usage');

    expect(onPve2.key).toBe('hostpci0');
    expect(config(lab, 101).hostpci0).toBe('03:00.0');
    expect(
      usage.resources
        .filter((r) => r.resource.startsWith('pci:'))
        .map((r) => [r.resource, r.used, r.limit]),
    ).toEqual([
      [`pci:${rawDevices}`, 2, 2],
      [`pci:${rawDevices}@pve1`, 1, 1],
    ]);
  });

  it("lists per node what an attach there is allowed: none left on pve1's used limit, one on pve2", async () => {
    await lab.signIn(userIndex(lab, 'alice@pve'));
    await lab.call('pci:attach', { ...vm, device: { host: '01:00.0' } });
    // Sys.Audit on / (not propagated) is what PVE asks for the node's hardware list.
    lab.sim.state.acl.push({
      path: '/',
      ugid: 'alice@pve',
      roleid: 'PVEAuditor',
      propagate: false,
    });
    const writes = configWrites(lab);

    const onPve1 = await lab.call('pci:list', { node: 'pve1' });
    const refused = await lab.fail('pci:attach', { ...vm, device: { host: '01:00.1' } });
    const onPve2 = await lab.call('pci:list', { node: 'pve2' });
    const attached = await lab.call('pci:attach', {
      node: 'pve2',
      type: 'qemu',
      vmid: 101,
      device: { host: '03:00.0' },
    });

    // One of two is used in all, so the global room alone would say 1 on pve1 as well.
    expect(onPve1.devices.map((d) => [d.item, d.left])).toEqual([
      ['host:0000:01:00.0', 0],
      ['host:0000:01:00.1', 0],
    ]);
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.details?.shortfalls?.map((s) => s.resource)).toEqual([`pci:${rawDevices}@pve1`]);
    expect(pciKeys(lab, 100)).toEqual(['hostpci0']);
    expect(onPve2.devices.map((d) => [d.item, d.left])).toEqual([['host:0000:03:00.0', 1]]);
    expect(attached.key).toBe('hostpci0');
    expect(configWrites(lab)).toBe(writes + 1);
    expect((await lab.call('pci:list', { node: 'pve2' })).devices.map((d) => d.left)).toEqual([0]);
  });

  it('shows the admin a user over a per-node limit after a change made around ProxDesk', async () => {
    // Both functions of pve1's GPU passed through to one VM, in one slot, outside ProxDesk.
    config(lab, 100).hostpci0 = 'host=01:00.0;01:00.1,pcie=1';
    await lab.signIn(userIndex(lab, 'labadmin@pve'));

    const view = await lab.call('quota:admin');
    const alice = view.users.find((user) => user.userid === 'alice@pve');

    expect(alice?.overQuota).toEqual([`pci:${rawDevices}@pve1`]);
    expect(alice?.resources.filter((r) => r.resource.startsWith('pci:'))).toEqual([
      {
        resource: `pci:${rawDevices}`,
        label: 'Lab devices',
        unit: 'count',
        used: 2,
        limit: 2,
        available: 0,
      },
      {
        resource: `pci:${rawDevices}@pve1`,
        label: 'Lab devices on pve1',
        unit: 'count',
        used: 2,
        limit: 1,
        available: 0,
      },
    ]);
  });
});
