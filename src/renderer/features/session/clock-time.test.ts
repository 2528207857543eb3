import { describe, expect, it } from 'vitest';
import { formatClockTime } from './clock-time';

describe('formatClockTime', () => {
  it('gives the local time as two-digit hours and minutes', () => {
    expect(formatClockTime(new Date(2025, 4, 6, 9, 5).toISOString())).toBe('09:05');
    expect(formatClockTime(new Date(2025, 4, 6, 23, 59).toISOString())).toBe('23:59');
  });

  it('gives null for a time it cannot read', () => {
    expect(formatClockTime('later')).toBeNull();
  });
});
