import { describe, expect, it } from 'vitest';
import { instanceTypeLabel, statusTone } from './instance-labels';

describe('instance labels', () => {
  it('names both guest types', () => {
    expect(instanceTypeLabel('qemu')).toBe('QEMU VM');
    expect(instanceTypeLabel('lxc')).toBe('LXC container');
  });

  it('maps PVE statuses to dot colours and anything unknown to a neutral one', () => {
    expect(statusTone('running')).toBe('running');
    expect(statusTone('stopped')).toBe('stopped');
    expect(statusTone('paused')).toBe('paused');
    expect(statusTone('suspended')).toBe('paused');
    expect(statusTone('io-error')).toBe('unknown');
  });
});
