import { describe, expect, it } from 'vitest';
import { connectFormSchema, withScheme } from './connect-form-schema';

describe('connectFormSchema', () => {
  it('reduces an address to its origin', () => {
    expect(connectFormSchema.parse({ url: ' https://pve1.lab.example:8006/ ' })).toEqual({
      url: 'https://pve1.lab.example:8006',
    });
  });

  it('adds https:// to a bare host and port', () => {
    expect(withScheme('pve1:8006')).toBe('https://pve1:8006');
    expect(connectFormSchema.parse({ url: '10.0.0.5:8006' })).toEqual({
      url: 'https://10.0.0.5:8006',
    });
  });

  it('asks for an address when the field is empty', () => {
    const result = connectFormSchema.safeParse({ url: '   ' });
    expect(result.error?.issues[0]?.message).toBe(
      'Enter the address of a node, such as https://pve1.example.org:8006.',
    );
  });

  it('refuses plain http, paths, queries and credentials in the address', () => {
    for (const url of [
      'http://pve1:8006',
      'https://pve1:8006/api2/json',
      'https://pve1:8006/?x=1',
      'https://root:secret@pve1:8006',
    ]) {
      expect(connectFormSchema.safeParse({ url }).success, url).toBe(false);
    }
  });
});
