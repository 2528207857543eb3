import { describe, expect, it } from 'vitest';
import { availablePci } from './pci-listing';

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

describe('available PCI devices', () => {
  it("offers what an entry matches on the node, priced by the first matching entry's use", () => {
    const rules = [
      { match: 'mapping:gpu-*', max: 2 },
      { match: 'host:0000:01:*', max: 1 },
    ];
    const used = { 'mapping:gpu-b': 1, 'host:0000:01:00.1': 1 };
    expect(availablePci('pve1', devices, mappings, rules, used)).toEqual([
      {
        item: 'mapping:gpu-a',
        kind: 'mapping',
        id: 'gpu-a',
        description: 'GPU A',
        iommuGroup: null,
        left: 1,
      },
      {
        item: 'host:0000:01:00.0',
        kind: 'host',
        id: '0000:01:00.0',
        description: 'NVIDIA GA102',
        iommuGroup: 1,
        left: 0,
      },
    ]);
  });

  it('offers everything on the node, unlimited, when the policy lists no entries', () => {
    const items = availablePci('pve2', devices, mappings, [], {});
    expect(items.map((item) => [item.item, item.left])).toEqual([
      ['mapping:gpu-b', null],
      ['host:0000:01:00.0', null],
      ['host:0000:02:00.0', null],
    ]);
  });
});
