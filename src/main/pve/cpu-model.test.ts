import { describe, expect, it } from 'vitest';
import { readCpuModel } from './cpu-model';
import { PropertyStringError } from './property-string';

describe('readCpuModel', () => {
  it.each([
    ['a bare model', 'x86-64-v2-AES', 'x86-64-v2-AES'],
    ['a bare model followed by flags', 'host,flags=+aes;-pcid', 'host'],
    ['the model written with its key', 'flags=+aes,cputype=custom-fast', 'custom-fast'],
    ['a model with a dot and a plus', 'Skylake-Server-v4.1+x', 'Skylake-Server-v4.1+x'],
  ])('reads %s', (_name, value, model) => {
    expect(readCpuModel(value)).toBe(model);
  });

  it('reads no model from an absent value or one that sets flags only', () => {
    expect(readCpuModel(undefined)).toBeNull();
    expect(readCpuModel('flags=+aes')).toBeNull();
    expect(readCpuModel('hidden=1,flags=+aes')).toBeNull();
  });

  it.each([
    ['a number', 64, 'expected a property string'],
    ['null', null, 'expected a property string'],
    ['a repeated model', 'host,cputype=kvm64', 'key "cputype" appears more than once'],
    ['a key without a value', 'cputype=', 'key "cputype" has no value'],
    ['a model that is not a model name', 'cputype=-bad', '"-bad" is not a CPU model name'],
    ['a model with a space', 'my model', '"my model" is not a CPU model name'],
  ])('refuses %s with a reason', (_name, value, reason) => {
    const read = (): unknown => readCpuModel(value);

    expect(read).toThrow(PropertyStringError);
    expect(read).toThrow(reason);
  });
});
