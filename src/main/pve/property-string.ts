// PVE property strings: `key=value` pairs joined by commas, where one key per format (the
// "default key") may be written as a bare value, e.g. `local-lvm:vm-100-disk-0,size=32G` for a disk
// whose default key is `file`. This module reads and writes the syntax only; what each key means
// is up to the format-specific parsers (volumes, networks).

/** A property string that cannot be read or written. */
export class PropertyStringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyStringError';
  }
}

const writableKey = /^[a-z0-9_-]+$/;
// Keys PVE writes are lower-case words with digits, `_` and `-`; reading accepts upper case too
// so that an odd hand-edited config gives a clear value rather than a syntax error.
const readableKey = /^[A-Za-z0-9_-]+$/;
// A value may not break the syntax (`,`) or the config file's line structure (newline, NUL).
const forbiddenInValue = /[,\n\r\0]/;

/**
 * Reads a property string into its keys and values, in the order written. A bare value is stored
 * under `defaultKey`. Empty segments (`a=1,,b=2`, a trailing comma) are skipped, as PVE does.
 */
export function parsePropertyString(text: string, defaultKey?: string): Map<string, string> {
  if (typeof text !== 'string') throw new PropertyStringError('expected a property string');
  const entries = new Map<string, string>();

  for (const segment of text.split(',')) {
    if (segment.trim() === '') continue;
    const equals = segment.indexOf('=');
    let key: string;
    let value: string;
    if (equals === -1) {
      if (defaultKey === undefined) {
        throw new PropertyStringError(
          `"${segment}" has no key, and this format has no default key`,
        );
      }
      key = defaultKey;
      value = segment;
    } else {
      key = segment.slice(0, equals);
      value = segment.slice(equals + 1);
      if (key === '') throw new PropertyStringError(`"${segment}" has an empty key`);
      if (!readableKey.test(key)) throw new PropertyStringError(`"${key}" is not a valid key`);
      if (value === '') throw new PropertyStringError(`key "${key}" has no value`);
    }
    if (entries.has(key)) throw new PropertyStringError(`key "${key}" appears more than once`);
    entries.set(key, value);
  }

  return entries;
}

/**
 * Writes keys and values as a property string, the default key first and bare. Refuses anything
 * that would read back differently: bad or repeated keys, empty values, values with `,`, newline
 * or NUL.
 */
export function formatPropertyString(
  entries: Iterable<readonly [string, string]>,
  defaultKey?: string,
): string {
  const seen = new Set<string>();
  let first: string | null = null;
  const rest: string[] = [];

  for (const [key, value] of entries) {
    if (typeof key !== 'string' || !writableKey.test(key)) {
      throw new PropertyStringError(`"${String(key)}" is not a valid key`);
    }
    if (seen.has(key)) throw new PropertyStringError(`key "${key}" appears more than once`);
    seen.add(key);
    if (typeof value !== 'string' || value === '') {
      throw new PropertyStringError(`key "${key}" needs a non-empty value`);
    }
    if (forbiddenInValue.test(value)) {
      throw new PropertyStringError(`the value of "${key}" contains a comma, newline or NUL`);
    }
    // A bare value containing `=` would read back as a key; such a value is written with its key.
    if (key === defaultKey && !value.includes('=')) first = value;
    else rest.push(`${key}=${value}`);
  }

  return (first === null ? rest : [first, ...rest]).join(',');
}
