import { AppError, type QuotaShortfall } from '../../shared/errors';
import { formatQuantity, type Rounding } from '../../shared/units';
import { checkDelta, checkLimits, checkUsage, listResources, numericResources } from './checks';
import { decisionItem, type DecisionItem } from './decision-item';
import { own, type NumericLimit, type UserLimits } from './limits';
import { listDecisionItems } from './list-limits';
import { nameUnread, type UnreadGuest, type Usage } from './usage';

// Approval: a pure function of (limits, usage, change). Increases must fit both the global and the
// node's limit; a resource whose change is zero or negative always passes, even for a user who is
// already over quota, so that people can always free resources. A resource without a limit passes.
// When some of the user's guests could not be read (their node is down), what is in use is only
// known from below: an increase that would be over even so is a shortfall, and one that might fit
// is refused as unknown, since the unread guests may already use the rest.

export type { DecisionItem } from './decision-item';
export { addDeltas, applyDelta, usageDifference, usageWithPending } from './usage-delta';
export { describeUsage, overQuota } from './describe-usage';

/** A change in resource use on one node, in base units; negative numbers free resources. */
export interface ResourceDelta {
  node: string;
  cores?: number;
  memoryBytes?: number;
  swapBytes?: number;
  networkBytesPerSecond?: number;
  storageBytes?: Record<string, number>;
  /** Guests per CPU model that the change adds (or, negative, removes). */
  cpuModels?: Record<string, number>;
  /** PCI devices or mappings (`mapping:gpu-a`) that the change attaches or detaches. */
  pciDevices?: Record<string, number>;
}

/** A limited resource an increase asks for whose use is not known: guests it counts were not read. */
export interface UnknownUse {
  resource: string;
  label: string;
  unread: readonly UnreadGuest[];
}

/** The verdict on a change, item by item. */
export interface Decision {
  approved: boolean;
  items: DecisionItem[];
  shortfalls: QuotaShortfall[];
  unknown: UnknownUse[];
}

/**
 * The unread guests an item counts: all of them for a cluster-wide limit, those on the change's
 * node for a limit on that node (its resource id ends in `@node`; no resource or pattern name
 * may contain `@`).
 */
function unreadCountedBy(item: DecisionItem, unread: readonly UnreadGuest[], node: string) {
  return item.resource.endsWith(`@${node}`)
    ? unread.filter((guest) => guest.node === node)
    : unread;
}

/** The guests' part of a reason: `guest 101 on pve2 could not be read (No route to host)`. */
export function describeUnread(unread: readonly UnreadGuest[]): string {
  const reasons = [...new Set(unread.map((guest) => guest.reason))].join('; ');
  return `${nameUnread(unread)} could not be read (${reasons})`;
}

/** An item that would fit on what could be read, refused because unread guests count too. */
function unknownItem(item: DecisionItem, unread: readonly UnreadGuest[]): DecisionItem {
  const format = (value: number): string => formatQuantity(value, item.unit);
  const reason =
    `at least ${format(item.used)} in use + ${format(item.requested)}: ` +
    `${describeUnread(unread)}, so what is in use is not known`;
  return { ...item, fits: false, usageIncomplete: true, reason };
}

