import { describe, expect, it } from 'vitest';
import { MiB } from '../../../shared/units';
import {
  addNetworkFormSchema,
  createRequest,
  rateFieldText,
  rateFormSchema,
  suggestedInterfaceName,
} from './network-form-schema';

const form = {
  model: 'virtio',
  name: 'eth1',
  ip: 'dhcp',
  bridge: 'vmbr0',
  vlanTag: '',
  rateMBps: '',
};
const vm = { node: 'pve1', type: 'qemu', vmid: 100 } as const;
const ct = { node: 'pve1', type: 'lxc', vmid: 200 } as const;

function checked(values: Record<string, string>): ReturnType<typeof addNetworkFormSchema.parse> {
  return addNetworkFormSchema.parse({ ...form, ...values });
}

describe('network forms', () => {
  it('turns the typed text into a VM request, leaving out empty VLAN and rate', () => {
    expect(createRequest(vm, checked({ bridge: ' vmbr1 ' }))).toEqual({
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      model: 'virtio',
      bridge: 'vmbr1',
    });
    expect(createRequest(vm, checked({ vlanTag: '20', rateMBps: '12.5' }))).toMatchObject({
      vlanTag: 20,
      rateMBps: 12.5,
    });
  });

  it('turns the typed text into a container request with its name and IP mode', () => {
    expect(createRequest(ct, checked({ ip: 'manual', rateMBps: '5' }))).toEqual({
      node: 'pve1',
      type: 'lxc',
      vmid: 200,
      name: 'eth1',
      ip: 'manual',
      bridge: 'vmbr0',
      rateMBps: 5,
    });
    expect(createRequest(ct, checked({ name: 'eth1,ip=10.0.0.1/8' }))).toEqual({
      nameError: 'Use 1-15 letters, digits, -, _ or . (e.g. eth1).',
    });
  });

  it.each([
    [
      'a bridge with an option in it',
      { bridge: 'vmbr0,rate=0' },
      'bridge',
      'Use 1-15 letters, digits, -, _ or . (e.g. vmbr0).',
    ],
    [
      'a rate of 0',
      { rateMBps: '0' },
      'rateMBps',
      'Enter a rate in MB/s above 0 and at most 100000, or leave it empty.',
    ],
    [
      'a negative rate',
      { rateMBps: '-5' },
      'rateMBps',
      'Enter a rate in MB/s above 0 and at most 100000, or leave it empty.',
    ],
    [
      'a rate in words',
      { rateMBps: 'fast' },
      'rateMBps',
      'Enter a rate in MB/s above 0 and at most 100000, or leave it empty.',
    ],
    [
      'a rate with four decimals',
      { rateMBps: '1.2345' },
      'rateMBps',
      'Use at most three decimals.',
    ],
    [
      'VLAN tag 4095',
      { vlanTag: '4095' },
      'vlanTag',
      'Enter a VLAN tag from 1 to 4094, or leave it empty.',
    ],
  ])('refuses %s with a message a person can act on', (_name, values, path, message) => {
    const result = addNetworkFormSchema.safeParse({ ...form, ...values });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [path, message],
    ]);
  });

  it('reads an empty rate as no limit and shows a limit in MB/s', () => {
    expect(rateFormSchema.parse({ rateMBps: '' })).toEqual({ rateMBps: null });
    expect(rateFormSchema.parse({ rateMBps: '25.5' })).toEqual({ rateMBps: 25.5 });
    expect(rateFieldText(25.5 * MiB)).toBe('25.5');
    expect(rateFieldText(null)).toBe('');
  });

  it('suggests the first ethN name the container does not use', () => {
    const used = ['eth0', 'eth1'].map((name, index) => ({
      key: `net${index}`,
      model: null,
      mac: null,
      bridge: 'vmbr0',
      vlanTag: null,
      name,
      rateBytesPerSecond: null,
    }));

    expect(suggestedInterfaceName(used)).toBe('eth2');
    expect(suggestedInterfaceName([])).toBe('eth0');
  });
});
