import { parsePropertyString, printPropertyString, type PropertyMap } from './property-string.js';
import { parseSizeBytes, formatSize } from './sizes.js';

/** The two kinds of PVE guests. */
export type GuestType = 'qemu' | 'lxc';

/** A value in a guest config, exactly as PVE's `GET .../config` returns it. */
export type ConfigValue = string | number;

const qemuSlot =
  /^(ide[0-3]|sata[0-5]|scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|efidisk0|tpmstate0)$/;
const lxcSlot = /^(rootfs|mp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]))$/;
const unusedSlot = /^unused([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;
const volumeId = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/i;

/** Whether a config key is a disk slot a guest of this type can attach (and resize). */
export function isDiskSlot(type: GuestType, key: string): boolean {
  return type === 'qemu' ? qemuSlot.test(key) : lxcSlot.test(key);
}

/** Every disk slot name of a guest type, in PVE's order (the `disk` enumeration of resize). */
export function diskSlotNames(type: GuestType): string[] {
  const range = (prefix: string, last: number): string[] =>
    Array.from({ length: last + 1 }, (_unused, i) => `${prefix}${i}`);
  if (type === 'lxc') return ['rootfs', ...range('mp', 255)];
  return [
    ...range('ide', 3),
    ...range('scsi', 30),
    ...range('virtio', 15),
    ...range('sata', 5),
    'efidisk0',
    'tpmstate0',
  ];
}

/** Whether a config key holds a volume: an attached disk slot or an `unusedN` entry. */
export function isVolumeKey(type: GuestType, key: string): boolean {
  return isDiskSlot(type, key) || unusedSlot.test(key);
}

/** One disk, mount point or unused volume of a guest, as read from its config. */
export interface DiskEntry {
  key: string;
  /** The default-key value: a volume id, `none`, `cdrom`, or a host path. */
  source: string;
  /** Storage and volume id when the source is a storage volume, else null. */
  storage: string | null;
  volid: string | null;
  /** The `size=` option in bytes, or null when the config carries none. */
  sizeBytes: number | null;
  cdrom: boolean;
  /** An lxc mount point backed by a host path rather than a storage volume. */
  bindMount: boolean;
  options: PropertyMap;
}

function defaultKeyOf(type: GuestType, key: string): string {
  if (unusedSlot.test(key)) return 'file';
  return type === 'qemu' ? 'file' : 'volume';
}

/** Reads one volume-holding config entry; null when the property string is malformed. */
export function readDisk(type: GuestType, key: string, value: string): DiskEntry | null {
  const defaultKey = defaultKeyOf(type, key);
  const options = parsePropertyString(value, defaultKey);
  const source = options?.get(defaultKey);
  if (!options || source === undefined) return null;
  const match = source.startsWith('/') ? null : volumeId.exec(source);
  const sizeText = options.get('size');
  const sizeBytes = sizeText === undefined ? null : parseSizeBytes(sizeText);
  if (sizeText !== undefined && sizeBytes === null) return null;
  return {
    key,
    source,
    storage: match?.[1] ?? null,
    volid: match ? source : null,
    sizeBytes,
    cdrom: type === 'qemu' && (options.get('media') === 'cdrom' || source === 'cdrom'),
    bindMount: type === 'lxc' && source.startsWith('/'),
    options,
  };
}

/** Every volume-holding entry of a config, in config order; malformed entries are skipped. */
export function listDisks(type: GuestType, config: Record<string, ConfigValue>): DiskEntry[] {
  const disks: DiskEntry[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!isVolumeKey(type, key) || typeof value !== 'string') continue;
    const disk = readDisk(type, key, value);
    if (disk) disks.push(disk);
  }
  return disks;
}

/** Rewrites a disk's property string with a new `size=`, printed as PVE prints it. */
export function withDiskSize(disk: DiskEntry, type: GuestType, sizeBytes: number): string {
  const options = new Map(disk.options);
  options.set('size', formatSize(sizeBytes));
  return printPropertyString(options, defaultKeyOf(type, disk.key));
}
