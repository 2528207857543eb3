import { describe, expect, it } from 'vitest';
import { MiB } from '../../shared/units';
import { parseGuestNetworks, type GuestNetwork } from './networks';

function nic(partial: Partial<GuestNetwork> & Pick<GuestNetwork, 'key'>): GuestNetwork {
  return {
    model: null,
    mac: null,
    bridge: null,
    tag: null,
    name: null,
    rateBytesPerSecond: null,
    ...partial,
  };
}

describe('parseGuestNetworks for qemu', () => {
  it('reads <model>=<MAC> as both the model and the MAC address', () => {
    const config = { net0: 'virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1,rate=50' };

    const { networks, problems } = parseGuestNetworks('qemu', config);

    expect(problems).toEqual([]);
    expect(networks).toEqual([
      nic({
        key: 'net0',
        model: 'virtio',
        mac: 'BC:24:11:2A:3B:4C',
        bridge: 'vmbr0',
        rateBytesPerSecond: 50 * MiB,
      }),
    ]);
  });

  it('reads a bare model with macaddr=, a VLAN tag and a decimal rate', () => {
    const config = { net1: 'e1000,macaddr=bc:24:11:00:00:02,bridge=vmbr1,tag=30,rate=0.810' };

    const { networks } = parseGuestNetworks('qemu', config);

    // PVE's MB/s is a MiB/s: 0.810 * 1048576 = 849346.56 bytes per second.
    expect(networks).toEqual([
      nic({
        key: 'net1',
        model: 'e1000',
        mac: 'BC:24:11:00:00:02',
        bridge: 'vmbr1',
        tag: 30,
        rateBytesPerSecond: 849_347,
      }),
    ]);
  });

  it('reads every model of the schema, including ones with a dash or underscore', () => {
    const config = {
      net2: 'e1000-82540em=BC:24:11:00:00:03',
      net3: 'ne2k_pci=BC:24:11:00:00:04',
      net4: 'vmxnet3=BC:24:11:00:00:05,rate=25.5',
    };

    const { networks } = parseGuestNetworks('qemu', config);

    expect(networks.map((n) => [n.key, n.model, n.rateBytesPerSecond])).toEqual([
      ['net2', 'e1000-82540em', null],
      ['net3', 'ne2k_pci', null],
      ['net4', 'vmxnet3', 26_738_688],
    ]);
  });

  it('reads rate=0 as no limit, like a missing rate', () => {
    const config = { net0: 'virtio=BC:24:11:00:00:01,rate=0', net1: 'virtio=BC:24:11:00:00:02' };

    const { networks } = parseGuestNetworks('qemu', config);

    expect(networks.map((n) => n.rateBytesPerSecond)).toEqual([null, null]);
  });

  it('turns broken interfaces into problems and reads the others', () => {
    const config = {
      net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0,rate=10',
      net1: 'virtio=BC:24:11:00:00:02,rate=fast',
      net2: 'virtio=BC:24:11:00:00:03,tag=5000',
      net3: 'e1000=BC:24:11:00:00:04,virtio=BC:24:11:00:00:05',
      net4: 'token-ring,bridge=vmbr0',
      net5: 'virtio=not-a-mac',
      net6: 'virtio=BC:24:11:00:00:06,rate=-1',
      net7: 7,
    };

    const { networks, problems } = parseGuestNetworks('qemu', config);

    expect(networks.map((n) => n.key)).toEqual(['net0']);
    expect(problems).toEqual([
      { key: 'net1', reason: 'rate "fast" is not a number of MB/s' },
      { key: 'net2', reason: 'VLAN tag "5000" is not between 1 and 4094' },
      { key: 'net3', reason: 'names its model or MAC address twice' },
      { key: 'net4', reason: '"token-ring" is not a known network card model' },
      { key: 'net5', reason: '"not-a-mac" is not a MAC address' },
      { key: 'net6', reason: 'rate "-1" is not a number of MB/s' },
      { key: 'net7', reason: 'expected a property string' },
    ]);
  });

  it('sorts interfaces by number and ignores other keys', () => {
    const config = {
      net10: 'virtio=BC:24:11:00:00:0A',
      net2: 'virtio=BC:24:11:00:00:02',
      net32: 'virtio=BC:24:11:00:00:20',
      netmask: 'x',
      scsi0: 'local-lvm:vm-100-disk-0,size=1G',
    };

    const { networks } = parseGuestNetworks('qemu', config);

    expect(networks.map((n) => n.key)).toEqual(['net2', 'net10']);
  });
});

describe('parseGuestNetworks for lxc', () => {
  it('reads name, hwaddr, bridge, tag and rate', () => {
    const config = {
      net0: 'name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,tag=12,type=veth',
      net1: 'name=eth1,bridge=vmbr1,ip=10.0.0.5/24,gw=10.0.0.1,rate=12.5,type=veth',
    };

    const { networks, problems } = parseGuestNetworks('lxc', config);

    expect(problems).toEqual([]);
    expect(networks).toEqual([
      nic({ key: 'net0', name: 'eth0', mac: 'BC:24:11:AA:BB:CC', bridge: 'vmbr0', tag: 12 }),
      nic({ key: 'net1', name: 'eth1', bridge: 'vmbr1', rateBytesPerSecond: 12.5 * MiB }),
    ]);
  });

  it('refuses an interface without a name and a bare value', () => {
    const config = { net0: 'bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC', net1: 'eth1,bridge=vmbr0' };

    const { networks, problems } = parseGuestNetworks('lxc', config);

    expect(networks).toEqual([]);
    expect(problems).toEqual([
      { key: 'net0', reason: 'has no interface name (name=)' },
      { key: 'net1', reason: '"eth1" has no key, and this format has no default key' },
    ]);
  });
});
