import { parseBackupVolid, type Backup, type BackupCount } from '../../shared/backup-schemas';
import type { PveApi } from '../pve/api';
import type { BackupVolume, NodeStorage } from '../pve/api-schemas';
import { isNodeNotReached } from '../pve/errors';
import { nameUnread } from '../quota/usage';

// Counting a user's backups. The policy's `backups.max` caps the backup volumes of all the guests
// in the user's pools, on the backup storages of the nodes those guests run on. A shared storage
// shows the same volumes from every node, so it is listed once; a local storage is listed on each
// node, as each node has its own. PVE lists a backup only to those who may back up its guest.

/** The backup volumes of one storage as one node lists them. */
export interface BackupListing {
  node: string;
  storage: string;
  shared: boolean;
  volumes: readonly BackupVolume[];
}

/** A backup volume and where it was listed. */
export interface ListedBackup {
  node: string;
  storage: string;
  shared: boolean;
  volume: BackupVolume;
  vmid: number;
}

/** A backup storage as one node lists it. */
export interface BackupStorageOnNode {
  node: string;
  storage: string;
  shared: boolean;
}

/** What one traversal of the backup storages found. */
export interface BackupReading {
  /** The active backup storages of each node read, as PVE listed them to the user. */
  storages: ReadonlyMap<string, readonly NodeStorage[]>;
  listings: readonly BackupListing[];
  /** Backup storages that are enabled but not active: what they hold is missing from listings. */
  inactive: readonly BackupStorageOnNode[];
  /** Nodes PVE could not reach: their local backup storages are missing from listings. */
  unreached: readonly string[];
}

/** Whether a node lists a storage as enabled and holding backups (active or not). */
function holdsBackups(storage: NodeStorage): boolean {
  const content = (storage.content ?? '').split(',').map((part) => part.trim());
  return content.includes('backup') && storage.enabled !== false;
}

/**
 * Why the reading cannot count every backup, or null when it can: an enabled backup storage that
 * is not active (an unmounted share, an unreachable NAS) still holds its backups, so leaving it out
 * would count too few.
 */
export function uncountedReason(
  reading: BackupReading,
  unread: readonly { node: string; vmid: number }[] = [],
): string | null {
  const reasons: string[] = [];
  if (unread.length > 0) {
    // Their lock is in the config: a backup a lab job is making of them cannot be seen.
    reasons.push(
      `${nameUnread(unread)} could not be read, so a backup being made of ${unread.length === 1 ? 'it' : 'them'} cannot be seen`,
    );
  }
  if (reading.unreached.length > 0) {
    const nodes = reading.unreached.join(', ');
    reasons.push(`PVE cannot reach ${nodes}, so the backups kept there cannot be read`);
  }
  if (reading.inactive.length > 0) {
    const names = reading.inactive.map((entry) =>
      entry.shared ? entry.storage : `${entry.storage} on ${entry.node}`,
    );
    const noun = names.length === 1 ? 'storage' : 'storages';
    const verb = names.length === 1 ? 'is' : 'are';
    reasons.push(
      `backup ${noun} ${names.join(', ')} ${verb} not active, so the backups there cannot be read`,
    );
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

/** What `read` gives, or undefined when PVE could not reach the node it asked about. */
async function unlessNotReached<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNodeNotReached(error)) return undefined;
    throw error;
  }
}

/** The vmid a volume belongs to: PVE's `vmid`, else the one its name carries. */
function vmidOf(volume: BackupVolume): number | null {
  if (volume.vmid !== undefined) return volume.vmid;
  return parseBackupVolid(volume.volid)?.vmid ?? null;
}

/**
 * The backups of the given guests among the listings, each volume once: a shared storage's
 * volume by its id wherever it was listed, a local storage's by node and id.
 */
