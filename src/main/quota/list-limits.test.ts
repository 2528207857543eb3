import { describe, expect, it } from 'vitest';
import type { ListLimit } from './limits';
import { listItemsLeft, type ListUse } from './list-limits';

const rules: ListLimit[] = [
  { match: 'mapping:gpu-*', max: 3, perNode: { pve1: 1 } },
  { match: 'host:*', max: 4 },
  { match: 'host:0000:01:*', max: 2, perNode: { pve2: 1 } },
];
const used: Omit<ListUse, 'node'> = {
  total: { 'mapping:gpu-a': 1, 'mapping:gpu-b': 1, 'host:0000:01:00.0': 1 },
  onNode: { 'mapping:gpu-a': 1, 'host:0000:01:00.0': 1 },
};

describe('listItemsLeft', () => {
  it.each([
    ['a node whose per-node limit is used up', 'pve1', 'mapping:gpu-c', 0],
    ['the global room on a node without a per-node limit', 'pve3', 'mapping:gpu-c', 1],
    ['the least room of every matching entry, on the node', 'pve2', 'host:0000:01:00.1', 0],
    ['the least room of every matching entry, globally', 'pve3', 'host:0000:01:00.1', 1],
    ['the room of the one entry that matches', 'pve2', 'host:0000:81:00.0', 3],
  ])('gives %s', (_name, node, item, left) => {
    expect(listItemsLeft(rules, { ...used, node }, item)).toBe(left);
  });

  it('never gives less than 0, even over a limit', () => {
    const over = { total: { 'mapping:gpu-a': 5 }, node: 'pve1', onNode: { 'mapping:gpu-a': 5 } };

    expect(listItemsLeft(rules, over, 'mapping:gpu-b')).toBe(0);
  });

  it('gives null when the list is not limited and undefined for an item no entry allows', () => {
    expect(listItemsLeft([], { ...used, node: 'pve1' }, 'mapping:anything')).toBeNull();
    expect(listItemsLeft(rules, { ...used, node: 'pve1' }, 'mapping:nic-x')).toBeUndefined();
  });
});
