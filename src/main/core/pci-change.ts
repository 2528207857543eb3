import { AppError } from '../../shared/errors';
import {
  hostpciKeySchema,
  hostpciSlotCount,
  pciIdSchema,
  pciMappingIdSchema,
  type PciAttached,
  type PciAttachInput,
  type PciFlags,
} from '../../shared/pci-schemas';
import type { GuestConfig } from '../pve/api-schemas';
import {
  formatPropertyString,
  parsePropertyString,
  PropertyStringError,
} from '../pve/property-string';
import type { ResourceDelta } from '../quota/approve';
import type { UserLimits } from '../quota/limits';
import { computeUsage, type GuestForUsage } from '../quota/usage';

// PCI passthrough changes: the `hostpciN` value each one writes, and what it costs. Values are
// built from checked parts with formatPropertyString only; the cost is the guest's PCI usage
// after minus before, counted by the usage code itself so attach and usage never disagree.

function refuse(field: string, why: string): never {
  throw new AppError('INVALID_INPUT', `${field}: ${why}`, { fields: { [field]: why } });
}

const flagKeys = [
  ['pcie', 'pcie'],
  ['xVga', 'x-vga'],
  ['rombar', 'rombar'],
] as const;

function flagEntries(flags: PciFlags, options: Map<string, string>): void {
  for (const [field, key] of flagKeys) {
    const value = flags[field];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') refuse(field, 'expected true or false');
    options.set(key, value ? '1' : '0');
  }
}

/** The `hostpciN` value of a new device: `mapping=lab-gpu,pcie=1` or `0000:01:00.0,x-vga=1`. */
export function newPciValue(input: PciAttachInput): string {
  const options = new Map<string, string>();
  if ('mapping' in input.device) {
    if (!pciMappingIdSchema.safeParse(input.device.mapping).success) {
      refuse('device.mapping', 'not a resource mapping id');
    }
    options.set('mapping', input.device.mapping);
  } else {
    if (!pciIdSchema.safeParse(input.device.host).success) refuse('device.host', 'not a PCI id');
    options.set('host', input.device.host.toLowerCase());
  }
  flagEntries(input, options);
  return formatPropertyString(options, 'host');
}

/** The first `hostpciN` slot the config does not use; CONFLICT when all are taken. */
export function firstFreePciKey(config: Readonly<Record<string, unknown>>): string {
  for (let index = 0; index < hostpciSlotCount; index += 1) {
    const key = `hostpci${index}`;
    if (!Object.hasOwn(config, key)) return key;
  }
  throw new AppError('CONFLICT', `All ${hostpciSlotCount} PCI device slots are in use.`);
}

function parsed(value: string): Map<string, string> {
  try {
    return parsePropertyString(value, 'host');
  } catch (error) {
    const why = error instanceof PropertyStringError ? error.message : 'unreadable';
    throw new AppError('PVE_VALIDATION', `The PCI device cannot be read (${why}).`);
  }
}

function flag(options: Map<string, string>, key: string): boolean | null {
  const value = options.get(key);
  if (value === undefined) return null;
  return value === '1' || value === 'on' || value === 'yes' || value === 'true';
}

/** One attached device as the contract shows it. */
export function toPciAttached(key: string, value: string): PciAttached {
  const options = parsed(value);
  const host = options.get('host');
  return {
    key,
    mapping: options.get('mapping') ?? null,
    host: host === undefined ? [] : host.split(';'),
    pcie: flag(options, 'pcie') ?? false,
    xVga: flag(options, 'x-vga') ?? false,
    rombar: flag(options, 'rombar'),
  };
}

/** Every readable `hostpciN` of a config, by slot number; unreadable slots are left out. */
export function readAttachedPci(config: Readonly<Record<string, unknown>>): PciAttached[] {
  const found: PciAttached[] = [];
  for (let index = 0; index < hostpciSlotCount; index += 1) {
    const key = `hostpci${index}`;
    const value = config[key];
    if (typeof value !== 'string') continue;
    try {
      found.push(toPciAttached(key, value));
    } catch {
      // A slot ProxDesk cannot read is still counted by the quota; it is just not shown.
    }
  }
  return found;
}

/** The value stored under `key`; NOT_FOUND when the VM has no such device. */
export function pciValue(config: GuestConfig, key: string, vmid: number): string {
  const value = config[key];
  if (!hostpciKeySchema.safeParse(key).success || typeof value !== 'string') {
    throw new AppError('NOT_FOUND', `VM ${vmid} has no PCI device ${key}.`);
  }
  return value;
}

/** The value with the given flags set, everything else kept; null when nothing changes. */
export function withPciFlags(value: string, flags: PciFlags): string | null {
  const options = parsed(value);
  const before = formatPropertyString(options, 'host');
  flagEntries(flags, options);
  let after: string;
  try {
    after = formatPropertyString(options, 'host');
  } catch (error) {
    const why = error instanceof PropertyStringError ? error.message : 'unwritable';
    throw new AppError('PVE_VALIDATION', `The PCI device cannot be written back (${why}).`);
  }
  return after === before ? null : after;
}

/** What a change costs: the guest's PCI items after it minus before. */
export function pciDelta(
  limits: UserLimits,
  guest: GuestForUsage,
  after: Readonly<Record<string, unknown>>,
): ResourceDelta {
  const before = computeUsage(limits, [guest]).pciDevices;
  const then = computeUsage(limits, [{ ...guest, config: after }]).pciDevices;
  const change: Record<string, number> = {};
  for (const item of new Set([...Object.keys(before), ...Object.keys(then)])) {
    const difference = (then[item] ?? 0) - (before[item] ?? 0);
    if (difference !== 0) change[item] = difference;
  }
  const delta: ResourceDelta = { node: guest.node };
  if (Object.keys(change).length > 0) delta.pciDevices = change;
  return delta;
}
