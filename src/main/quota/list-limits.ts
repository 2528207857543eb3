import type { DecisionItem } from './decision-item';
import { decisionItem } from './decision-item';
import { own, type ListLimit } from './limits';
import { compileMatcher } from './match';

// Pricing the list resources (CPU models, PCI devices or mappings). Usage and changes count items
// by name; each policy entry limits how many items matching its pattern there may be. When the
// policy lists entries, an item that matches none of them is not allowed (a limit of 0); when it
// lists none, the resource is not limited. An entry's per-node limit counts only the items of
// the guests on that node, and a change on that node must fit it as well as the entry's `max`.

/** How many of the counted items match a pattern. */
export function countMatching(rule: ListLimit, counts: Readonly<Record<string, number>>): number {
  const matches = compileMatcher(rule.match);
  let total = 0;
  for (const [item, count] of Object.entries(counts)) if (matches(item)) total += count;
  return total;
}

/** What people see for an entry: its label, else the resource's name and the pattern. */
export function listRuleLabel(label: string, rule: ListLimit): string {
  return rule.label ?? `${label} ${rule.match}`;
}

/** The items used on one node and in total, as the pricing of a list resource reads them. */
export interface ListUse {
  total: Readonly<Record<string, number>>;
  node: string;
  onNode: Readonly<Record<string, number>>;
}

/**
 * The decision items of one list resource for a change of `requested` items by name on
 * `used.node`: per matching entry one against its `max`, and one against its limit on that node
 * when it sets one (`pci:mapping:gpu-*@pve1`).
 */
export function listDecisionItems(
  resource: string,
  label: string,
  rules: readonly ListLimit[],
  used: ListUse,
  requested: Readonly<Record<string, number>>,
): DecisionItem[] {
  const names = Object.keys(requested).sort();
  if (rules.length === 0 || names.length === 0) return [];
  const items: DecisionItem[] = [];
  const matched = new Set<string>();

  for (const rule of rules) {
    const matches = compileMatcher(rule.match);
    const asked = names.filter((name) => matches(name));
    if (asked.length === 0) continue;
    for (const name of asked) matched.add(name);
    const change = asked.reduce((sum, name) => sum + (own(requested, name) ?? 0), 0);
    const id = `${resource}:${rule.match}`;
    const title = listRuleLabel(label, rule);
    items.push(decisionItem(id, title, 'count', rule.max, countMatching(rule, used.total), change));
    const nodeLimit = rule.perNode === undefined ? undefined : own(rule.perNode, used.node);
    if (nodeLimit !== undefined) {
      items.push(
        decisionItem(
          `${id}@${used.node}`,
          `${title} on ${used.node}`,
          'count',
          nodeLimit,
          countMatching(rule, used.onNode),
          change,
        ),
      );
    }
  }

  for (const name of names.filter((candidate) => !matched.has(candidate))) {
    items.push(
      decisionItem(
        `${resource}:unlisted:${name}`,
        `${label} ${name} (not in the policy)`,
        'count',
        0,
        own(used.total, name) ?? 0,
        own(requested, name) ?? 0,
      ),
    );
  }
  return items;
}

/**
 * How many more of one item the entries allow on `used.node`: the least room left under any entry
 * that matches it, globally and on that node (never below 0). Null when the list sets no entries,
 * so the resource is not limited; undefined when no entry matches, so the item is not allowed.
 */
export function listItemsLeft(
  rules: readonly ListLimit[],
  used: ListUse,
  item: string,
): number | null | undefined {
  if (rules.length === 0) return null;
  let left: number | undefined;
  for (const rule of rules) {
    if (!compileMatcher(rule.match)(item)) continue;
    const room = [rule.max - countMatching(rule, used.total)];
    const nodeLimit = rule.perNode === undefined ? undefined : own(rule.perNode, used.node);
    if (nodeLimit !== undefined) room.push(nodeLimit - countMatching(rule, used.onNode));
    left = Math.min(left ?? Number.POSITIVE_INFINITY, ...room);
  }
  return left === undefined ? undefined : Math.max(0, left);
}
