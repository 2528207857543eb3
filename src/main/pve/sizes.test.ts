import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GiB, KiB, MiB, TiB } from '../../shared/units';
import { SizeError, formatSize, parseSize } from './sizes';

describe('parseSize', () => {
  it.each([
    ['528K', 528 * KiB],
    ['4M', 4 * MiB],
    ['32G', 32 * GiB],
    ['1T', TiB],
    ['1.5G', 1.5 * GiB],
    ['0.5T', 512 * GiB],
    ['4096', 4096],
    ['0', 0],
    ['007G', 7 * GiB],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('reads decimals exactly and drops the fraction of a byte', () => {
    // 0.1 TiB is 109951162777.6 bytes.
    expect(parseSize('0.1T')).toBe(109_951_162_777);
    expect(parseSize('1.5')).toBe(1);
  });

  it.each([
    '12GB',
    '-1G',
    '1e3',
    'NaN',
    '',
    ' 32G',
    '32G ',
    '32g',
    '1.G',
    '.5G',
    '+1G',
    'G',
    '1,5G',
  ])('refuses %j', (text) => {
    expect(() => parseSize(text)).toThrow(SizeError);
  });

  it('refuses a size beyond what a number holds exactly', () => {
    expect(() => parseSize('9000000T')).toThrow(/larger than/);
  });

  it('refuses a value that is not a string', () => {
    expect(() => parseSize(32 as unknown as string)).toThrow(SizeError);
  });
});

describe('formatSize', () => {
  it.each([
    [528 * KiB, '528K'],
    [4 * MiB, '4M'],
    [32 * GiB, '32G'],
    [TiB, '1T'],
    [1536 * MiB, '1536M'],
    [3 * TiB, '3T'],
    [1000, '1000'],
    [1025, '1025'],
    [0, '0'],
  ])('writes %d bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %d', (bytes) => {
    expect(() => formatSize(bytes)).toThrow(SizeError);
  });

  it('reads back every byte count it writes', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (bytes) => {
        expect(parseSize(formatSize(bytes))).toBe(bytes);
      }),
    );
  });

  it('reads back sizes built from whole units', () => {
    // 8191 TiB is the largest whole number of TiB below 2^53.
    const unit = fc.constantFrom(1, KiB, MiB, GiB, TiB);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8191 }), unit, (count, multiplier) => {
        expect(parseSize(formatSize(count * multiplier))).toBe(count * multiplier);
      }),
    );
  });

  it('writes again what it reads from a PVE-printed size', () => {
    const printed = fc
      .tuple(fc.integer({ min: 1, max: 1023 }), fc.constantFrom('K', 'M', 'G', 'T'))
      .map(([count, unit]) => `${count}${unit}`);
    fc.assert(
      fc.property(printed, (text) => {
        expect(formatSize(parseSize(text))).toBe(text);
      }),
    );
  });
});
