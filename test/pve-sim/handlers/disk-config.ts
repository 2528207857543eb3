import { serverError } from '../api-error.js';
import {
  isDiskSlot,
  isVolumeKey,
  readDisk,
  withDiskSize,
  type ConfigValue,
  type DiskEntry,
  type GuestType,
} from '../disks.js';
import type { InstanceState, SimState } from '../state.js';
import { findVolume, storageUsedBytes } from '../state.js';
import { allocateVolume } from './disk-create.js';

// Disk slots and unused volumes in the synchronous config write, as PVE treats them:
// - setting a slot to an existing volume attaches it; PVE records its `size=` and drops any
//   `unusedN` entry holding the same volume; a slot that held another volume gives it up as unused;
// - deleting a slot that holds a storage volume moves the volume to the first free `unusedN`;
//   a CD drive, an empty drive, a bind mount or a host device is simply removed;
// - deleting an `unusedN` destroys the volume, unless another key of the guest still uses it.
// Allocating new volumes (`STORAGE:SIZE`) is not modelled here.

const unusedCount = 256;

/** Whether a config key is handled here rather than by the plain option rules. */
export function isVolumeOption(type: GuestType, key: string): boolean {
  return isVolumeKey(type, key);
}

/**
 * Checks the format of a value for a disk slot (a parameter check, answered with a 400): a
 * readable property string naming its volume, with `mp=` for a container mount point.
 */
export function readVolumeOption(
  type: GuestType,
  key: string,
  value: unknown,
): string | { error: string } {
  if (!isDiskSlot(type, key)) return { error: 'the simulator does not model setting this option' };
  if (typeof value !== 'string') return { error: 'not a string' };
  const disk = readDisk(type, key, value);
  if (!disk) return { error: 'invalid format - unable to parse the drive string' };
  if (type === 'lxc' && key !== 'rootfs' && !disk.options.has('mp')) {
    return { error: "invalid format - missing key 'mp'" };
  }
  // A container mount point may be set to `STORAGE:SIZE` (GiB), which allocates a new volume.
  const allocates = /^[^:/]+:\d+(\.\d+)?$/.test(disk.source);
  if (allocates && (type !== 'lxc' || !/^mp\d+$/.test(key))) {
    return { error: 'the simulator does not model allocating new volumes' };
  }
  return value;
}

function firstFreeUnused(config: Record<string, ConfigValue>): string {
  for (let index = 0; index < unusedCount; index += 1) {
    const key = `unused${index}`;
    if (!Object.hasOwn(config, key)) return key;
  }
  throw serverError('too many unused volumes');
}

function entryOf(type: GuestType, config: Record<string, ConfigValue>, key: string): DiskEntry {
  const value = config[key];
  const disk = typeof value === 'string' ? readDisk(type, key, value) : null;
  if (!disk) throw serverError(`unable to parse ${key}`);
  return disk;
}

function holdsVolume(disk: DiskEntry): boolean {
  return disk.volid !== null && !disk.cdrom && !disk.bindMount;
}

/**
 * Applies the volume-holding keys of one config write to a guest, after checking all of them, so
 * a refused write changes nothing: `set` holds checked slot values, `deleted` volume keys.
 */
