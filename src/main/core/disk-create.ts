import type { DiskCreateInput } from '../../shared/disk-create-schemas';
import { AppError } from '../../shared/errors';
import { GiB } from '../../shared/units';
import type { GuestConfig } from '../pve/api-schemas';
import { parseGuestVolumes } from '../pve/volumes';
import type { ResourceDelta } from '../quota/approve';
import { isBusAllowed, type UserLimits } from '../quota/limits';

// What creating a disk writes and costs. PVE allocates a new volume when a disk key is set to
// `STORAGE:SIZE` (the size in GiB), so the write names only the storage and the size; a CD drive
// points at an ISO that already exists and costs nothing.

/** The config write of one new disk, CD drive or mount point, and what it costs. */
export interface CreatePlan {
  key: string;
  value: string;
  delta: ResourceDelta;
}

const busSlots = { ide: 4, sata: 6, scsi: 31, virtio: 16 } as const;

function firstFree(config: GuestConfig, prefix: string, count: number, what: string): string {
  for (let index = 0; index < count; index += 1) {
    if (!Object.hasOwn(config, `${prefix}${index}`)) return `${prefix}${index}`;
  }
  throw new AppError('CONFLICT', `All ${count} ${what} slots are in use.`);
}

function notAllowed(bus: string, storage: string): AppError {
  return new AppError(
    'QUOTA_EXCEEDED',
    `The quota policy does not allow ${bus} disks on storage ${storage}.`,
    { fields: { bus: `not allowed on ${storage}` } },
  );
}

/**
 * Plans a new disk on the first free slot of its bus, a CD drive on the first free IDE slot, or
 * a mount point on the first free mpN. The bus must be allowed on the storage. An ISO must
 * already have been checked against the storage's listing.
 */
export function planCreate(
  guest: { node: string; config: GuestConfig },
  limits: UserLimits,
  input: DiskCreateInput,
): CreatePlan {
  if (input.type === 'lxc') {
    if (!isBusAllowed(limits, input.storage, 'mp')) throw notAllowed('mp', input.storage);
    const taken = parseGuestVolumes('lxc', guest.config).volumes.find(
      (v) => v.mountPath === input.mountPath,
    );
    if (taken) {
      throw new AppError(
        'INVALID_INPUT',
        `${taken.key} is already mounted at ${input.mountPath}.`,
        {
          fields: { mountPath: 'in use' },
        },
      );
    }
    return {
      key: firstFree(guest.config, 'mp', 256, 'mount point'),
      value: `${input.storage}:${input.sizeGiB},mp=${input.mountPath}`,
      delta: { node: guest.node, storageBytes: { [input.storage]: input.sizeGiB * GiB } },
    };
  }
  if ('iso' in input) {
    if (!isBusAllowed(limits, input.storage, 'ide')) throw notAllowed('ide', input.storage);
    return {
      key: firstFree(guest.config, 'ide', busSlots.ide, 'IDE'),
      value: `${input.iso},media=cdrom`,
      delta: { node: guest.node },
    };
  }
  if (!isBusAllowed(limits, input.storage, input.bus)) throw notAllowed(input.bus, input.storage);
  return {
    key: firstFree(guest.config, input.bus, busSlots[input.bus], `${input.bus} disk`),
    value: `${input.storage}:${input.sizeGiB}`,
    delta: { node: guest.node, storageBytes: { [input.storage]: input.sizeGiB * GiB } },
  };
}
