import { describe, expect, it } from 'vitest';
import type { InstanceDetail } from '../../../shared/contract';
import { MiB } from '../../../shared/units';
import {
  changedResourceValues,
  initialResourceValues,
  resourcesFormSchema,
} from './resources-form-schema';

const vm: InstanceDetail = {
  node: 'pve1',
  type: 'qemu',
  vmid: 100,
  name: 'web',
  status: 'running',
  pool: 'alice',
  lock: null,
  digest: 'a'.repeat(40),
  cores: 2,
  sockets: null,
  memoryBytes: 4096 * MiB,
  swapBytes: null,
  cpuType: 'x86-64-v2-AES',
  disks: [],
  networks: [],
  problems: [],
};

describe('resource form', () => {
  it('starts from the guest settings and PVE defaults for unset ones', () => {
    expect(initialResourceValues(vm)).toEqual({
      cores: 2,
      sockets: 1,
      memoryMiB: 4096,
      cpuType: 'x86-64-v2-AES',
    });
    expect(initialResourceValues({ ...vm, cpuType: null }).cpuType).toBe('');
    expect(
      initialResourceValues({ ...vm, type: 'lxc', cores: null, memoryBytes: 512 * MiB }),
    ).toEqual({ cores: 1, memoryMiB: 512, swapMiB: 512 });
  });

  it('sends only the values that changed', () => {
    const initial = { cores: 2, sockets: 1, memoryMiB: 4096 };

    expect(changedResourceValues(initial, { ...initial, memoryMiB: 6144 })).toEqual({
      memoryMiB: 6144,
    });
    expect(changedResourceValues(initial, initial)).toEqual({});
  });

  it('sends a new CPU model, but never the empty choice that stands for the default', () => {
    const initial = { cores: 2, sockets: 1, memoryMiB: 4096, cpuType: '' };

    expect(changedResourceValues(initial, { ...initial, cpuType: 'host' })).toEqual({
      cpuType: 'host',
    });
    expect(
      changedResourceValues({ ...initial, cpuType: 'host' }, { ...initial, cpuType: '' }),
    ).toEqual({});
  });

  it('refuses a CPU model that is not a model name', () => {
    const result = resourcesFormSchema.safeParse({ cores: 1, memoryMiB: 512, cpuType: 'a,b=1' });

    expect(result.success).toBe(false);
  });

  it.each([
    [
      'fractional cores',
      { cores: 1.5, sockets: 1, memoryMiB: 512 },
      'Enter a whole number of cores.',
    ],
    ['zero sockets', { cores: 1, sockets: 0, memoryMiB: 512 }, 'Use at least 1.'],
    ['too little memory', { cores: 1, sockets: 1, memoryMiB: 8 }, 'Use at least 16.'],
    ['NaN memory', { cores: 1, sockets: 1, memoryMiB: Number.NaN }, 'Enter a whole number of MiB.'],
  ])('refuses %s with a message a person can act on', (_name, values, message) => {
    const result = resourcesFormSchema.safeParse(values);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it('refuses negative swap for a container', () => {
    const result = resourcesFormSchema.safeParse({ cores: 1, memoryMiB: 512, swapMiB: -1 });

    expect(result.error?.issues[0]?.message).toBe('Use at least 0.');
  });
});
