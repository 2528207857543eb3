import { describe, expect, it } from 'vitest';
import { availablePci, type PciUse } from './pci-listing';

const devices = [
  { id: '0000:02:00.0', class: '0x020000', vendor: '0x8086', device: '0x1521', iommugroup: 3 },
  {
    id: '0000:01:00.0',
    class: '0x030000',
    vendor: '0x10de',
    device: '0x2204',
    vendor_name: 'NVIDIA',
    device_name: 'GA102',
    iommugroup: 1,
  },
];
const mappings = [
  { id: 'gpu-b', map: ['node=pve2,path=0000:01:00.0,id=10de:2204'] },
  { id: 'gpu-a', description: 'GPU A', map: ['node=pve1,path=0000:01:00.0,id=10de:2204'] },
];

/** PCI usage in all and per node, as the listing reads it from a user's usage. */
function usageOf(
  total: Record<string, number>,
  perNode: Record<string, Record<string, number>> = {},
): PciUse {
  const nodes = Object.entries(perNode).map(
    ([node, pciDevices]) => [node, { pciDevices }] as const,
  );
  return { pciDevices: total, perNode: Object.fromEntries(nodes) };
}

describe('available PCI devices', () => {
  it("offers what an entry matches on the node, priced by the first matching entry's use", () => {
    const rules = [
      { match: 'mapping:gpu-*', max: 2 },
      { match: 'host:0000:01:*', max: 1 },
    ];
    const used = usageOf({ 'mapping:gpu-b': 1, 'host:0000:01:00.1': 1 });
    expect(availablePci('pve1', devices, mappings, rules, used)).toEqual([
      {
        item: 'mapping:gpu-a',
        kind: 'mapping',
        id: 'gpu-a',
        description: 'GPU A',
        iommuGroup: null,
        left: 1,
        unavailable: null,
      },
      {
        item: 'mapping:gpu-b',
        kind: 'mapping',
        id: 'gpu-b',
        description: 'Resource mapping gpu-b',
        iommuGroup: null,
        left: 1,
        unavailable: { reason: 'not-on-node', message: 'This mapping has no device on pve1.' },
      },
      {
        item: 'host:0000:01:00.0',
        kind: 'host',
        id: '0000:01:00.0',
        description: 'NVIDIA GA102',
        iommuGroup: 1,
        left: 0,
        unavailable: { reason: 'quota', message: 'Your quota has none of this left on pve1.' },
      },
    ]);
  });

  it('offers no limited device while guests that may hold one could not be read, and says why', () => {
    const rules = [{ match: 'mapping:gpu-*', max: 2 }];
    const unread = [{ node: 'pve2', vmid: 101 }];

    const limited = availablePci('pve1', [], mappings, rules, { ...usageOf({}), unread });
    const unlimited = availablePci('pve1', [], mappings, [], { ...usageOf({}), unread });

    expect(limited.map((item) => [item.item, item.unavailable])).toEqual([
      [
        'mapping:gpu-a',
        {
          reason: 'usage-unknown',
          message: 'How many are left is not known: guest 101 on pve2 could not be read.',
        },
      ],
      ['mapping:gpu-b', { reason: 'not-on-node', message: 'This mapping has no device on pve1.' }],
    ]);
    expect(unlimited.map((item) => item.unavailable)).toEqual([
      null,
      { reason: 'not-on-node', message: 'This mapping has no device on pve1.' },
    ]);
  });

  it('says a mapping without a device on the node is ruled out by the mapping, not the quota', () => {
    const rules = [{ match: 'mapping:*', max: 2 }];

    const items = availablePci('pve2', [], mappings, rules, usageOf({}));

    expect(items.map((item) => [item.item, item.left, item.unavailable])).toEqual([
      [
        'mapping:gpu-a',
        2,
        { reason: 'not-on-node', message: 'This mapping has no device on pve2.' },
      ],
      ['mapping:gpu-b', 2, null],
    ]);
  });

  it('gives the mapping reason over the quota one when both rule a mapping out on the node', () => {
    const rules = [{ match: 'mapping:gpu-a', max: 1 }];

    const items = availablePci('pve2', [], mappings, rules, usageOf({ 'mapping:gpu-a': 1 }));

    expect(items.map((item) => [item.item, item.left, item.unavailable?.reason])).toEqual([
      ['mapping:gpu-a', 0, 'not-on-node'],
    ]);
  });

  it('leaves out a mapping without a device on the node when no policy entry matches it', () => {
    const rules = [{ match: 'mapping:gpu-a', max: 1 }];

    const items = availablePci('pve1', [], mappings, rules, usageOf({}));

    expect(items.map((item) => [item.item, item.left, item.unavailable])).toEqual([
      ['mapping:gpu-a', 1, null],
    ]);
  });

  it('offers everything on the node, unlimited, when the policy lists no entries', () => {
    const items = availablePci('pve2', devices, mappings, [], usageOf({}));
    expect(items.map((item) => [item.item, item.left, item.unavailable?.reason])).toEqual([
      ['mapping:gpu-a', null, 'not-on-node'],
      ['mapping:gpu-b', null, undefined],
      ['host:0000:01:00.0', null, undefined],
      ['host:0000:02:00.0', null, undefined],
    ]);
  });

  it("gives the node's room when its per-node limit is lower than the global room", () => {
    const rules = [{ match: 'mapping:gpu-*', max: 3, perNode: { pve1: 1 } }];
    const used = usageOf({ 'mapping:gpu-a': 1 }, { pve1: { 'mapping:gpu-a': 1 } });

    const items = availablePci('pve1', devices, mappings, rules, used);

    expect(items.map((item) => [item.item, item.left])).toEqual([
      ['mapping:gpu-a', 0],
      ['mapping:gpu-b', 0],
    ]);
  });

  it('counts only the guests of the node against its per-node limit', () => {
    const rules = [{ match: 'mapping:gpu-*', max: 5, perNode: { pve1: 1, pve2: 2 } }];
    const used = usageOf({ 'mapping:gpu-a': 1 }, { pve1: { 'mapping:gpu-a': 1 } });

    const items = availablePci('pve2', devices, mappings, rules, used);

    expect(items.map((item) => [item.item, item.left])).toEqual([
      ['mapping:gpu-a', 2],
      ['mapping:gpu-b', 2],
    ]);
  });

  it('gives the global room on a node the per-node limits do not name', () => {
    const rules = [{ match: 'mapping:gpu-*', max: 3, perNode: { pve1: 1 } }];
    const used = usageOf({ 'mapping:gpu-a': 1 }, { pve1: { 'mapping:gpu-a': 1 } });

    const items = availablePci('pve2', devices, mappings, rules, used);

    expect(items.map((item) => [item.item, item.left])).toEqual([
      ['mapping:gpu-a', 2],
      ['mapping:gpu-b', 2],
    ]);
  });

  it('gives the least room of every entry that matches an item, not only the first', () => {
    const rules = [
      { match: 'host:*', max: 4 },
      { match: 'host:0000:01:*', max: 2, perNode: { pve1: 1 } },
    ];
    const used = usageOf({ 'host:0000:01:00.1': 1 }, { pve1: { 'host:0000:01:00.1': 1 } });

    const items = availablePci('pve1', devices, [], rules, used);

    expect(items.map((item) => [item.item, item.left])).toEqual([
      ['host:0000:01:00.0', 0],
      ['host:0000:02:00.0', 3],
    ]);
  });
});