export function ownedBackups(
  listings: readonly BackupListing[],
  vmids: ReadonlySet<number>,
): ListedBackup[] {
  const seen = new Set<string>();
  const found: ListedBackup[] = [];
  for (const listing of listings) {
    for (const volume of listing.volumes) {
      const vmid = vmidOf(volume);
      if (vmid === null || !vmids.has(vmid)) continue;
      const key = listing.shared ? volume.volid : `${listing.node}\u0000${volume.volid}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { node, storage, shared } = listing;
      found.push({ node, storage, shared, volume, vmid });
    }
  }
  return found;
}

/** The backup storages of several nodes and what each listing held, read once for many readings. */
export interface BackupCensus {
  /** The enabled backup storages of each node that listed them, active or not. */
  offered: ReadonlyMap<string, readonly NodeStorage[]>;
  /** Nodes PVE could not reach when their storages were asked for. */
  unreached: ReadonlySet<string>;
  /** Each listing by its key (the storage id of a shared one, node and id of a local one). */
  listed: ReadonlyMap<string, { node: string; volumes: readonly BackupVolume[] | undefined }>;
}

/** Where a storage's volumes are kept in a census: a shared storage's are the same everywhere. */
function listingKey(entry: BackupStorageOnNode): string {
  return entry.shared ? entry.storage : `${entry.node}\u0000${entry.storage}`;
}

/**
 * The storages a reading of `perNode` lists, and those it cannot: a shared storage on the first
 * node (by name) where it is active, a local one on every node.
 */
function planListings(perNode: ReadonlyArray<readonly [string, readonly NodeStorage[]]>): {
  wanted: BackupStorageOnNode[];
  inactive: BackupStorageOnNode[];
} {
  const sharedSeen = new Set<string>();
  const wanted: BackupStorageOnNode[] = [];
  const inactive: BackupStorageOnNode[] = [];
  // Active rows first, so a shared storage active on any node is listed there.
  for (const active of [true, false]) {
    for (const [node, rows] of perNode) {
      for (const row of rows) {
        if ((row.active !== false) !== active) continue;
        const shared = row.shared === true;
        if (shared && sharedSeen.has(row.storage)) continue;
        if (shared) sharedSeen.add(row.storage);
        // PVE answers 500 for the content of a storage that is not active: nothing to list there.
        (active ? wanted : inactive).push({ node, storage: row.storage, shared });
      }
    }
  }
  return { wanted, inactive };
}

/**
 * Lists every backup storage of the given nodes and the backup volumes on them, in parallel, each
 * storage of each node at most once (a shared one once in all), so that many users' readings can
 * be taken from it (readingOf) without asking PVE again.
 */
export async function takeBackupCensus(
  api: PveApi,
  nodes: readonly string[],
): Promise<BackupCensus> {
  const sorted = [...new Set(nodes)].sort();
  const unreached = new Set<string>();
  const offered = new Map<string, readonly NodeStorage[]>();
  await Promise.all(
    sorted.map(async (node) => {
      const rows = await unlessNotReached(() => api.nodeStorages(node, 'backup'));
      if (rows === undefined) unreached.add(node);
      else offered.set(node, rows.filter(holdsBackups));
    }),
  );
  const perNode = sorted.flatMap((node) => {
    const rows = offered.get(node);
    return rows === undefined ? [] : [[node, rows] as const];
  });
  const listed = new Map<string, { node: string; volumes: readonly BackupVolume[] | undefined }>();
  await Promise.all(
    planListings(perNode).wanted.map(async (entry) => {
      // Undefined: the node went away after it listed its storages.
      const volumes = await unlessNotReached(() => api.backupVolumes(entry.node, entry.storage));
      listed.set(listingKey(entry), { node: entry.node, volumes });
    }),
  );
  return { offered, unreached, listed };
}

/**
 * What a reading of `nodes` finds, taken from a census of those nodes (or more): the same storages
 * and volumes readBackups would list for them. A listing the census lost because its node went
 * away leaves that node unreached, even when this reading would have listed a shared storage on
 * another node.
 */
export function readingOf(census: BackupCensus, nodes: readonly string[]): BackupReading {
  const sorted = [...new Set(nodes)].sort();
  const unreached = new Set(sorted.filter((node) => census.unreached.has(node)));
  const perNode = sorted.flatMap((node) => {
    if (unreached.has(node)) return [];
    const rows = census.offered.get(node);
    if (rows === undefined) throw new Error(`the backup census did not read node ${node}`);
    return [[node, rows] as const];
  });
  const storages = new Map(
    perNode.map(([node, rows]) => [node, rows.filter((row) => row.active !== false)] as const),
  );
  const { wanted, inactive } = planListings(perNode);
  const read = wanted.flatMap((entry) => {
    const listing = census.listed.get(listingKey(entry));
    if (listing === undefined) {
      throw new Error(`the backup census did not list ${entry.storage} on ${entry.node}`);
    }
    if (listing.volumes !== undefined) return [{ ...entry, volumes: listing.volumes }];
    unreached.add(listing.node);
    return [];
  });
  const listings = read.filter((listing) => !unreached.has(listing.node));
  return { storages, listings, inactive, unreached: [...unreached].sort() };
}

/**
 * Lists every backup storage of the given nodes and the backup volumes on them, in parallel: a
 * shared storage on the first node (by name) that offers it, a local one on every node.
 */
export async function readBackups(api: PveApi, nodes: readonly string[]): Promise<BackupReading> {
  return readingOf(await takeBackupCensus(api, nodes), nodes);
}

/**
 * The guests whose backups count for the user and the nodes they are on: those of the snapshot,
 * read or not (a guest on a node PVE cannot reach still has its backups).
 */
export function backupOwners(snapshot: {
  guests: readonly { node: string; vmid: number }[];
  usage: { unread: readonly { node: string; vmid: number }[] };
}): { vmids: Set<number>; nodes: string[] } {
  const all = [...snapshot.guests, ...snapshot.usage.unread];
  return { vmids: new Set(all.map((guest) => guest.vmid)), nodes: all.map((guest) => guest.node) };
}

/** A listed backup volume as the contract shows it. */
export function toBackup(listed: Pick<ListedBackup, 'storage' | 'volume'>): Backup {
  const { volume } = listed;
  const parsed = parseBackupVolid(volume.volid);
  const createdAtMs = volume.ctime !== undefined ? volume.ctime * 1000 : (parsed?.stampMs ?? 0);
  return {
    volid: volume.volid,
    storage: listed.storage,
    sizeBytes: volume.size ?? 0,
    createdAtMs,
    notes: volume.notes !== undefined && volume.notes !== '' ? volume.notes : null,
    protected: volume.protected === true,
    format: volume.format ?? parsed?.format ?? 'unknown',
  };
}

/** Backups newest first; equal times by volume id, so the order is stable. */
export function newestFirst(backups: Backup[]): Backup[] {
  return [...backups].sort(
    (a, b) => b.createdAtMs - a.createdAtMs || a.volid.localeCompare(b.volid),
  );
}

/**
 * A user's backup count as `backup:count` gives it: the backups of the user's guests in the
 * reading plus those being made, or no number and `uncounted`, the reason it cannot be counted.
 */
export function backupCountOf(
  reading: BackupReading,
  owners: { vmids: ReadonlySet<number> },
  beingMade: number,
  limit: number | null,
  uncounted: string | null,
): BackupCount {
  if (uncounted !== null) return { used: null, limit, reason: uncounted };
  return {
    used: ownedBackups(reading.listings, owners.vmids).length + beingMade,
    limit,
    reason: null,
  };
}