export function applyVolumeChanges(
  state: SimState,
  guest: InstanceState,
  type: GuestType,
  set: ReadonlyMap<string, string>,
  deleted: readonly string[],
): void {
  const config = guest.config;
  for (const key of deleted) {
    if (!Object.hasOwn(config, key)) throw serverError(`unable to delete '${key}' - not set`);
    entryOf(type, config, key);
  }
  const attached = new Map<string, string>();
  for (const [key, value] of set) {
    const disk = readDisk(type, key, value);
    if (!disk) throw serverError(`unable to parse ${key}`);
    const allocation = /^([^:/]+):(\d+)$/.exec(disk.source);
    if (allocation) {
      checkAllocation(state, guest, allocation[1] ?? '', Number(allocation[2]) * 2 ** 30);
      attached.set(key, value);
      continue;
    }
    if (!holdsVolume(disk) || disk.storage === null || disk.volid === null) {
      attached.set(key, value);
      continue;
    }
    const volume = findVolume(state, disk.storage, disk.volid, guest.node);
    if (!volume) throw serverError(`volume '${disk.volid}' does not exist`);
    if (volume.vmid !== null && volume.vmid !== guest.vmid) {
      throw serverError(`volume '${disk.volid}' belongs to guest ${volume.vmid}`);
    }
    const inUse = Object.entries(config).find(
      ([other, text]) =>
        other !== key &&
        !other.startsWith('unused') &&
        isVolumeKey(type, other) &&
        typeof text === 'string' &&
        readDisk(type, other, text)?.volid === disk.volid,
    );
    if (inUse) throw serverError(`volume '${disk.volid}' is already in use by ${inUse[0]}`);
    attached.set(key, withDiskSize(disk, type, volume.sizeBytes));
  }

  for (const key of deleted) {
    const disk = entryOf(type, config, key);
    delete config[key];
    if (key.startsWith('unused')) {
      destroyUnlessUsed(state, guest, type, disk);
    } else if (holdsVolume(disk) && disk.volid !== null) {
      config[firstFreeUnused(config)] = disk.volid;
    }
  }
  for (const [key, text] of attached) {
    const value = allocateIfAsked(state, guest, type, key, text);
    const previous = config[key];
    const volid = readDisk(type, key, value)?.volid ?? null;
    for (const [other, text] of Object.entries(config)) {
      if (other.startsWith('unused') && typeof text === 'string' && text === volid) {
        delete config[other];
      }
    }
    if (typeof previous === 'string') {
      const old = readDisk(type, key, previous);
      if (old && holdsVolume(old) && old.volid !== null && old.volid !== volid) {
        config[firstFreeUnused(config)] = old.volid;
      }
    }
    config[key] = value;
  }
}

function destroyUnlessUsed(
  state: SimState,
  guest: InstanceState,
  type: GuestType,
  disk: DiskEntry,
): void {
  if (disk.storage === null || disk.volid === null) return;
  const stillUsed = Object.entries(guest.config).some(
    ([key, text]) =>
      isVolumeKey(type, key) &&
      typeof text === 'string' &&
      readDisk(type, key, text)?.volid === disk.volid,
  );
  if (stillUsed) return;
  const storage = state.storages.get(disk.storage);
  const volume = findVolume(state, disk.storage, disk.volid, guest.node);
  if (storage && volume) storage.volumes.splice(storage.volumes.indexOf(volume), 1);
}

function checkAllocation(
  state: SimState,
  guest: InstanceState,
  storageId: string,
  sizeBytes: number,
): void {
  const storage = state.storages.get(storageId);
  if (!storage || !storage.nodes.includes(guest.node)) {
    throw serverError(`storage '${storageId}' does not exist on node '${guest.node}'`);
  }
  if (sizeBytes > storage.capacityBytes - storageUsedBytes(storage, guest.node)) {
    throw serverError(`not enough free space on storage '${storageId}'`);
  }
}

/** Allocates the new volume a `STORAGE:SIZE` value asks for and returns the value to store. */
function allocateIfAsked(
  state: SimState,
  guest: InstanceState,
  type: GuestType,
  key: string,
  value: string,
): string {
  const disk = readDisk(type, key, value);
  const allocation = disk ? /^([^:/]+):(\d+)$/.exec(disk.source) : null;
  if (!disk || !allocation) return value;
  const sizeBytes = Number(allocation[2]) * 2 ** 30;
  const volume = allocateVolume(
    state,
    allocation[1] ?? '',
    guest.vmid,
    guest.node,
    sizeBytes,
    'rootdir',
  );
  const options = new Map(disk.options);
  options.set('volume', volume.volid);
  return withDiskSize({ ...disk, options }, type, sizeBytes);
}
