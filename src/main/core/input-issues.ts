import type { z } from 'zod';

/** Turns zod issues into one message per input field, keyed by the field's dotted path. */
export function describeInputIssues(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || 'input';
    fields[path] ??= issue.message;
  }
  return fields;
}

/** Objects visited before an input is refused as too large; real inputs have a few dozen. */
const maxInputObjects = 10_000;

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The first place in an IPC input that is not plain data, or null. The renderer's messages are
 * structured clones, which can carry a Map, a Set, a Date or a typed array where the contract
 * expects a plain object; an object schema whose fields are all optional would take one of
 * those as an empty object, so every channel's input is checked for them before its schema.
 * Inputs are walked without recursion and with a bound, since a clone may be deep or cyclic.
 */
export function nonPlainInputIssue(input: unknown): { path: string; message: string } | null {
  if (input === undefined) return null;
  const pending: Array<{ value: unknown; path: string }> = [{ value: input, path: 'input' }];
  let visited = 0;
  while (pending.length > 0) {
    const { value, path } = pending.pop() as { value: unknown; path: string };
    if (typeof value !== 'object' || value === null) continue;
    // A cyclic input never ends, so it meets this bound too.
    visited += 1;
    if (visited > maxInputObjects) {
      return { path: 'input', message: 'The input is too large or refers to itself.' };
    }
    if (!Array.isArray(value) && !isPlainObject(value)) {
      return { path, message: 'Expected plain fields, not a Map, Set, Date or other object.' };
    }
    for (const [key, item] of Object.entries(value)) {
      pending.push({ value: item, path: path === 'input' ? key : `${path}.${key}` });
    }
  }
  return null;
}
