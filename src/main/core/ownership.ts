import type { InstanceRef, InstanceSummary } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import type { ClusterResource, GuestConfig } from '../pve/api-schemas';
import type { UserLimits } from '../quota/policy';

/** A cluster row that is a guest with the fields ProxDesk relies on. */
export type GuestResource = ClusterResource & { type: 'qemu' | 'lxc'; node: string; vmid: number };

/**
 * Whether a cluster row is a guest with node and vmid. Templates are guests too: their disks
 * occupy storage, so they count against the quota like any other guest.
 */
export function isGuestRow(row: ClusterResource): row is GuestResource {
  return (
    (row.type === 'qemu' || row.type === 'lxc') && row.node !== undefined && row.vmid !== undefined
  );
}

/** Whether a guest is in one of the user's pools. Only those may be changed. */
export function isOwned(row: ClusterResource, limits: UserLimits): boolean {
  return row.pool !== undefined && limits.pools.includes(row.pool);
}

// A user's snapshot holds every guest of the cluster (10,000 in a large lab), and every pricing
// looks one up; a scan per lookup costs milliseconds there. Lists are never changed once read, so
// each gets its index the first time it is searched, kept as long as the list itself.
const guestRowIndexes = new WeakMap<object, Map<string, GuestResource>>();
const guestIndexes = new WeakMap<object, Map<string, { vmid: number; type: string }>>();

function guestKey(guest: { type: string; vmid: number }): string {
  return `${guest.type}/${guest.vmid}`;
}

function indexOf<T, V extends { type: string; vmid: number }>(
  list: readonly T[],
  indexes: WeakMap<object, Map<string, V>>,
  pick: (item: T) => V | undefined,
): Map<string, V> {
  let index = indexes.get(list);
  if (index === undefined) {
    index = new Map();
    for (const item of list) {
      const value = pick(item);
      // The first match wins, as a scan would find it.
      if (value !== undefined && !index.has(guestKey(value))) index.set(guestKey(value), value);
    }
    indexes.set(list, index);
  }
  return index;
}

/** A guest row as the instance list shows it. */
export function toSummary(row: GuestResource): InstanceSummary {
  return {
    node: row.node,
    type: row.type,
    vmid: row.vmid,
    name: row.name ?? `${row.type === 'qemu' ? 'VM' : 'CT'} ${row.vmid}`,
    status: row.template ? 'template' : (row.status ?? 'unknown'),
    pool: row.pool ?? null,
    lock: row.lock ?? null,
  };
}

/**
 * Finds a guest the user owns among the cluster's rows. PVE may let a user read guests outside
 * their pools; ProxDesk still refuses to change them, so every changing handler goes through here.
 */
export function ownedGuestIn(
  rows: readonly ClusterResource[],
  limits: UserLimits,
  ref: InstanceRef,
): GuestResource {
  const row = indexOf(rows, guestRowIndexes, (candidate) =>
    isGuestRow(candidate) ? candidate : undefined,
  ).get(guestKey(ref));
  if (!row) {
    throw new AppError('NOT_FOUND', `There is no ${ref.type} guest ${ref.vmid} that you can see.`);
  }
  if (!isOwned(row, limits)) {
    throw new AppError(
      'NOT_OWNED',
      `Guest ${ref.vmid} is not in one of your pools (${limits.pools.join(', ') || 'none'}), so ProxDesk will not change it.`,
    );
  }
  if (row.node !== ref.node) {
    throw new AppError(
      'NOT_FOUND',
      `Guest ${ref.vmid} is on node ${row.node} now, not ${ref.node}. Reload and try again.`,
    );
  }
  return row;
}

/** Reads the cluster's guests and finds one the user owns. */
export async function findOwnedGuest(
  api: PveApi,
  limits: UserLimits,
  ref: InstanceRef,
): Promise<GuestResource> {
  return ownedGuestIn(await api.guests(), limits, ref);
}

/**
 * The guest a change is about, from a usage snapshot: owned by the user, readable, and not locked
 * by another operation (a backup, a migration). Every pricing handler starts here.
 */
export function changeableGuest<G extends { vmid: number; type: string; config: GuestConfig }>(
  snapshot: {
    rows: readonly ClusterResource[];
    limits: UserLimits;
    guests: readonly G[];
    usage?: { unread: readonly { node: string; type: string; vmid: number }[] };
  },
  ref: InstanceRef,
): G {
  const row = ownedGuestIn(snapshot.rows, snapshot.limits, ref);
  const guest = indexOf(snapshot.guests, guestIndexes, (g) => g).get(guestKey(ref)) as
    G | undefined;
  if (!guest) {
    const unread = snapshot.usage?.unread.some(
      (entry) => entry.type === ref.type && entry.vmid === ref.vmid,
    );
    if (unread === true) {
      throw new AppError(
        'PVE_UNREACHABLE',
        `Guest ${ref.vmid} is on ${row.node}, which PVE cannot reach now; try again when ${row.node} is back.`,
      );
    }
    throw new AppError('NOT_FOUND', `Guest ${ref.vmid} could not be read.`);
  }
  const lock = guest.config.lock;
  if (typeof lock === 'string' && lock !== '') {
    throw new AppError(
      'LOCKED',
      `Guest ${ref.vmid} is locked (${lock}); try again when the ${lock} has finished.`,
    );
  }
  return guest;
}
