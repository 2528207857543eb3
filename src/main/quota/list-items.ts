import { cpuModelPattern, readCpuModel } from '../pve/cpu-model';
import { parsePropertyString } from '../pve/property-string';
import { compareConfigKeys, type ConfigProblem } from '../pve/volumes';

// The list resources of a guest: its CPU model and its PCI devices or mappings, read from the
// config as the names that policy patterns are matched against. Each config key is read on its
// own, so one unreadable key is a problem and the rest still count.

/**
 * A PCI item as the policy matches it: `mapping:<id>` for a cluster resource mapping, or
 * `host:<domain>:<bus>:<device>[.<function>]` for a host device, in lower case with the domain
 * always written, so `01:00.0` and `0000:01:00.0` are the same device.
 */
export const pciItemPattern =
  /^(mapping:[A-Za-z][A-Za-z0-9_-]{0,127}|host:[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}(\.[0-7])?)$/;

const hostpciKey = /^hostpci([0-9]|1[0-5])$/;
const pciId = /^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([0-9a-f]{2})(\.[0-7])?$/i;
const mappingId = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/** What one guest has of the list resources, with the keys that could not be read. */
export interface GuestListItems {
  /** The VM's CPU model; null for a container, which has none, or when `cpu` is unreadable. */
  cpuModel: string | null;
  /** One entry per device or mapping, sorted by config key. */
  pciDevices: string[];
  problems: ConfigProblem[];
}

/**
 * Reads the CPU model (`cpu`, default key `cputype`; unset means `unsetCpuModel`) and the PCI
 * devices (`hostpciN`, default key `host`, or `mapping=`) of a guest config.
 */
export function readGuestListItems(
  type: 'qemu' | 'lxc',
  config: Readonly<Record<string, unknown>>,
  unsetCpuModel: string,
): GuestListItems {
  const result: GuestListItems = { cpuModel: null, pciDevices: [], problems: [] };
  // Containers run on the host's CPU and cannot pass PCI devices through.
  if (type !== 'qemu') return result;

  try {
    result.cpuModel = countedCpuModel(config, unsetCpuModel);
  } catch (error) {
    result.problems.push({ key: 'cpu', reason: reasonOf(error) });
  }

  const keys = Object.keys(config).filter((key) => hostpciKey.test(key));
  for (const key of keys.sort(compareConfigKeys)) {
    try {
      result.pciDevices.push(...readHostPci(config[key]));
    } catch (error) {
      result.problems.push({ key, reason: reasonOf(error) });
    }
  }
  return result;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : 'unreadable';
}

function countedCpuModel(config: Readonly<Record<string, unknown>>, unsetCpuModel: string): string {
  const named = Object.hasOwn(config, 'cpu') ? readCpuModel(config.cpu) : null;
  // A VM whose `cpu` names no model (none at all, or flags only) runs PVE's default model.
  const model = named ?? unsetCpuModel;
  if (!cpuModelPattern.test(model)) throw new Error(`"${model}" is not a CPU model name`);
  return model;
}

function readHostPci(value: unknown): string[] {
  if (typeof value !== 'string') throw new Error('expected a property string');
  const entries = parsePropertyString(value, 'host');
  const host = entries.get('host');
  const mapping = entries.get('mapping');
  if (host !== undefined && mapping !== undefined) {
    throw new Error('names both a host device and a mapping');
  }
  if (mapping !== undefined) {
    if (!mappingId.test(mapping)) throw new Error(`"${mapping}" is not a mapping id`);
    return [`mapping:${mapping}`];
  }
  if (host === undefined) throw new Error('names neither a host device nor a mapping');
  // `host=01:00.0;02:00.0` passes several devices through one slot; each is a device.
  return host.split(';').map((id) => {
    const match = pciId.exec(id);
    if (!match) throw new Error(`"${id}" is not a PCI device id`);
    const [, domain = '0000', bus = '', device = '', fn = ''] = match;
    return `host:${domain}:${bus}:${device}${fn}`.toLowerCase();
  });
}
