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

/** Values looked at before an input is refused as too large; real inputs have a few dozen. */
const maxInputValues = 100_000;

/** Longest field path named in a message; a deep input's would be long enough to drown it. */
const maxPathLength = 120;

const tooLarge = { path: 'input', message: 'The input is too large or refers to itself.' };

/** How many own enumerable keys `value` has, counting no further than `limit` + 1. */
function keyCountUpTo(value: object, limit: number): number {
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    count += 1;
    if (count > limit) break;
  }
  return count;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The first place in an IPC input that is not plain data, or null. The renderer's messages are
 * structured clones, which can carry a Map, a Set, a Date or a typed array where the contract
 * expects a plain object; an object schema whose fields are all optional would take one of
 * those as an empty object, so every channel's input is checked for them before its schema.
 * Inputs are walked without recursion and within a budget of values, since a clone may be deep,
 * huge or cyclic (a cycle never ends, so it runs out of budget too).
 */
export function nonPlainInputIssue(input: unknown): { path: string; message: string } | null {
  try {
    return firstNonPlainValue(input);
  } catch {
    // Only an input handed to the core directly can get here: a getter that throws, a proxy.
    return { path: 'input', message: 'The input could not be read.' };
  }
}

function firstNonPlainValue(input: unknown): { path: string; message: string } | null {
  if (input === undefined) return null;
  const pending: Array<{ value: unknown; path: string }> = [{ value: input, path: 'input' }];
  let budget = maxInputValues;
  while (pending.length > 0) {
    const { value, path } = pending.pop() as { value: unknown; path: string };
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value) && !isPlainObject(value)) {
      return {
        path: path.length > maxPathLength ? `${path.slice(0, maxPathLength)}…` : path,
        message: 'Expected plain fields, not a Map, Set, Date or other object.',
      };
    }
    // Sizes are taken before anything is listed: a sparse array can be vast, and an object is
    // counted only as far as the budget goes.
    const size = Array.isArray(value) ? value.length : keyCountUpTo(value, budget);
    budget -= size + 1;
    if (budget < 0) return tooLarge;
    // Pushed last to first, so that the first field in the input is looked at, and named, first.
    const entries = Object.entries(value);
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, item] = entries[index] as [string, unknown];
      pending.push({ value: item, path: path === 'input' ? key : `${path}.${key}` });
    }
  }
  return null;
}
