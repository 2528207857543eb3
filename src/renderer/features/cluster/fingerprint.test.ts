import { describe, expect, it } from 'vitest';
import { fingerprintRows, isCurrentlyValid } from './fingerprint';

const fingerprint = Array.from({ length: 32 }, (_, index) =>
  index.toString(16).padStart(2, '0').toUpperCase(),
).join(':');

describe('fingerprintRows', () => {
  it('splits a SHA-256 fingerprint into four rows of eight bytes', () => {
    expect(fingerprintRows(fingerprint)).toEqual([
      '00:01:02:03:04:05:06:07',
      '08:09:0A:0B:0C:0D:0E:0F',
      '10:11:12:13:14:15:16:17',
      '18:19:1A:1B:1C:1D:1E:1F',
    ]);
  });

  it('upper-cases lower-case hex', () => {
    expect(fingerprintRows('ab:cd:ef', 2)).toEqual(['AB:CD', 'EF']);
  });

  it('returns text that is not a fingerprint unchanged, as one row', () => {
    expect(fingerprintRows('not a fingerprint')).toEqual(['not a fingerprint']);
    expect(fingerprintRows('AB:<script>')).toEqual(['AB:<script>']);
  });
});

describe('isCurrentlyValid', () => {
  const from = '2025-01-01T00:00:00Z';
  const to = '2026-01-01T00:00:00Z';

  it('is true inside the validity period and false outside it', () => {
    expect(isCurrentlyValid(from, to, Date.parse('2025-06-01T00:00:00Z'))).toBe(true);
    expect(isCurrentlyValid(from, to, Date.parse('2026-01-02T00:00:00Z'))).toBe(false);
    expect(isCurrentlyValid(from, to, Date.parse('2024-12-31T00:00:00Z'))).toBe(false);
  });

  it('is null when a date cannot be read', () => {
    expect(isCurrentlyValid('soon', to, Date.now())).toBeNull();
  });
});
