import type { DecisionItem } from './decision-item';
import { decisionItem } from './decision-item';
import { own, type ListLimit } from './limits';
import { compileMatcher } from './match';

// Pricing the list resources (CPU models, PCI devices or mappings). Usage and changes count items
// by name; each policy entry limits how many items matching its pattern there may be. When the
// policy lists entries, an item that matches none of them is not allowed (a limit of 0); when it
// lists none, the resource is not limited.

/** How many of the counted items match a pattern. */
export function countMatching(rule: ListLimit, counts: Readonly<Record<string, number>>): number {
  const matches = compileMatcher(rule.match);
  let total = 0;
  for (const [item, count] of Object.entries(counts)) if (matches(item)) total += count;
  return total;
}

/** The decision items of one list resource for a change of `requested` items by name. */
export function listDecisionItems(
  resource: string,
  label: string,
  rules: readonly ListLimit[],
  used: Readonly<Record<string, number>>,
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
    items.push(
      decisionItem(
        `${resource}:${rule.match}`,
        rule.label ?? `${label} ${rule.match}`,
        'count',
        rule.max,
        countMatching(rule, used),
        change,
      ),
    );
  }

  for (const name of names.filter((candidate) => !matched.has(candidate))) {
    items.push(
      decisionItem(
        `${resource}:unlisted:${name}`,
        `${label} ${name} (not in the policy)`,
        'count',
        0,
        own(used, name) ?? 0,
        own(requested, name) ?? 0,
      ),
    );
  }
  return items;
}
