import { isDiskKey, storageIdSchema } from '../../shared/ids';
import { parsePropertyString } from './property-string';
import { parseSize } from './sizes';

// The disks, mount points and unused volumes of a guest, read from its config. Each config key is
// read on its own: one unreadable key becomes a problem for the caller to show, never a failure
// of the whole config.

/** The kind of slot a volume sits in: a qemu bus, an lxc rootfs or mount point, or `unused`. */
export type VolumeBus =
  'ide' | 'sata' | 'scsi' | 'virtio' | 'efidisk' | 'tpmstate' | 'rootfs' | 'mp' | 'unused';

/** One disk, mount point or unused volume of a guest. */
export interface GuestVolume {
  key: string;
  bus: VolumeBus;
  /** The volume id, a host path (bind mount or passthrough disk), `none` or `cdrom`. */
  volume: string;
  storage: string | null;
  sizeBytes: number | null;
  kind: 'disk' | 'cdrom' | 'unused' | 'bind' | 'empty';
  /** The path inside an lxc container (`/` for the rootfs). */
  mountPath: string | null;
}

/** A config key that could not be read, and why. */
export interface ConfigProblem {
  key: string;
  reason: string;
}

const unusedKey = /^unused([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;
// PVE accepts `STORAGE:SIZE_IN_GiB` to allocate a new volume; it never stores that form.
const allocationRequest = /^[^:/]+:\d+(\.\d+)?$/;

/** The storage id of a volume id (`local-lvm:vm-100-disk-0` -> `local-lvm`); null for paths. */
export function storageOfVolume(volume: string): string | null {
  if (typeof volume !== 'string' || volume.startsWith('/')) return null;
  const colon = volume.indexOf(':');
  if (colon <= 0) return null;
  const storage = volume.slice(0, colon);
  return storageIdSchema.safeParse(storage).success ? storage : null;
}

/** Reads every volume of a guest config, sorted by key; unreadable keys come back as problems. */
export function parseGuestVolumes(
  type: 'qemu' | 'lxc',
  config: Readonly<Record<string, unknown>>,
): { volumes: GuestVolume[]; problems: ConfigProblem[] } {
  const volumes: GuestVolume[] = [];
  const problems: ConfigProblem[] = [];

  for (const key of Object.keys(config).sort(compareConfigKeys)) {
    const unused = unusedKey.test(key);
    if (!unused && !isDiskKey(type, key)) continue;
    const value = config[key];
    try {
      if (typeof value !== 'string') throw new Error('expected a property string');
      if (unused) volumes.push(readUnused(key, value));
      else if (type === 'qemu') volumes.push(readQemuDisk(key, value));
      else volumes.push(readMountPoint(key, value));
    } catch (error) {
      problems.push({ key, reason: error instanceof Error ? error.message : 'unreadable' });
    }
  }

  return { volumes, problems };
}

// One collator for every comparison: `localeCompare` with options builds a new one per call,
// which made sorting the keys of thousands of configs a visible part of computing usage.
const keyCollator = new Intl.Collator('en', { numeric: true });

/** Sorts `scsi2` before `scsi10`, so the order never depends on how the config was listed. */
export function compareConfigKeys(a: string, b: string): number {
  return keyCollator.compare(a, b);
}

function busOf(key: string): VolumeBus {
  const bus = key.replace(/\d+$/, '');
  switch (bus) {
    case 'ide':
    case 'sata':
    case 'scsi':
    case 'virtio':
    case 'efidisk':
    case 'tpmstate':
    case 'rootfs':
    case 'mp':
    case 'unused':
      return bus;
    default:
      throw new Error(`"${key}" is not a volume key`);
  }
}

/** The volume of a property string; `file` and `volume` name the same thing in PVE. */
function volumeOf(entries: Map<string, string>): string {
  const file = entries.get('file');
  const volume = entries.get('volume');
  if (file !== undefined && volume !== undefined) {
    throw new Error('names its volume twice (file= and volume=)');
  }
  const result = file ?? volume;
  if (result === undefined) throw new Error('names no volume');
  if (allocationRequest.test(result)) {
    throw new Error(`"${result}" is a request to allocate a volume, not an existing volume`);
  }
  return result;
}

function sizeOf(entries: Map<string, string>): number | null {
  const size = entries.get('size');
  return size === undefined ? null : parseSize(size);
}

function storageOrFail(volume: string): string {
  const storage = storageOfVolume(volume);
  if (storage === null) throw new Error(`"${volume}" is neither a storage volume nor a path`);
  return storage;
}

function readQemuDisk(key: string, value: string): GuestVolume {
  const entries = parsePropertyString(value, 'file');
  const volume = volumeOf(entries);
  const bus = busOf(key);
  const media = entries.get('media');
  if (media !== undefined && media !== 'cdrom' && media !== 'disk') {
    throw new Error(`media "${media}" is neither cdrom nor disk`);
  }
  const sizeBytes = sizeOf(entries);
  const base = { key, bus, volume, sizeBytes, mountPath: null };

  if (volume === 'none') return { ...base, storage: null, sizeBytes: null, kind: 'empty' };
  // `cdrom` as the volume is the host's physical CD drive.
  if (volume === 'cdrom') return { ...base, storage: null, sizeBytes: null, kind: 'cdrom' };
  // A passthrough disk (a host device path) is a disk, but not on any PVE storage.
  const storage = volume.startsWith('/') ? null : storageOrFail(volume);
  return { ...base, storage, kind: media === 'cdrom' ? 'cdrom' : 'disk' };
}

function readMountPoint(key: string, value: string): GuestVolume {
  const entries = parsePropertyString(value, 'volume');
  const volume = volumeOf(entries);
  const bus = busOf(key);
  let mountPath: string;
  if (bus === 'rootfs') {
    mountPath = '/';
  } else {
    const path = entries.get('mp');
    if (path === undefined) throw new Error('has no mount path (mp=)');
    mountPath = path;
  }

  // A bind mount (a host directory or device) has no storage and no size of its own.
  if (volume.startsWith('/')) {
    return { key, bus, volume, storage: null, sizeBytes: null, kind: 'bind', mountPath };
  }
  const sizeBytes = sizeOf(entries);
  return { key, bus, volume, storage: storageOrFail(volume), sizeBytes, kind: 'disk', mountPath };
}

function readUnused(key: string, value: string): GuestVolume {
  // Usually just the volume id; PVE keeps no size for a detached volume, but read one if present.
  const entries = parsePropertyString(value, 'file');
  const volume = volumeOf(entries);
  const storage = storageOrFail(volume);
  const sizeBytes = sizeOf(entries);
  return { key, bus: 'unused', volume, storage, sizeBytes, kind: 'unused', mountPath: null };
}

/**
 * Whether PVE can grow a volume with `resize`: a disk on a storage. EFI vars and TPM state
 * volumes have sizes fixed by their format, and PVE refuses to resize them.
 */
export function isResizableVolume(volume: GuestVolume): boolean {
  return (
    volume.kind === 'disk' &&
    volume.storage !== null &&
    volume.bus !== 'efidisk' &&
    volume.bus !== 'tpmstate'
  );
}
