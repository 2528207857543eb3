import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './lab';
import { newCt as ct, newVm as vm } from './new-guests';

// Hostile and malformed input to `quota:preview`, one or more per kind of change: each is refused
// as INVALID_INPUT naming the field, before anything is read of the cluster or written to it.
// New guests are checked by the very schema `instance:create` takes.

const vm100 = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const ct200 = { node: 'pve1', type: 'lxc', vmid: 200 } as const;
const newVm = { kind: 'instance:create', ...vm } as const;
const newCt = { kind: 'instance:create', ...ct } as const;

describe('quota:preview input', () => {
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

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a node name with a path in it',
      { kind: 'instance:resources', ...vm100, node: '../pve1', cores: 2 },
      'node',
    ],
    [
      'a vmid that is not a number',
      { kind: 'instance:resources', ...vm100, vmid: '100/../101', cores: 2 },
      'vmid',
    ],
    [
      'a CPU model with an extra option',
      { kind: 'instance:resources', ...vm100, cpuType: 'host,flags=+pcid' },
      'cpuType',
    ],
    ['NaN cores', { kind: 'instance:resources', ...vm100, cores: Number.NaN }, 'cores'],
    ['negative memory', { kind: 'instance:resources', ...vm100, memoryMiB: -512 }, 'memoryMiB'],
    ['no value to change', { kind: 'instance:resources', ...vm100 }, 'input'],
    [
      'a storage id with a slash',
      { kind: 'disk:create', ...vm100, storage: 'tank/../x', bus: 'scsi', sizeGiB: 1 },
      'storage',
    ],
    [
      'a fractional disk size',
      { kind: 'disk:create', ...vm100, storage: 'tank', bus: 'scsi', sizeGiB: 1.5 },
      'input',
    ],
    [
      'an extra option in a mount path',
      { kind: 'disk:create', ...ct200, storage: 'tank', sizeGiB: 1, mountPath: '/data,backup=1' },
      'mountPath',
    ],
    [
      'an unused key with an option',
      { kind: 'disk:attach', ...vm100, volume: 'unused0,bus=ide', bus: 'scsi' },
      'volume',
    ],
    [
      'a mount path that climbs out',
      { kind: 'disk:attach', ...ct200, volume: 'unused0', mountPath: '/srv/../../etc' },
      'mountPath',
    ],
    [
      'a target storage with a separator',
      { kind: 'disk:move', ...vm100, disk: 'scsi0', targetStorage: 'tank;x', deleteSource: false },
      'targetStorage',
    ],
    [
      'deleteSource as a string',
      { kind: 'disk:move', ...vm100, disk: 'scsi0', targetStorage: 'tank', deleteSource: 'yes' },
      'deleteSource',
    ],
    [
      'a bridge that adds an option',
      { kind: 'net:create', ...vm100, model: 'virtio', bridge: 'vmbr0,rate=0' },
      'bridge',
    ],
    [
      'a negative rate',
      { kind: 'net:create', ...vm100, model: 'virtio', bridge: 'vmbr0', rateMBps: -1 },
      'rateMBps',
    ],
    [
      'an infinite rate',
      { kind: 'net:modify', ...vm100, key: 'net0', rateMBps: Number.POSITIVE_INFINITY },
      'rateMBps',
    ],
    [
      'an interface key with an option',
      { kind: 'net:modify', ...vm100, key: 'net0,rate=1', rateMBps: 1 },
      'key',
    ],
    [
      'two devices in one host id',
      { kind: 'pci:attach', ...vm100, device: { host: '01:00.0;02:00.0' } },
      'device.host',
    ],
    [
      'a mapping id with an option',
      { kind: 'pci:attach', ...vm100, device: { mapping: 'gpu,x-vga=1' } },
      'device.mapping',
    ],
    [
      'a hostpci key out of range',
      { kind: 'pci:modify', ...vm100, key: 'hostpci99', pcie: true },
      'key',
    ],
    ['a flag as a string', { kind: 'pci:modify', ...vm100, key: 'hostpci0', pcie: 'true' }, 'pcie'],
    [
      'a disk key with an option',
      { kind: 'disk:resize', ...vm100, disk: 'scsi0,size=1T', addGiB: 1 },
      'disk',
    ],
    [
      'an unknown field',
      { kind: 'net:modify', ...vm100, key: 'net0', rateMBps: 1, digest: 'x' },
      'input',
    ],
    ['a new guest name with an option', { ...newVm, name: 'web,pool=bob' }, 'name'],
    ['a new guest id as a string', { ...newVm, vmid: '102' }, 'vmid'],
    ['a new guest id below 100', { ...newVm, vmid: 99 }, 'vmid'],
    ['NaN cores for a new guest', { ...newVm, cores: Number.NaN }, 'cores'],
    [
      'a negative disk for a new VM',
      { ...newVm, disk: { ...newVm.disk, sizeGiB: -4 } },
      'disk.sizeGiB',
    ],
    [
      'a new VM disk on a storage path',
      { ...newVm, disk: { ...newVm.disk, storage: '../etc' } },
      'disk.storage',
    ],
    ['an ISO with an extra option', { ...newVm, iso: 'local:iso/x.iso,media=disk' }, 'iso'],
    [
      'a container template leaving its folder',
      { ...newCt, ostemplate: 'local:vztmpl/../x.tar.gz' },
      'ostemplate',
    ],
    ['a root password with a newline', { ...newCt, password: 'abcdef\nroot' }, 'password'],
    ['swap on a new VM', { ...newVm, swapMiB: 256 }, 'input'],
    ['a new guest of no type', { ...newVm, type: 'docker' }, 'type'],
    [
      'a kind that is not an operation',
      { kind: 'instance:destroy', ...vm100, confirmVmid: 100 },
      'kind',
    ],
    ['no kind at all', { ...vm100, cores: 2 }, 'kind'],
    [
      'an own __proto__ key, as structured clone delivers it',
      {
        kind: 'backup:create',
        ...vm100,
        storage: 'local',
        mode: 'snapshot',
        ...(JSON.parse('{"__proto__":{"remove":1}}') as object),
      },
      'input',
    ],
  ])('refuses %s as INVALID_INPUT, reading nothing', async (_case, input, field) => {
    const requestsBefore = lab.sim.requests.length;

    const error = await lab.fail('quota:preview', input);

    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.details?.fields ?? {})).toContain(field);
    expect(lab.sim.requests.length).toBe(requestsBefore);
  });

  it('refuses PCI passthrough for a container before reading anything', async () => {
    const requestsBefore = lab.sim.requests.length;

    const error = await lab.fail('quota:preview', {
      kind: 'pci:attach',
      ...ct200,
      device: { mapping: 'lab-gpu' },
    });

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.fields).toEqual({ type: 'only VMs can pass PCI devices through' });
    expect(lab.sim.requests.length).toBe(requestsBefore);
  });
});
