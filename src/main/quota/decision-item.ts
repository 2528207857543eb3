import { formatQuantity } from '../../shared/units';
import type { QuantityUnit } from './units';

// One line of a quota decision: what a resource's limit is, what is used, what the change asks
// for and what would be left, with a sentence saying why it fits or does not.

/** How one resource fares under a change. */
export interface DecisionItem {
  resource: string;
  label: string;
  unit: QuantityUnit;
  /** Null when the policy sets no limit on this resource. */
  limit: number | null;
  used: number;
  requested: number;
  after: number;
  /** What would be left of the limit after the change; negative when over it; null: no limit. */
  remaining: number | null;
  fits: boolean;
  /** Set when guests the limit counts could not be read, so `used` is only a lower bound. */
  usageIncomplete?: true;
  /** Why it fits or not, in words and the resource's unit, for people. */
  reason: string;
}

/** Prices one resource: a change of zero or less always fits; otherwise `after` must fit. */
export function decisionItem(
  resource: string,
  label: string,
  unit: QuantityUnit,
  limit: number | null,
  used: number,
  requested: number,
): DecisionItem {
  const after = used + requested;
  const fits = requested <= 0 || limit === null || after <= limit;
  const remaining = limit === null ? null : limit - after;
  const reason = reasonFor(unit, limit, used, requested, after, fits);
  return { resource, label, unit, limit, used, requested, after, remaining, fits, reason };
}

function reasonFor(
  unit: QuantityUnit,
  limit: number | null,
  used: number,
  requested: number,
  after: number,
  fits: boolean,
): string {
  const format = (value: number): string => formatQuantity(value, unit);
  if (requested === 0) return 'unchanged';
  if (requested < 0) return `frees ${format(-requested)}; freeing always passes`;
  if (limit === null) return `adds ${format(requested)}; there is no limit`;
  if (limit === 0) return `asks for ${format(requested)}; the quota policy gives you none`;
  const sum = `${format(used)} in use + ${format(requested)} = ${format(after)}`;
  if (fits) return `${sum} of ${format(limit)}; ${format(limit - after)} left`;
  return `${sum}, over the limit of ${format(limit)} by ${format(after - limit)}`;
}
