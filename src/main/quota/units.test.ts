import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { GiB, KiB, MiB, TiB } from '../../shared/units';
import { parseQuantity } from './units';

describe('parseQuantity', () => {
  it.each<[string | number, number]>([
    [16, 16],
    ['16', 16],
    [0, 0],
  ])('reads the count %j as %d', (text, value) => {
    expect(parseQuantity(text, 'count')).toBe(value);
  });

  it.each<[unknown, RegExp]>([
    [-1, /-1 is not a count/],
    [1.5, /1.5 is not a count/],
    ['1.5', /"1.5" is not a count/],
    ['16 cores', /not a count/],
    [Number.NaN, /NaN is not a count/],
    [Number.POSITIVE_INFINITY, /not a count/],
    [null, /a value of type null is not a count/],
  ])('refuses the count %j', (text, message) => {
    expect(() => parseQuantity(text as string, 'count')).toThrow(message);
  });

  it.each<[string | number, number]>([
    ['200GiB', 200 * GiB],
    ['512 MiB', 512 * MiB],
    ['1.5TiB', 1.5 * TiB],
    ['4096B', 4096],
    ['528KiB', 528 * KiB],
    ['1.1GiB', 1_181_116_006],
    ['0.1KiB', 102],
    [0, 0],
    ['0', 0],
  ])('reads the size %j as %d bytes', (text, bytes) => {
    expect(parseQuantity(text, 'bytes')).toBe(bytes);
  });

  it.each<[unknown, RegExp]>([
    [200, /200 has no unit; expected a size such as "200GiB"/],
    ['200', /"200" is not a size/],
    ['200GB', /unknown unit "GB"; write GiB for the binary unit/],
    ['1TB', /write TiB/],
    ['200G', /unknown unit "G"/],
    ['200 gib', /unknown unit "gib"/],
    ['-1GiB', /is not a size/],
    ['1e3GiB', /"1e3GiB" is not a size/],
    ['99999999TiB', /too large/],
    [true, /a value of type boolean has no unit/],
  ])('refuses the size %j', (text, message) => {
    expect(() => parseQuantity(text as string, 'bytes')).toThrow(message);
  });

  it.each<[string | number, number]>([
    ['200MB/s', 200 * MiB],
    ['12.5 MB/s', 12.5 * MiB],
    ['25.5MiB/s', 26_738_688],
    ['0.810MB/s', 849_347],
    ['0', 0],
  ])('reads the rate %j as %d bytes per second', (text, rate) => {
    expect(parseQuantity(text, 'bytesPerSecond')).toBe(rate);
  });

  it.each<[unknown, RegExp]>([
    [200, /has no unit; expected a rate such as "200MB\/s"/],
    ['200KB/s', /unknown unit "KB\/s"/],
    ['200Mbit/s', /unknown unit/],
    ['unlimited', /is not a rate/],
    ['fast', /is not a rate/],
  ])('refuses the rate %j', (text, message) => {
    expect(() => parseQuantity(text as string, 'bytesPerSecond')).toThrow(message);
  });

  it('throws AppError INVALID_INPUT', () => {
    expect(() => parseQuantity('x', 'bytes')).toThrow(AppError);
    try {
      parseQuantity('x', 'bytes');
    } catch (error) {
      expect((error as AppError).code).toBe('INVALID_INPUT');
    }
  });
});
