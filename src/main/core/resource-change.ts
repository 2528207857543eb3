import { AppError } from '../../shared/errors';
import type { GuestResources } from '../../shared/operation-schemas';
import type { GuestConfig } from '../pve/api-schemas';
import { readCpuModel } from '../pve/cpu-model';
import { formatPropertyString, parsePropertyString } from '../pve/property-string';
import { usageDifference, type ResourceDelta } from '../quota/approve';
import type { UserLimits } from '../quota/limits';
import { computeUsage, type GuestForUsage } from '../quota/usage';

// A change of a guest's CPU and memory settings: which config values it writes, and what it
// costs. The cost is the difference between the usage of the guest before and after, computed by
// the same code as the user's usage, so unset values are priced exactly as usage counts them.

/** What the user asks to set; absent fields stay as they are. */
export interface ResourceRequest {
  cores?: number;
  sockets?: number;
  memoryMiB?: number;
  swapMiB?: number;
  cpuType?: string;
}

/** The config values to write and the guest's config as it will be afterwards. */
export interface PlannedChange {
  /** Only the values that differ from the current config, as PVE's `PUT .../config` takes them. */
  params: Record<string, string | number>;
  after: GuestConfig;
}

/** A whole number from a config value that PVE may send as a number, a string or `current=N`. */
function readCount(value: unknown, defaultKey?: string): number | null {
  let text: unknown = value;
  if (typeof text === 'string' && defaultKey !== undefined && text.includes('=')) {
    try {
      text = parsePropertyString(text, defaultKey).get(defaultKey);
    } catch {
      return null;
    }
  }
  if (typeof text === 'number' && Number.isSafeInteger(text)) return text;
  if (typeof text === 'string' && /^\d+$/.test(text)) return Number(text);
  return null;
}

/** The CPU model a qemu `cpu` value names; null when it names none or cannot be read. */
function cpuModelOf(value: unknown): string | null {
  try {
    return readCpuModel(value);
  } catch {
    return null;
  }
}

/** A guest's CPU and memory settings as its config states them (null when unset). */
export function readGuestResources(type: 'qemu' | 'lxc', config: GuestConfig): GuestResources {
  return {
    cores: readCount(config.cores),
    sockets: type === 'qemu' ? readCount(config.sockets) : null,
    memoryMiB: readCount(config.memory, type === 'qemu' ? 'current' : undefined),
    swapMiB: type === 'lxc' ? readCount(config.swap) : null,
    cpuType: type === 'qemu' ? cpuModelOf(config.cpu) : null,
  };
}

function refuseField(field: string, why: string): never {
  throw new AppError('INVALID_INPUT', `${field}: ${why}`, { fields: { [field]: why } });
}

/** Throws INVALID_INPUT for a field the guest type does not have (sockets of a container, ...). */
export function checkResourceFields(type: 'qemu' | 'lxc', request: ResourceRequest): void {
  if (type === 'lxc' && request.sockets !== undefined) {
    refuseField('sockets', 'a container has no sockets; set cores instead');
  }
  if (type === 'lxc' && request.cpuType !== undefined) {
    refuseField('cpuType', 'a container uses the host CPU; it has no CPU model');
  }
  if (type === 'qemu' && request.swapMiB !== undefined) {
    refuseField('swapMiB', 'a VM has no swap setting; its swap lives inside the guest');
  }
}

/** Plans the config writes of a request; refuses fields the guest type does not have. */
export function planResourceChange(
  type: 'qemu' | 'lxc',
  config: GuestConfig,
  request: ResourceRequest,
): PlannedChange {
  checkResourceFields(type, request);
  const current = readGuestResources(type, config);
  const params: Record<string, string | number> = {};
  const after: GuestConfig = { ...config };
  const set = (key: string, value: string | number): void => {
    params[key] = value;
    after[key] = value;
  };

  if (request.cores !== undefined && request.cores !== current.cores) set('cores', request.cores);
  if (request.sockets !== undefined && request.sockets !== current.sockets) {
    set('sockets', request.sockets);
  }
  if (request.memoryMiB !== undefined && request.memoryMiB !== current.memoryMiB) {
    // PVE 9 types qemu `memory` as a property string (`[current=]N`) and lxc `memory` as a number.
    set('memory', type === 'qemu' ? String(request.memoryMiB) : request.memoryMiB);
  }
  if (request.swapMiB !== undefined && request.swapMiB !== current.swapMiB) {
    set('swap', request.swapMiB);
  }
  if (request.cpuType !== undefined && request.cpuType !== current.cpuType) {
    // Keep the other CPU options (flags, hidden, ...) and change only the model.
    let options = new Map<string, string>();
    if (typeof config.cpu === 'string') {
      try {
        options = parsePropertyString(config.cpu, 'cputype');
      } catch {
        options = new Map();
      }
    }
    options.set('cputype', request.cpuType);
    set('cpu', formatPropertyString(options, 'cputype'));
  }
  return { params, after };
}

/**
 * What the change costs: the usage of the guest after it minus the usage before, on the guest's
 * node. Besides cores, memory and swap this includes the CPU model: a VM that changes model
 * leaves one guest of the old model and adds one of the new, which the policy's `cpuModels`
 * rules count per matching rule. Zero differences are left out.
 */
export function resourceDelta(
  limits: UserLimits,
  guest: GuestForUsage,
  after: GuestConfig,
): ResourceDelta {
  const before = computeUsage(limits, [guest]);
  const then = computeUsage(limits, [{ ...guest, config: after }]);
  return usageDifference(before, then, guest.node);
}
