import { describe, expect, it } from 'vitest';
import { nonPlainInputIssue } from './input-issues';

describe('nonPlainInputIssue', () => {
  it('passes no input, plain objects, arrays and primitives at any depth', () => {
    expect(nonPlainInputIssue(undefined)).toBeNull();
    expect(nonPlainInputIssue({})).toBeNull();
    expect(nonPlainInputIssue(Object.create(null))).toBeNull();
    expect(
      nonPlainInputIssue({ node: 'pve1', vmid: 100, disk: { sizeGiB: 1 }, keys: ['a', { b: 1 }] }),
    ).toBeNull();
  });

  it('names the field that holds a Map, Set, Date, typed array or class instance', () => {
    const message = 'Expected plain fields, not a Map, Set, Date or other object.';
    expect(nonPlainInputIssue(new Map())).toEqual({ path: 'input', message });
    expect(nonPlainInputIssue(new Date(0))).toEqual({ path: 'input', message });
    expect(nonPlainInputIssue({ disk: new Set() })).toEqual({ path: 'disk', message });
    expect(nonPlainInputIssue({ disk: { storage: new Uint8Array(2) } })).toEqual({
      path: 'disk.storage',
      message,
    });
    expect(nonPlainInputIssue({ keys: ['net0', new Date(0)] })).toEqual({
      path: 'keys.1',
      message,
    });
    class Disk {
      sizeGiB = 1;
    }
    expect(nonPlainInputIssue({ disk: new Disk() })).toEqual({ path: 'disk', message });
  });

  it('names the first field that is not plain data, and shortens a very deep path', () => {
    const message = 'Expected plain fields, not a Map, Set, Date or other object.';
    expect(nonPlainInputIssue({ node: new Map(), vmid: new Set() })).toEqual({
      path: 'node',
      message,
    });
    let deep: unknown = new Date(0);
    for (let level = 0; level < 500; level += 1) deep = [deep];
    const issue = nonPlainInputIssue({ keys: deep });
    // The first 120 characters of keys.0.0.….0, then an ellipsis.
    expect(issue?.path).toBe(`keys${'.0'.repeat(58)}…`);
  });

  it('refuses an input whose reading throws, rather than throwing itself', () => {
    const hostile = {
      get node(): string {
        throw new Error('boom');
      },
    };
    expect(nonPlainInputIssue(hostile)).toEqual({
      path: 'input',
      message: 'The input could not be read.',
    });
  });

  it('refuses a cyclic input instead of walking it forever', () => {
    const cyclic: Record<string, unknown> = { node: 'pve1' };
    cyclic.self = cyclic;
    expect(nonPlainInputIssue(cyclic)).toEqual({
      path: 'input',
      message: 'The input is too large or refers to itself.',
    });
  });

  it('refuses a huge or vastly sparse array without listing it', () => {
    const tooLarge = { path: 'input', message: 'The input is too large or refers to itself.' };
    expect(nonPlainInputIssue({ keys: new Array<number>(200_000).fill(1) })).toEqual(tooLarge);
    expect(nonPlainInputIssue({ keys: new Array(2 ** 31) })).toEqual(tooLarge);
    expect(nonPlainInputIssue({ keys: new Array<number>(500).fill(1) })).toBeNull();
    const wide = Object.fromEntries(
      Array.from({ length: 150_000 }, (_, index) => [`k${index}`, 1]),
    );
    expect(nonPlainInputIssue(wide)).toEqual(tooLarge);
  });

  it('takes an object shared by two fields, which a structured clone keeps shared', () => {
    const shared = { sizeGiB: 1 };
    expect(nonPlainInputIssue({ a: shared, b: shared })).toBeNull();
  });

  it('walks a very deep input without overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 100_000; level += 1) deep = { next: deep };
    expect(nonPlainInputIssue(deep)).toEqual({
      path: 'input',
      message: 'The input is too large or refers to itself.',
    });
  });
});
