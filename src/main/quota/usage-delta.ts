import { AppError } from '../../shared/errors';
import type { ResourceDelta } from './approve';
import { checkDelta, checkUsage, listResources, numericResources } from './checks';
import { own } from './limits';
import type { NodeUsage, Usage } from './usage';

// Arithmetic on usage and changes: adding two changes, applying a change to a usage, and adding
// the changes held as reservations before the next one is priced.

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
  for (const { field } of listResources) {
    if (a[field] === undefined && b[field] === undefined) continue;
    result[field] = addRecords(a[field] ?? {}, b[field] ?? {});
  }
  return result;
}

/** Usage as it will be once a change is committed: global, per node, per storage and per item. */
export function applyDelta(usage: Usage, delta: ResourceDelta): Usage {
  checkUsage(usage);
  checkDelta(delta);
  const before = own(usage.perNode, delta.node);
  const storage = delta.storageBytes ?? {};
  const node: NodeUsage = {
    cores: before?.cores ?? 0,
    memoryBytes: before?.memoryBytes ?? 0,
    swapBytes: before?.swapBytes ?? 0,
    networkBytesPerSecond: before?.networkBytesPerSecond ?? 0,
    storageBytes: addRecords(before?.storageBytes ?? {}, storage),
    cpuModels: addRecords(before?.cpuModels ?? {}, delta.cpuModels ?? {}),
    pciDevices: addRecords(before?.pciDevices ?? {}, delta.pciDevices ?? {}),
  };
  const result: Usage = {
    ...usage,
    storageBytes: addRecords(usage.storageBytes, storage),
    cpuModels: addRecords(usage.cpuModels, delta.cpuModels ?? {}),
    pciDevices: addRecords(usage.pciDevices, delta.pciDevices ?? {}),
    perNode: { ...usage.perNode },
    problems: [...usage.problems],
    unread: [...usage.unread],
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
  if (delta.storageBytes !== undefined) result.storageBytes = positive(delta.storageBytes);
  for (const { field } of listResources) {
    const value = delta[field];
    if (value !== undefined) result[field] = positive(value);
  }
  return result;
}

function positive(record: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, Math.max(0, value)]),
  );
}

/** The sum of two records key by key, built with own properties only. */
function addRecords(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const sums = new Map(Object.entries(a));
  for (const [key, value] of Object.entries(b)) sums.set(key, (sums.get(key) ?? 0) + value);
  return Object.fromEntries(sums);
}

/**
 * The change that turns one usage into another, on one node: for pricing an edit of a guest as
 * the difference between its usage before and after. Zero differences are left out.
 */
export function usageDifference(before: Usage, after: Usage, node: string): ResourceDelta {
  const delta: ResourceDelta = { node };
  for (const { field } of numericResources) {
    const change = after[field] - before[field];
    if (change !== 0) delta[field] = change;
  }
  const storage = recordDifference(before.storageBytes, after.storageBytes);
  if (storage !== undefined) delta.storageBytes = storage;
  for (const { field } of listResources) {
    const change = recordDifference(before[field], after[field]);
    if (change !== undefined) delta[field] = change;
  }
  checkDelta(delta);
  return delta;
}

function recordDifference(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> | undefined {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const entries = keys
    .map((key): [string, number] => [key, (own(after, key) ?? 0) - (own(before, key) ?? 0)])
    .filter(([, value]) => value !== 0);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
