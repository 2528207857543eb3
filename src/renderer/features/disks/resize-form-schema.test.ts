import { describe, expect, it } from 'vitest';
import { resizeFormSchema } from './resize-form-schema';

function messageFor(addGiB: unknown): string | undefined {
  const result = resizeFormSchema.safeParse({ addGiB });
  return result.success ? undefined : result.error.issues[0]?.message;
}

describe('resizeFormSchema', () => {
  it('accepts whole GiB from 1 to the contract maximum', () => {
    expect(resizeFormSchema.parse({ addGiB: 1 })).toEqual({ addGiB: 1 });
    expect(resizeFormSchema.parse({ addGiB: 65_536 })).toEqual({ addGiB: 65_536 });
  });

  it('asks for a whole number when the field is empty (NaN) or fractional or text', () => {
    expect(messageFor(Number.NaN)).toBe('Enter a whole number of GiB.');
    expect(messageFor(1.5)).toBe('Enter a whole number of GiB.');
    expect(messageFor('10')).toBe('Enter a whole number of GiB.');
  });

  it('refuses zero and negative amounts, since disks only grow', () => {
    expect(messageFor(0)).toBe('Add at least 1 GiB.');
    expect(messageFor(-4)).toBe('Add at least 1 GiB.');
  });

  it('refuses more than the contract allows in one step', () => {
    expect(messageFor(65_537)).toBe('You can add at most 65536 GiB at a time.');
  });
});
