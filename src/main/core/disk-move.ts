import type { DiskMoveInput } from '../../shared/disk-move-schemas';
import { AppError } from '../../shared/errors';
import type { GuestConfig } from '../pve/api-schemas';
import { parseGuestVolumes, type GuestVolume } from '../pve/volumes';
import type { ResourceDelta } from '../quota/approve';
import { isBusAllowed, type UserLimits } from '../quota/limits';

// What moving a disk to another storage costs. PVE copies the volume to the target storage and
// points the disk key at the copy; the source is then deleted (`delete=1`) or kept as the first
// free `unusedN`, where it still occupies its storage. So the target always gains the disk's
// size, and the source frees it only when deleted.

/** A priced move: the volume that moves, its size and the quota delta. */
export interface MovePlan {
  volume: GuestVolume & { storage: string };
  sizeBytes: number;
  delta: ResourceDelta;
  /** The `unusedN` key PVE will keep the source under, or null when it is deleted. */
  keptAs: string | null;
}

function invalid(field: string, why: string, message: string): AppError {
  return new AppError('INVALID_INPUT', message, { fields: { [field]: why } });
}

/** The disk `key` of a guest, if it is a storage volume that can move. */
export function movableVolume(
  type: 'qemu' | 'lxc',
  vmid: number,
  config: GuestConfig,
  key: string,
): GuestVolume & { storage: string } {
  const volume = parseGuestVolumes(type, config).volumes.find((v) => v.key === key);
  if (!volume) throw new AppError('NOT_FOUND', `Guest ${vmid} has no ${key}.`);
  if (volume.kind !== 'disk' || volume.storage === null) {
    const what = volume.kind === 'disk' ? 'a host device' : `a ${volume.kind} entry`;
    throw invalid('disk', 'not a storage volume', `${key} is ${what}, which cannot be moved.`);
  }
  return { ...volume, storage: volume.storage };
}

function firstFreeUnused(config: GuestConfig): string {
  for (let index = 0; index < 256; index += 1) {
    if (!Object.hasOwn(config, `unused${index}`)) return `unused${index}`;
  }
  throw new AppError('CONFLICT', 'All 256 unused volume slots are in use.');
}

/**
 * Plans a move: the target must differ from the source and allow the disk's bus; the size comes
 * from the config's `size=` or, failing that, from the storage listing (`sizes`).
 */
export function planMove(
  guest: { node: string; config: GuestConfig },
  limits: UserLimits,
  input: Pick<DiskMoveInput, 'type' | 'vmid' | 'disk' | 'targetStorage' | 'deleteSource'>,
  sizes: ReadonlyMap<string, number>,
): MovePlan {
  const volume = movableVolume(input.type, input.vmid, guest.config, input.disk);
  const target = input.targetStorage;
  if (volume.storage === target) {
    throw invalid('targetStorage', 'same storage', `${input.disk} is already on ${target}.`);
  }
  if (volume.bus === 'unused' || !isBusAllowed(limits, target, volume.bus)) {
    throw new AppError(
      'QUOTA_EXCEEDED',
      `The quota policy does not allow ${volume.bus} disks on storage ${target}.`,
      { fields: { targetStorage: `${volume.bus} is not allowed on ${target}` } },
    );
  }
  const sizeBytes = volume.sizeBytes ?? sizes.get(volume.volume);
  if (sizeBytes === undefined) {
    throw invalid(
      'disk',
      'size unknown',
      `The size of ${input.disk} could not be read, so the move cannot be priced.`,
    );
  }
  const storageBytes: Record<string, number> = { [target]: sizeBytes };
  // A decrease on the source: approval always lets it through.
  if (input.deleteSource) storageBytes[volume.storage] = -sizeBytes;
  return {
    volume,
    sizeBytes,
    delta: { node: guest.node, storageBytes },
    keptAs: input.deleteSource ? null : firstFreeUnused(guest.config),
  };
}
