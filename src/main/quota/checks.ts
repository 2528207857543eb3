import { AppError } from '../../shared/errors';
import { nodeNameSchema, storageIdSchema } from '../../shared/ids';
import { cpuModelPattern } from '../pve/cpu-model';
import type { ResourceDelta } from './approve';
import type { UserLimits } from './limits';
import { pciItemPattern } from './list-items';
import type { QuantityUnit } from './units';
import type { Usage } from './usage';

// The numeric quota resources, and the checks every number passes before the engine uses it: a
// NaN or an infinity must never turn into a quiet "fits".

/** The numeric resources: their field in usage, limits and deltas, id, label and unit. */
export const numericResources: ReadonlyArray<{
  field: 'cores' | 'memoryBytes' | 'swapBytes' | 'networkBytesPerSecond';
  resource: string;
  label: string;
  unit: QuantityUnit;
}> = [
  { field: 'cores', resource: 'cores', label: 'Cores', unit: 'count' },
  { field: 'memoryBytes', resource: 'memory', label: 'Memory', unit: 'bytes' },
  { field: 'swapBytes', resource: 'swap', label: 'Swap', unit: 'bytes' },
  {
    field: 'networkBytesPerSecond',
    resource: 'network',
    label: 'Network rate',
    unit: 'bytesPerSecond',
  },
];

/** The list resources: their field in usage and deltas, the limits field, id prefix and label. */
export const listResources: ReadonlyArray<{
  field: 'cpuModels' | 'pciDevices';
  resource: string;
  label: string;
  itemPattern: RegExp;
}> = [
  { field: 'cpuModels', resource: 'cpuModel', label: 'CPU model', itemPattern: cpuModelPattern },
  { field: 'pciDevices', resource: 'pci', label: 'PCI', itemPattern: pciItemPattern },
];

function finite(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AppError('INVALID_INPUT', `${what} must be a finite number.`);
  }
}

function whole(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new AppError('INVALID_INPUT', `${what} must be a whole number.`);
  }
}

/** Throws INVALID_INPUT unless the change names a valid node, storages and items, with numbers. */
export function checkDelta(delta: ResourceDelta): void {
  if (!nodeNameSchema.safeParse(delta?.node).success) {
    throw new AppError('INVALID_INPUT', 'A change must name a valid node.');
  }
  for (const { field, label } of numericResources) {
    if (delta[field] !== undefined) finite(delta[field], `The change in ${label.toLowerCase()}`);
  }
  for (const [storage, bytes] of Object.entries(delta.storageBytes ?? {})) {
    if (!storageIdSchema.safeParse(storage).success) {
      throw new AppError('INVALID_INPUT', 'A change names a storage whose id is not valid.');
    }
    finite(bytes, `The change on storage ${storage}`);
  }
  for (const { field, label, itemPattern } of listResources) {
    for (const [item, count] of Object.entries(delta[field] ?? {})) {
      if (!itemPattern.test(item)) {
        throw new AppError('INVALID_INPUT', `A change names a ${label} item that is not valid.`);
      }
      whole(count, `The change of ${label} ${item}`);
    }
  }
}

/** Throws INVALID_INPUT unless every number of the usage is finite. */
export function checkUsage(usage: Usage): void {
  for (const { field, label } of numericResources) {
    finite(usage[field], `${label} in use`);
    for (const [node, counts] of Object.entries(usage.perNode)) {
      finite(counts[field], `${label} in use on ${node}`);
    }
  }
  for (const [storage, bytes] of Object.entries(usage.storageBytes)) {
    finite(bytes, `Storage ${storage} in use`);
  }
  for (const [node, counts] of Object.entries(usage.perNode)) {
    for (const [storage, bytes] of Object.entries(counts.storageBytes)) {
      finite(bytes, `Storage ${storage} in use on ${node}`);
    }
  }
  for (const { field, label } of listResources) {
    for (const [item, count] of Object.entries(usage[field])) {
      whole(count, `${label} ${item} in use`);
    }
    for (const [node, counts] of Object.entries(usage.perNode)) {
      for (const [item, count] of Object.entries(counts[field])) {
        whole(count, `${label} ${item} in use on ${node}`);
      }
    }
  }
}

/** Throws INVALID_INPUT unless every limit is null or finite. */
export function checkLimits(limits: UserLimits): void {
  for (const { field, label } of numericResources) {
    const { max, perNode } = limits[field];
    if (max !== null) finite(max, `The ${label.toLowerCase()} limit`);
    for (const [node, value] of Object.entries(perNode)) {
      finite(value, `The ${label.toLowerCase()} limit on ${node}`);
    }
  }
  for (const [storage, { maxBytes, perNode }] of Object.entries(limits.storage)) {
    if (maxBytes !== null) finite(maxBytes, `The limit on storage ${storage}`);
    for (const [node, value] of Object.entries(perNode)) {
      finite(value, `The limit on storage ${storage} on ${node}`);
    }
  }
  for (const rule of [...limits.cpuModels, ...limits.pciDevices]) {
    whole(rule.max, `The limit for ${rule.match}`);
    for (const [node, value] of Object.entries(rule.perNode ?? {})) {
      whole(value, `The limit for ${rule.match} on ${node}`);
    }
  }
}
