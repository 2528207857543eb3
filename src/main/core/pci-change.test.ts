import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { firstFreePciKey, newPciValue, toPciAttached, withPciFlags } from './pci-change';

const vm = { node: 'pve1', type: 'qemu', vmid: 100 } as const;

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('hostpci values', () => {
  it('writes a raw id bare and lower-cased, then the flags as 0 or 1', () => {
    const value = newPciValue({
      ...vm,
      device: { host: '0000:0A:00.0' },
      pcie: true,
      rombar: false,
    });
    expect(value).toBe('0000:0a:00.0,pcie=1,rombar=0');
  });

  it('writes a mapping as mapping=<id>', () => {
    expect(newPciValue({ ...vm, device: { mapping: 'lab-gpu' }, xVga: true })).toBe(
      'mapping=lab-gpu,x-vga=1',
    );
  });

  it.each([
    ['an id with an option', { host: '01:00.0,x-vga=1' }],
    ['an id with a path', { host: '../01:00.0' }],
    ['a mapping with a comma', { mapping: 'gpu,pcie=1' }],
    ['a mapping with a newline', { mapping: 'gpu\nx' }],
  ])('refuses %s with INVALID_INPUT', (_name, device) => {
    expect(codeOf(() => newPciValue({ ...vm, device }))).toBe('INVALID_INPUT');
  });

  it('takes the first free slot and refuses when all 16 are used', () => {
    expect(firstFreePciKey({ hostpci0: 'x', hostpci2: 'y' })).toBe('hostpci1');
    const full = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`hostpci${i}`, 'x']));
    expect(codeOf(() => firstFreePciKey(full))).toBe('CONFLICT');
  });

  it('changes only the given flags and reports no change as null', () => {
    expect(withPciFlags('01:00.0;01:00.1,pcie=1', { pcie: false, rombar: true })).toBe(
      '01:00.0;01:00.1,pcie=0,rombar=1',
    );
    expect(withPciFlags('mapping=gpu,pcie=1', { pcie: true })).toBeNull();
  });

  it('reads an attached device with its functions and flags', () => {
    expect(toPciAttached('hostpci3', '01:00.0;01:00.1,x-vga=1,rombar=0')).toEqual({
      key: 'hostpci3',
      mapping: null,
      host: ['01:00.0', '01:00.1'],
      pcie: false,
      xVga: true,
      rombar: false,
    });
  });
});
