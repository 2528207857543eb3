import pLimit from 'p-limit';
import { isAppError, type AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import type { GuestConfig } from '../pve/api-schemas';
import { isNodeNotReached } from '../pve/errors';
import { parseGuestVolumes } from '../pve/volumes';
import type { GuestResource } from './ownership';

// Reading what usage is computed from: the configs of a user's guests, with bounded concurrency,
// and the sizes their volume strings leave out. What PVE could not give because a node is down
// or a storage could not be listed is told apart from a reading that failed: those guests come
// back as unread, with the reason, so their use is unknown rather than counted short.

/** A storage listing PVE could not give, which sizes volumes their configs leave unsized. */
export interface UnlistedStorage {
  node: string;
  storage: string;
  /** PVE could not reach the node at all (595-597), rather than failing the listing. */
  nodeLost: boolean;
  message: string;
}

/** The disks and unused volumes of a guest's config whose size the config does not give. */
function unsizedVolumes(guest: {
  type: 'qemu' | 'lxc';
  config: GuestConfig;
}): Array<{ volume: string; storage: string }> {
  const found: Array<{ volume: string; storage: string }> = [];
  for (const volume of parseGuestVolumes(guest.type, guest.config).volumes) {
    if (volume.sizeBytes !== null || volume.storage === null) continue;
    if (volume.kind !== 'disk' && volume.kind !== 'unused') continue;
    found.push({ volume: volume.volume, storage: volume.storage });
  }
  return found;
}

/** Why a guest's use cannot be counted for want of a listing; null when none it needs failed. */
function unsizedReason(
  guest: { node: string; type: 'qemu' | 'lxc'; config: GuestConfig },
  unlisted: ReadonlyMap<string, UnlistedStorage>,
): string | null {
  if (unlisted.size === 0) return null;
  for (const { volume, storage } of unsizedVolumes(guest)) {
    const failed = unlisted.get(`${guest.node}/${storage}`);
    if (failed !== undefined) return `the size of ${volume} is not known (${failed.message})`;
  }
  return null;
}

/**
 * Whether PVE answered a request with a failure, rather than the session having ended or the
 * cluster not answering at all: those fail the whole reading.
 */
function isPveAnswer(error: unknown): error is AppError {
  if (!isAppError(error) || error.details?.status === undefined) return false;
  return error.code !== 'SESSION_EXPIRED' && error.code !== 'PVE_AUTH';
}

/**
 * Reads guests' configs with bounded concurrency. A guest whose node PVE cannot reach (the node
 * is down) is returned among `unread` with the reason; any other failure fails the whole read.
 */
async function readConfigs<T extends { resource: GuestResource }>(
  api: PveApi,
  items: readonly T[],
  concurrency: number,
): Promise<{ read: Array<T & { config: GuestConfig }>; unread: Array<T & { reason: string }> }> {
  const limit = pLimit(concurrency);
  const results = await Promise.all(
    items.map((item) =>
      limit(async () => {
        const { node, type, vmid } = item.resource;
        try {
          return { ...item, config: await api.config(node, type, vmid) };
        } catch (error) {
          if (!isNodeNotReached(error)) throw error;
          return { ...item, reason: `PVE cannot reach ${node}` };
        }
      }),
    ),
  );
  const read: Array<T & { config: GuestConfig }> = [];
  const unread: Array<T & { reason: string }> = [];
  for (const result of results) {
    if ('config' in result) read.push(result);
    else unread.push(result);
  }
  return { read, unread };
}

/**
 * Reads guests' configs and the sizes their volume strings leave out (missingVolumeSizes). A
 * guest whose config PVE cannot get from its node, or whose volume size is in a listing PVE
 * could not give (the node went away, the storage is not online), is returned among `unread`
 * with the reason, so its use is unknown rather than counted short. When the node went away,
 * none of its guests is counted, as if it had been away from the start.
 */
export async function readGuests<
  T extends { resource: GuestResource; node: string; type: 'qemu' | 'lxc' },
>(
  api: PveApi,
  items: readonly T[],
  concurrency: number,
  options: { skipDenied?: boolean } = {},
): Promise<{
  read: Array<T & { config: GuestConfig }>;
  unread: Array<T & { reason: string }>;
  sizes: Map<string, number>;
}> {
  const configs = await readConfigs(api, items, concurrency);
  const unlisted = new Map<string, UnlistedStorage>();
  const sizes = await missingVolumeSizes(api, configs.read, concurrency, { ...options, unlisted });
  const lostNodes = new Set(
    [...unlisted.values()].filter((entry) => entry.nodeLost).map((entry) => entry.node),
  );
  const read: Array<T & { config: GuestConfig }> = [];
  const unread = [...configs.unread];
  for (const guest of configs.read) {
    const reason = lostNodes.has(guest.node)
      ? `PVE cannot reach ${guest.node}`
      : unsizedReason(guest, unlisted);
    if (reason === null) read.push(guest);
    else unread.push({ ...guest, reason });
  }
  return { read, unread, sizes };
}

/**
 * Unused volumes often carry no `size=` in the config; their size comes from the storage's
 * content listing, read once per node and storage that has such a volume. With `skipDenied`,
 * a listing PVE does not allow is skipped, and its volumes are reported as of unknown size.
 * With `unlisted`, a listing PVE answers with a failure (other than the session's) is recorded
 * there by `node/storage` instead of failing the reading.
 */
export async function missingVolumeSizes(
  api: PveApi,
  guests: ReadonlyArray<{ node: string; type: 'qemu' | 'lxc'; config: GuestConfig }>,
  concurrency: number,
  options: { skipDenied?: boolean; unlisted?: Map<string, UnlistedStorage> } = {},
): Promise<Map<string, number>> {
  const wanted = new Map<string, { node: string; storage: string }>();
  for (const guest of guests) {
    for (const volume of unsizedVolumes(guest)) {
      wanted.set(`${guest.node}/${volume.storage}`, {
        node: guest.node,
        storage: volume.storage,
      });
    }
  }
  const sizes = new Map<string, number>();
  const limit = pLimit(concurrency);
  await Promise.all(
    [...wanted.entries()].map(([key, { node, storage }]) =>
      limit(async () => {
        let listing;
        try {
          listing = await api.storageContent(node, storage);
        } catch (error) {
          if (options.skipDenied === true && isAppError(error, 'PVE_PERMISSION')) return;
          if (options.unlisted === undefined || !isPveAnswer(error)) throw error;
          const nodeLost = isNodeNotReached(error);
          options.unlisted.set(key, { node, storage, nodeLost, message: error.message });
          return;
        }
        for (const item of listing) {
          if (item.size !== undefined) sizes.set(item.volid, item.size);
        }
      }),
    ),
  );
  return sizes;
}