/** Prices a change against a user's limits and current usage (pending reservations included). */
export function approveChange(limits: UserLimits, usage: Usage, change: ResourceDelta): Decision {
  checkLimits(limits);
  checkUsage(usage);
  checkDelta(change);
  const items: DecisionItem[] = [];
  const onNode = own(usage.perNode, change.node);

  for (const { field, resource, label, unit } of numericResources) {
    const requested = change[field];
    if (requested === undefined) continue;
    const limit: NumericLimit = limits[field];
    items.push(decisionItem(resource, label, unit, limit.max, usage[field], requested));
    const nodeLimit = own(limit.perNode, change.node);
    if (nodeLimit !== undefined) {
      items.push(
        decisionItem(
          `${resource}@${change.node}`,
          `${label} on ${change.node}`,
          unit,
          nodeLimit,
          onNode?.[field] ?? 0,
          requested,
        ),
      );
    }
  }

  const storageChange = change.storageBytes ?? {};
  for (const storage of Object.keys(storageChange).sort()) {
    const requested = own(storageChange, storage) ?? 0;
    // A storage the policy does not name is one the user may not fill at all.
    const entry = own(limits.storage, storage);
    const limit = entry === undefined ? 0 : entry.maxBytes;
    const used = own(usage.storageBytes, storage) ?? 0;
    const label = `Storage: ${storage}`;
    items.push(decisionItem(`storage:${storage}`, label, 'bytes', limit, used, requested));
    const nodeLimit = entry === undefined ? undefined : own(entry.perNode, change.node);
    if (nodeLimit !== undefined) {
      const usedOnNode = onNode === undefined ? 0 : (own(onNode.storageBytes, storage) ?? 0);
      items.push(
        decisionItem(
          `storage:${storage}@${change.node}`,
          `${label} on ${change.node}`,
          'bytes',
          nodeLimit,
          usedOnNode,
          requested,
        ),
      );
    }
  }

  for (const { field, resource, label } of listResources) {
    const rules = field === 'cpuModels' ? limits.cpuModels : limits.pciDevices;
    const used = { total: usage[field], node: change.node, onNode: onNode?.[field] ?? {} };
    items.push(...listDecisionItems(resource, label, rules, used, change[field] ?? {}));
  }

  const shortfalls: QuotaShortfall[] = [];
  const unknown: UnknownUse[] = [];
  const decided = items.map((item) => {
    const { resource, label, unit, limit, used, requested, after, fits } = item;
    if (limit === null || requested <= 0) return item;
    if (!fits) {
      // Over the limit on the guests that could be read alone: over it whatever the rest use.
      shortfalls.push({ resource, label, unit, limit, used, requested, shortfall: after - limit });
      return item;
    }
    const unread = unreadCountedBy(item, usage.unread, change.node);
    if (unread.length === 0) return item;
    unknown.push({ resource, label, unread });
    return unknownItem(item, unread);
  });
  return {
    approved: shortfalls.length === 0 && unknown.length === 0,
    items: decided,
    shortfalls,
    unknown,
  };
}

/**
 * The error of a refused decision: QUOTA_EXCEEDED listing each shortfall in people's units, else
 * QUOTA_UNDEFINED naming the resources whose use is not known and the guests that were not read.
 */
export function quotaRefusalError(decision: Decision): AppError {
  if (decision.approved) {
    return new AppError('INTERNAL', 'A change that fits the quota was reported as refused.');
  }
  if (decision.shortfalls.length > 0) return quotaExceededError(decision);
  const first = decision.unknown[0];
  if (first === undefined) {
    return new AppError('INTERNAL', 'A refused change was given no reason.');
  }
  const labels = decision.unknown.map((entry) => entry.label).join(', ');
  const unread = decision.unknown.flatMap((entry) => entry.unread);
  const guests = [...new Map(unread.map((guest) => [guest.vmid, guest])).values()];
  const them = guests.length === 1 ? 'it' : 'they';
  return new AppError(
    'QUOTA_UNDEFINED',
    `Your use of ${labels} cannot be known: ${describeUnread(guests)}. Increases wait until ${them} can be read again; freeing resources still goes through.`,
  );
}

/** The QUOTA_EXCEEDED error for a refused decision, listing each shortfall in people's units. */
export function quotaExceededError(decision: Decision): AppError {
  if (decision.approved || decision.shortfalls.length === 0) {
    return new AppError('INTERNAL', 'A change that fits the quota was reported as exceeding it.');
  }
  const lines = decision.shortfalls.map(({ label, unit, limit, used, requested, shortfall }) => {
    const format = (value: number, rounding?: Rounding): string =>
      formatQuantity(value, unit, rounding);
    if (limit === 0)
      return `${label}: asks for ${format(requested)}, and the quota policy gives you none`;
    const left = Math.max(0, limit - used);
    // Rounded to nearest, a left that falls just short of the request would read as enough.
    return `${label}: asks for ${format(requested)}, ${format(left, 'down')} left of ${format(limit)} (${format(shortfall, 'up')} short)`;
  });
  return new AppError(
    'QUOTA_EXCEEDED',
    `Not enough quota for this change. ${lines.join('; ')}. Free some resources or ask the lab admin for a larger quota.`,
    { shortfalls: decision.shortfalls },
  );
}
