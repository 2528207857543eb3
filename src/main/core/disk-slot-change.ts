import type { DiskAttachInput, DiskSlotResult } from '../../shared/disk-slot-schemas';
import { isUnusedKey, mountPathSchema } from '../../shared/disk-slot-schemas';
import { AppError } from '../../shared/errors';
import type { GuestConfig } from '../pve/api-schemas';
import { formatPropertyString, PropertyStringError } from '../pve/property-string';
import { parseGuestVolumes, storageOfVolume, type GuestVolume } from '../pve/volumes';
import type { ResourceDelta } from '../quota/approve';
import { isBusAllowed, type UserLimits } from '../quota/limits';
import type { GuestForUsage } from '../quota/usage';

// What detaching, attaching and deleting a volume write, worked out from the guest's config.
// PVE's rules, followed here: deleting a disk key from a config moves its volume to the first
// free `unusedN` (the data stays); deleting an `unusedN` key destroys the volume; setting a slot
// to a volume that sits in `unusedN` drops that `unusedN` entry by itself, so no `delete` is sent
// with an attach (one would make PVE destroy the volume before attaching it). Removing a CD drive
// deletes only the drive entry, never the ISO. Bind mounts and passthrough disks have no volume
// to keep as unused, so PVE would drop them outright: ProxDesk does not detach them at all.

/** A guest as the planner sees it, with the sizes of its unused volumes from the storage. */
export type SlotGuest = GuestForUsage & {
  config: GuestConfig;
  sizes: ReadonlyMap<string, number>;
};

/** The config write of one slot change, what it costs, and what the channel answers. */
export interface SlotPlan {
  /** Values for PVE's `PUT .../config`, without the digest. */
  params: Record<string, string>;
  delta: ResourceDelta;
  result: DiskSlotResult;
}

/** How many slots each qemu bus has (PVE's `ide0-3`, `sata0-5`, `scsi0-30`, `virtio0-15`). */
const busSlots = { ide: 4, sata: 6, scsi: 31, virtio: 16 } as const;
const unusedSlots = 256;
const mountPointSlots = 256;

function invalid(field: string, why: string, message: string): AppError {
  return new AppError('INVALID_INPUT', message, { fields: { [field]: why } });
}

/** The volume under `key`; NOT_FOUND when absent, INVALID_INPUT when it cannot be read. */
function volumeAt(guest: SlotGuest, key: string): GuestVolume {
  const { volumes, problems } = parseGuestVolumes(guest.type, guest.config);
  const volume = volumes.find((v) => v.key === key);
  if (volume) return volume;
  const problem = problems.find((p) => p.key === key);
  if (problem) {
    throw invalid(
      'disk',
      'unreadable',
      `${key} of ${guest.vmid} cannot be read (${problem.reason}), so it was left as it is.`,
    );
  }
  throw new AppError('NOT_FOUND', `Guest ${guest.vmid} has no ${key}.`);
}

/** The first key `prefix0`, `prefix1`, ... that the config does not use. */
function firstFree(config: GuestConfig, prefix: string, count: number, what: string): string {
  for (let index = 0; index < count; index += 1) {
    const key = `${prefix}${index}`;
    if (!Object.hasOwn(config, key)) return key;
  }
  throw new AppError('CONFLICT', `All ${count} ${what} slots are in use.`);
}

/** Detaching a disk or mount point: PVE moves its volume to the first free `unusedN`. Free. */
export function planDetach(guest: SlotGuest, key: string): SlotPlan {
  const volume = volumeAt(guest, key);
  switch (volume.kind) {
    case 'cdrom':
    case 'empty':
      throw invalid('disk', 'a CD drive', `${key} is a CD drive; remove it with Delete instead.`);
    case 'bind':
      throw invalid(
        'disk',
        'a bind mount',
        `${key} is a bind mount of a host path; it has no volume to keep, so ProxDesk does not detach it.`,
      );
    case 'unused':
      throw invalid('disk', 'already unused', `${key} is already detached.`);
    case 'disk':
      break;
  }
  if (volume.bus === 'rootfs') {
    throw invalid('disk', 'the rootfs', 'The rootfs of a container cannot be detached.');
  }
  if (volume.storage === null) {
    throw invalid(
      'disk',
      'not on a storage',
      `${key} is a host device, not a storage volume; it has no volume to keep, so ProxDesk does not detach it.`,
    );
  }
  const newKey = firstFree(guest.config, 'unused', unusedSlots, 'unused volume');
  // The volume keeps occupying its storage as unused, so the quota sees no change.
  return {
    params: { delete: key },
    delta: { node: guest.node },
    result: { key, newKey, volume: volume.volume },
  };
}

