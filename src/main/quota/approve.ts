import type { QuotaResource } from '../../shared/contract';
import { AppError, type QuotaShortfall } from '../../shared/errors';
import { formatQuantity } from '../../shared/units';
import { checkDelta, checkLimits, checkUsage, numericResources } from './checks';
import { own, type NumericLimit, type UserLimits } from './limits';
import type { QuantityUnit } from './units';
import type { NodeUsage, Usage } from './usage';

// Approval: a pure function of (limits, usage, change). Increases must fit both the global and the
// node's limit; a resource whose change is zero or negative always passes, even for a user who is
// already over quota, so that people can always free resources. A resource without a limit passes.

/** A change in resource use on one node, in base units; negative numbers free resources. */
export interface ResourceDelta {
  node: string;
  cores?: number;
  memoryBytes?: number;
  swapBytes?: number;
  networkBytesPerSecond?: number;
  storageBytes?: Record<string, number>;
}

/** How one resource fares under a change. */
export interface DecisionItem {
  resource: string;
  label: string;
  unit: QuantityUnit;
  limit: number | null;
  used: number;
  requested: number;
  after: number;
  fits: boolean;
}

/** The verdict on a change, item by item. */
export interface Decision {
  approved: boolean;
  items: DecisionItem[];
  shortfalls: QuotaShortfall[];
}

/** Prices a change against a user's limits and current usage (pending reservations included). */
export function approveChange(limits: UserLimits, usage: Usage, change: ResourceDelta): Decision {
  checkLimits(limits);
  checkUsage(usage);
  checkDelta(change);
  const items: DecisionItem[] = [];

  for (const { field, resource, label, unit } of numericResources) {
    const requested = change[field];
    if (requested === undefined) continue;
    const limit: NumericLimit = limits[field];
    items.push(item(resource, label, unit, limit.max, usage[field], requested));
    const nodeLimit = own(limit.perNode, change.node);
    if (nodeLimit !== undefined) {
      const used = own(usage.perNode, change.node)?.[field] ?? 0;
      items.push(
        item(
          `${resource}@${change.node}`,
          `${label} on ${change.node}`,
          unit,
          nodeLimit,
          used,
          requested,
        ),
      );
    }
  }

  for (const storage of Object.keys(change.storageBytes ?? {}).sort()) {
    const requested = own(change.storageBytes ?? {}, storage) ?? 0;
    // A storage the policy does not name is one the user may not fill at all.
    const entry = own(limits.storage, storage);
    const limit = entry === undefined ? 0 : entry.maxBytes;
    const used = own(usage.storageBytes, storage) ?? 0;
    items.push(item(`storage:${storage}`, `Storage: ${storage}`, 'bytes', limit, used, requested));
  }

  const shortfalls: QuotaShortfall[] = [];
  for (const { resource, label, unit, limit, used, requested, after, fits } of items) {
    if (fits || limit === null) continue;
    shortfalls.push({ resource, label, unit, limit, used, requested, shortfall: after - limit });
  }
  return { approved: shortfalls.length === 0, items, shortfalls };
}

function item(
  resource: string,
  label: string,
  unit: QuantityUnit,
  limit: number | null,
  used: number,
  requested: number,
): DecisionItem {
  const after = used + requested;
  const fits = requested <= 0 || limit === null || after <= limit;
  return { resource, label, unit, limit, used, requested, after, fits };
}

/** Two changes on the same node as one; throws INVALID_INPUT for changes on different nodes. */
export function addDeltas(a: ResourceDelta, b: ResourceDelta): ResourceDelta {
  checkDelta(a);
  checkDelta(b);
  if (a.node !== b.node) {
    throw new AppError(
      'INVALID_INPUT',
      `Changes on ${a.node} and ${b.node} cannot be added into one; apply each to the usage instead.`,
    );
  }
  const result: ResourceDelta = { node: a.node };
  for (const { field } of numericResources) {
    if (a[field] === undefined && b[field] === undefined) continue;
    result[field] = (a[field] ?? 0) + (b[field] ?? 0);
  }
  if (a.storageBytes !== undefined || b.storageBytes !== undefined) {
    result.storageBytes = addRecords(a.storageBytes ?? {}, b.storageBytes ?? {});
  }
  return result;
}

