import { describe, expect, it } from 'vitest';
import { formatBytes, formatQuantity, formatRate, GiB, KiB, MiB } from './units';

describe('formatBytes rounding', () => {
  it('rounds to the nearest by default, as before', () => {
    expect(formatBytes(136 * GiB - 528 * KiB)).toBe('136 GiB');
    expect(formatBytes(1.56 * GiB)).toBe('1.6 GiB');
    expect(formatBytes(512 * MiB)).toBe('512 MiB');
  });

  it('never shows more than there is when rounding down', () => {
    expect(formatBytes(136 * GiB - 528 * KiB, 'down')).toBe('135 GiB');
    expect(formatBytes(1.59 * GiB, 'down')).toBe('1.5 GiB');
    expect(formatBytes(2 * GiB, 'down')).toBe('2 GiB');
    expect(formatBytes(0, 'down')).toBe('0 B');
  });

  it('never shows less than there is when rounding up', () => {
    expect(formatBytes(528 * KiB, 'up')).toBe('528 KiB');
    expect(formatBytes(528 * KiB + 1, 'up')).toBe('529 KiB');
    expect(formatBytes(1.51 * GiB, 'up')).toBe('1.6 GiB');
    expect(formatBytes(2 * GiB, 'up')).toBe('2 GiB');
    // 1023.5 KiB rounded up is 1024 KiB, shown in the next unit.
    expect(formatBytes(1023.5 * KiB, 'up')).toBe('1 MiB');
  });

  it('rounds the magnitude of a negative value', () => {
    expect(formatBytes(-1.59 * GiB, 'down')).toBe('-1.5 GiB');
    expect(formatBytes(-1.51 * GiB, 'up')).toBe('-1.6 GiB');
  });

  it('shows a dash for a value that is not a number', () => {
    expect(formatBytes(Number.NaN, 'up')).toBe('—');
    expect(formatBytes(Number.POSITIVE_INFINITY, 'down')).toBe('—');
  });
});

describe('formatRate and formatQuantity rounding', () => {
  it('rounds a rate to PVE three decimals in the asked direction', () => {
    expect(formatRate(MiB + 1)).toBe('1 MB/s');
    expect(formatRate(MiB + 1, 'up')).toBe('1.001 MB/s');
    expect(formatRate(2 * MiB - 1, 'down')).toBe('1.999 MB/s');
  });

  it('passes the direction on for bytes and rates, and leaves counts alone', () => {
    expect(formatQuantity(136 * GiB - 528 * KiB, 'bytes', 'down')).toBe('135 GiB');
    expect(formatQuantity(MiB + 1, 'bytesPerSecond', 'up')).toBe('1.001 MB/s');
    expect(formatQuantity(5, 'count', 'up')).toBe('5');
  });
});
