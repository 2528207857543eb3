import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PropertyStringError, formatPropertyString, parsePropertyString } from './property-string';

describe('parsePropertyString', () => {
  it('reads a bare default value followed by key=value pairs, in order', () => {
    const result = parsePropertyString('local-lvm:vm-100-disk-0,size=32G,ssd=1', 'file');

    expect([...result]).toEqual([
      ['file', 'local-lvm:vm-100-disk-0'],
      ['size', '32G'],
      ['ssd', '1'],
    ]);
  });

  it('accepts the default key written out explicitly', () => {
    const result = parsePropertyString('size=8G,volume=local-lvm:vm-200-disk-0', 'volume');

    expect(result.get('volume')).toBe('local-lvm:vm-200-disk-0');
    expect(result.get('size')).toBe('8G');
  });

  it('keeps everything after the first = as the value', () => {
    const result = parsePropertyString('name=eth0,comment=a=b');

    expect(result.get('comment')).toBe('a=b');
  });

  it('skips empty segments such as a trailing comma', () => {
    const result = parsePropertyString('name=eth0,,bridge=vmbr0,');

    expect([...result.keys()]).toEqual(['name', 'bridge']);
  });

  it('reads an empty string as no entries', () => {
    expect(parsePropertyString('', 'file').size).toBe(0);
  });

  it.each([
    ['a duplicate key', 'size=1G,size=2G', 'file', /"size" appears more than once/],
    ['a bare value and the default key', 'local:iso/a.iso,file=local:iso/b.iso', 'file', /"file"/],
    ['two bare values', 'virtio,e1000', 'model', /"model" appears more than once/],
    ['a bare value without a default key', 'eth0,bridge=vmbr0', undefined, /no default key/],
    ['an empty key', '=value', 'file', /empty key/],
    ['an empty value', 'size=', 'file', /"size" has no value/],
    ['a key with a space', 'my key=1', 'file', /not a valid key/],
  ])('refuses %s', (_label, text, defaultKey, message) => {
    expect(() => parsePropertyString(text, defaultKey)).toThrow(PropertyStringError);
    expect(() => parsePropertyString(text, defaultKey)).toThrow(message);
  });

  it('refuses a value that is not a string', () => {
    expect(() => parsePropertyString(42 as unknown as string)).toThrow(PropertyStringError);
  });
});

describe('formatPropertyString', () => {
  it('writes the default key bare and first, whatever its position in the input', () => {
    const text = formatPropertyString(
      [
        ['bridge', 'vmbr0'],
        ['model', 'virtio'],
        ['rate', '12.5'],
      ],
      'model',
    );

    expect(text).toBe('virtio,bridge=vmbr0,rate=12.5');
  });

  it('writes every key explicitly when there is no default key', () => {
    expect(
      formatPropertyString(
        new Map([
          ['name', 'eth0'],
          ['bridge', 'vmbr0'],
        ]),
      ),
    ).toBe('name=eth0,bridge=vmbr0');
  });

  it('writes a default value that contains = with its key, so that it reads back the same', () => {
    const text = formatPropertyString([['file', 'odd=name']], 'file');

    expect(text).toBe('file=odd=name');
    expect(parsePropertyString(text, 'file').get('file')).toBe('odd=name');
  });

  it.each([
    ['a comma in a value', [['size', '1G,ssd=1']]],
    ['a newline in a value', [['comment', 'a\nb: c']]],
    ['a NUL in a value', [['comment', 'a\0b']]],
    ['an empty value', [['size', '']]],
    ['an upper-case key', [['Size', '1G']]],
    ['a key with =', [['a=b', '1']]],
    ['an empty key', [['', '1']]],
    [
      'a repeated key',
      [
        ['size', '1G'],
        ['size', '2G'],
      ],
    ],
  ] as Array<[string, Array<[string, string]>]>)('refuses %s', (_label, entries) => {
    expect(() => formatPropertyString(entries, 'file')).toThrow(PropertyStringError);
  });

  it('reads back exactly what it wrote', () => {
    const key = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
    const value = fc.stringMatching(/^[^,\n\r\0]{1,20}$/).filter((v) => v.trim() !== '');
    const entries = fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 8 });

    fc.assert(
      fc.property(entries, fc.constantFrom('file', 'model', undefined), (list, defaultKey) => {
        const text = formatPropertyString(list, defaultKey);

        const read = parsePropertyString(text, defaultKey);

        expect(Object.fromEntries(read)).toEqual(Object.fromEntries(list));
      }),
    );
  });
});