function attachValue(
  type: 'qemu' | 'lxc',
  volumeId: string,
  mountPath: string | undefined,
): string {
  // The volume id came from the config; it is still checked to be a plain storage volume.
  if (storageOfVolume(volumeId) === null || /[,=\s]/.test(volumeId)) {
    throw invalid(
      'volume',
      'not a storage volume',
      `"${volumeId}" is not a volume ProxDesk can attach.`,
    );
  }
  try {
    if (type === 'qemu') return formatPropertyString([['file', volumeId]], 'file');
    if (!mountPathSchema.safeParse(mountPath).success || mountPath === undefined) {
      throw invalid('mountPath', 'not a path ProxDesk can write', 'The mount path is not valid.');
    }
    return formatPropertyString(
      [
        ['volume', volumeId],
        ['mp', mountPath],
      ],
      'volume',
    );
  } catch (error) {
    if (!(error instanceof PropertyStringError)) throw error;
    throw invalid('volume', 'unwritable', `The attach could not be written (${error.message}).`);
  }
}

function checkPathFree(guest: SlotGuest, mountPath: string): void {
  const taken = parseGuestVolumes('lxc', guest.config).volumes.find(
    (v) => v.mountPath === mountPath,
  );
  if (taken) {
    throw invalid('mountPath', 'in use', `${taken.key} is already mounted at ${mountPath}.`);
  }
}

/**
 * Attaching an unused volume to the first free slot of a bus (VM) or as the first free mount
 * point (container). The bus must be one the policy allows on the volume's storage. Free: the
 * volume was already counted while unused.
 */
export function planAttach(
  guest: SlotGuest,
  limits: UserLimits,
  input: Pick<DiskAttachInput, 'volume' | 'bus' | 'mountPath'>,
): SlotPlan {
  const volume = volumeAt(guest, input.volume);
  if (volume.kind !== 'unused' || volume.storage === null) {
    throw invalid('volume', 'not unused', `${input.volume} is not an unused volume.`);
  }
  const storage = volume.storage;
  let slot: string;
  if (guest.type === 'qemu') {
    const bus = input.bus;
    if (bus === undefined) throw invalid('bus', 'required', 'Choose a bus for the disk.');
    if (!isBusAllowed(limits, storage, bus)) {
      throw new AppError(
        'QUOTA_EXCEEDED',
        `The quota policy does not allow ${bus} disks on storage ${storage}.`,
        { fields: { bus: `not allowed on ${storage}` } },
      );
    }
    slot = firstFree(guest.config, bus, busSlots[bus], `${bus} disk`);
  } else {
    if (input.mountPath === undefined)
      throw invalid('mountPath', 'required', 'Choose a mount path.');
    if (!isBusAllowed(limits, storage, 'mp')) {
      throw new AppError(
        'QUOTA_EXCEEDED',
        `The quota policy does not allow mount points on storage ${storage}.`,
        { fields: { volume: `mount points are not allowed on ${storage}` } },
      );
    }
    checkPathFree(guest, input.mountPath);
    slot = firstFree(guest.config, 'mp', mountPointSlots, 'mount point');
  }
  const value = attachValue(guest.type, volume.volume, input.mountPath);
  return {
    params: { [slot]: value },
    delta: { node: guest.node },
    result: { key: input.volume, newKey: slot, volume: volume.volume },
  };
}

/** What deleting an unused volume frees: its size, unless another key still holds the volume. */
function freedBytes(guest: SlotGuest, volume: GuestVolume): number {
  const others = parseGuestVolumes(guest.type, guest.config).volumes.filter(
    (v) => v.key !== volume.key && v.volume === volume.volume,
  );
  if (others.length > 0) return 0;
  return volume.sizeBytes ?? guest.sizes.get(volume.volume) ?? 0;
}

/**
 * Deleting an unused volume (PVE destroys its data) or removing a CD drive (the ISO stays).
 * Anything else is refused before a request is sent: a disk must be detached first.
 */
export function planDelete(guest: SlotGuest, key: string): SlotPlan {
  const volume = volumeAt(guest, key);
  if (isUnusedKey(key) && volume.kind === 'unused' && volume.storage !== null) {
    const bytes = freedBytes(guest, volume);
    const delta: ResourceDelta = { node: guest.node };
    // A decrease: approval lets it through even for a user already over quota.
    if (bytes > 0) delta.storageBytes = { [volume.storage]: -bytes };
    return { params: { delete: key }, delta, result: { key, newKey: null, volume: volume.volume } };
  }
  if (guest.type === 'qemu' && (volume.kind === 'cdrom' || volume.kind === 'empty')) {
    return {
      params: { delete: key },
      delta: { node: guest.node },
      result: { key, newKey: null, volume: volume.volume },
    };
  }
  throw invalid(
    'disk',
    'detach it first',
    `${key} is an attached disk; detach it first, then delete the unused volume.`,
  );
}
