import { describe, expect, it } from 'vitest';
import { compileMatcher } from './match';

describe('compileMatcher', () => {
  it.each<[string, string, boolean]>([
    ['x86-64-v2*', 'x86-64-v2-AES', true],
    ['x86-64-v2*', 'x86-64-v3', false],
    ['mapping:gpu-?', 'mapping:gpu-1', true],
    ['mapping:gpu-?', 'mapping:gpu-10', false],
    ['0000:01:00.0', '0000:01:00.0', true],
    ['0000:01:00.0', '0000:01:0010', false],
    ['host', 'kvm64host', false],
    ['/^x86-64-v[23]$/', 'x86-64-v3', true],
    ['/^x86-64-v[23]$/', 'x86-64-v4', false],
    ['/^EPYC/i', 'epyc-rome', true],
    ['/^EPYC/', 'epyc-rome', false],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(compileMatcher(pattern)(value)).toBe(expected);
  });

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['/(/', /not a valid regular expression/],
    ['a'.repeat(201), /longer than 200/],
    ['gpu\n*', /control characters/],
  ])('refuses the pattern %j', (pattern, message) => {
    expect(() => compileMatcher(pattern)).toThrow(message);
  });
});
