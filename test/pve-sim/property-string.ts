// The simulator's own reading and writing of PVE property strings (`local-lvm:vm-100-disk-0,size=32G`).
// Validation against the official formats lives in schema-check.ts; this module only takes the
// strings apart and puts them back together the way PVE writes them.

/** The keys and values of a property string, in the order they were written. */
export type PropertyMap = Map<string, string>;

/**
 * Splits a property string into its keys and values. A bare item (no `=`) is the value of
 * `defaultKey`; a string with two bare items, a bare item without a default key, or a repeated
 * key is malformed and gives null.
 */
export function parsePropertyString(text: string, defaultKey: string | null): PropertyMap | null {
  const map: PropertyMap = new Map();
  if (text === '') return map;
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    const key = eq === -1 ? defaultKey : item.slice(0, eq);
    const value = eq === -1 ? item : item.slice(eq + 1);
    if (key === null || key === '' || map.has(key)) return null;
    map.set(key, value);
  }
  return map;
}

/** Writes a property string as PVE does: the default key's value bare and first, then the rest by key. */
export function printPropertyString(map: PropertyMap, defaultKey: string | null): string {
  const items: string[] = [];
  const bare = defaultKey === null ? undefined : map.get(defaultKey);
  if (bare !== undefined) items.push(bare);
  const rest = [...map.keys()].filter((key) => key !== defaultKey).sort();
  for (const key of rest) items.push(`${key}=${map.get(key) ?? ''}`);
  return items.join(',');
}
