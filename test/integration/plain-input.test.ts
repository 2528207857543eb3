import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './lab';

// The renderer's messages are structured clones, so a hostile or buggy window can send a Map, a
// Set or a Date where the contract expects plain fields. Every channel refuses them as
// INVALID_INPUT naming where they are, before anything is read of the cluster or written to it.

describe('input that is not plain data', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.signIn();
  });
  afterAll(async () => {
    await lab.close();
  });

  it.each<[string, string, unknown, string]>([
    ['a Map to a channel that takes no input', 'quota:usage', new Map([['a', 1]]), 'input'],
    ['a Date to a channel that takes no input', 'backup:count', new Date(0), 'input'],
    ['a Set to a channel that takes no input', 'instance:list', new Set([1]), 'input'],
    [
      'a Map inside a change',
      'disk:resize',
      { node: 'pve1', type: 'qemu', vmid: 100, disk: new Map(), addGiB: 1 },
      'disk',
    ],
    [
      'a Date inside a preview',
      'quota:preview',
      { kind: 'instance:resources', node: 'pve1', type: 'qemu', vmid: 100, cores: new Date(2) },
      'cores',
    ],
  ])('refuses %s, naming the field and sending nothing', async (_case, channel, input, field) => {
    const before = lab.sim.requests.length;
    const error = await lab.fail(channel as never, input);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.fields).toEqual({
      [field]: 'Expected plain fields, not a Map, Set, Date or other object.',
    });
    expect(lab.sim.requests.length).toBe(before);
  });

  it('still answers the same channels given nothing or an empty object', async () => {
    const usage = await lab.call('quota:usage');
    expect(usage.userid).toBe('alice@pve');
    await expect(lab.call('quota:usage', {})).resolves.toEqual(usage);
  });
});