/** Usage as it will be once a change is committed: global, per node and per storage. */
export function applyDelta(usage: Usage, delta: ResourceDelta): Usage {
  checkUsage(usage);
  checkDelta(delta);
  const node: NodeUsage = { ...(own(usage.perNode, delta.node) ?? zeroNode) };
  const result: Usage = {
    ...usage,
    storageBytes: addRecords(usage.storageBytes, delta.storageBytes ?? {}),
    perNode: { ...usage.perNode },
    problems: [...usage.problems],
  };
  for (const { field } of numericResources) {
    result[field] += delta[field] ?? 0;
    node[field] += delta[field] ?? 0;
  }
  result.perNode[delta.node] = node;
  return result;
}

/**
 * Usage with reserved changes added, for pricing the next change. Only the increases of a reserved
 * change count: a reserved decrease frees nothing until PVE has confirmed it, since PVE may still
 * refuse it, and counting it early could let two changes together overspend the quota.
 */
export function usageWithPending(usage: Usage, pending: readonly ResourceDelta[]): Usage {
  let result = usage;
  for (const delta of pending) result = applyDelta(result, increasesOf(delta));
  return result;
}

function increasesOf(delta: ResourceDelta): ResourceDelta {
  const result: ResourceDelta = { node: delta.node };
  for (const { field } of numericResources) {
    const value = delta[field];
    if (value !== undefined) result[field] = Math.max(0, value);
  }
  if (delta.storageBytes !== undefined) {
    result.storageBytes = Object.fromEntries(
      Object.entries(delta.storageBytes).map(([storage, bytes]) => [storage, Math.max(0, bytes)]),
    );
  }
  return result;
}

const zeroNode: NodeUsage = { cores: 0, memoryBytes: 0, swapBytes: 0, networkBytesPerSecond: 0 };

function addRecords(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const result: Record<string, number> = { ...a };
  for (const key of Object.keys(b)) result[key] = (own(result, key) ?? 0) + (own(b, key) ?? 0);
  return result;
}

/** Rows for the quota:usage channel: each numeric resource and each storage, limited or used. */
export function describeUsage(limits: UserLimits, usage: Usage): QuotaResource[] {
  checkLimits(limits);
  checkUsage(usage);
  const rows = numericResources.map(({ field, resource, label, unit }) =>
    row(resource, label, unit, usage[field], limits[field].max),
  );
  const storages = new Set([...Object.keys(limits.storage), ...Object.keys(usage.storageBytes)]);
  for (const storage of [...storages].sort()) {
    const used = own(usage.storageBytes, storage) ?? 0;
    const limit = own(limits.storage, storage)?.maxBytes ?? null;
    rows.push(row(`storage:${storage}`, `Storage: ${storage}`, 'bytes', used, limit));
  }
  return rows;
}

function row(
  resource: string,
  label: string,
  unit: QuantityUnit,
  used: number,
  limit: number | null,
): QuotaResource {
  const available = limit === null ? null : Math.max(0, limit - used);
  return { resource, label, unit, used, limit, available };
}

/** The QUOTA_EXCEEDED error for a refused decision, listing each shortfall in people's units. */
export function quotaExceededError(decision: Decision): AppError {
  if (decision.approved || decision.shortfalls.length === 0) {
    return new AppError('INTERNAL', 'A change that fits the quota was reported as exceeding it.');
  }
  const lines = decision.shortfalls.map(({ label, unit, limit, used, requested, shortfall }) => {
    const format = (value: number): string => formatQuantity(value, unit);
    const left = Math.max(0, limit - used);
    return `${label}: asks for ${format(requested)}, ${format(left)} left of ${format(limit)} (${format(shortfall)} short)`;
  });
  return new AppError(
    'QUOTA_EXCEEDED',
    `Not enough quota for this change. ${lines.join('; ')}. Free some resources or ask the lab admin for a larger quota.`,
    { shortfalls: decision.shortfalls },
  );
}
