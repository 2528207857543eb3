import { describe, expect, it } from 'vitest';
import { readGuestListItems } from './list-items';

describe('readGuestListItems', () => {
  it.each<[string, Record<string, unknown>, string | null, string[]]>([
    ['a bare model', { cpu: 'x86-64-v2-AES' }, 'x86-64-v2-AES', []],
    ['cputype= with flags', { cpu: 'cputype=host,flags=+aes;-pcid' }, 'host', []],
    ['flags only: the default model', { cpu: 'flags=+aes' }, 'kvm64', []],
    ['no cpu: the default model', {}, 'kvm64', []],
    ['a custom model', { cpu: 'custom-fast,hidden=1' }, 'custom-fast', []],
    ['a raw device', { hostpci0: '0000:01:00.0,pcie=1,x-vga=1' }, 'kvm64', ['host:0000:01:00.0']],
    ['a short device id', { hostpci0: 'host=01:00.0' }, 'kvm64', ['host:0000:01:00.0']],
    ['all functions of a device', { hostpci0: '0A:00' }, 'kvm64', ['host:0000:0a:00']],
    [
      'several devices in one slot',
      { hostpci0: 'host=01:00.0;01:00.1,pcie=1' },
      'kvm64',
      ['host:0000:01:00.0', 'host:0000:01:00.1'],
    ],
    ['a mapping', { hostpci1: 'mapping=gpu-a100,pcie=1' }, 'kvm64', ['mapping:gpu-a100']],
    [
      'slots in numeric order',
      { hostpci10: 'mapping=b', hostpci2: 'mapping=a' },
      'kvm64',
      ['mapping:a', 'mapping:b'],
    ],
  ])('reads %s', (_case, config, cpuModel, pciDevices) => {
    expect(readGuestListItems('qemu', config, 'kvm64')).toEqual({
      cpuModel,
      pciDevices,
      problems: [],
    });
  });

  it('gives a container no CPU model and no PCI devices', () => {
    expect(readGuestListItems('lxc', { cores: 2, hostpci0: 'mapping=x' }, 'kvm64')).toEqual({
      cpuModel: null,
      pciDevices: [],
      problems: [],
    });
  });

  it('reports each unreadable key and still reads the others', () => {
    const items = readGuestListItems(
      'qemu',
      {
        cpu: 'cputype=../../etc',
        hostpci0: 'host=01:00.0,mapping=gpu',
        hostpci1: 'pcie=1',
        hostpci2: 'host=zz:00.0',
        hostpci3: 'mapping=gpu-b',
        hostpci4: 42,
      },
      'kvm64',
    );

    expect(items).toEqual({
      cpuModel: null,
      pciDevices: ['mapping:gpu-b'],
      problems: [
        { key: 'cpu', reason: '"../../etc" is not a CPU model name' },
        { key: 'hostpci0', reason: 'names both a host device and a mapping' },
        { key: 'hostpci1', reason: 'names neither a host device nor a mapping' },
        { key: 'hostpci2', reason: '"zz:00.0" is not a PCI device id' },
        { key: 'hostpci4', reason: 'expected a property string' },
      ],
    });
  });
});
