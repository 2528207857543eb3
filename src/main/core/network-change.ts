import { AppError } from '../../shared/errors';
import {
  bridgeNameSchema,
  isNetKey,
  lxcInterfaceNameSchema,
  netSlotCount,
  nicModels,
  rateMBpsSchema,
  vlanTagSchema,
  type NetCreateInput,
  type NetworkInterface,
} from '../../shared/network-schemas';
import type { GuestConfig } from '../pve/api-schemas';
import { parseGuestNetworks, type GuestNetwork } from '../pve/networks';
import {
  formatPropertyString,
  parsePropertyString,
  PropertyStringError,
} from '../pve/property-string';
import type { ResourceDelta } from '../quota/approve';
import type { UserLimits } from '../quota/limits';
import { computeUsage, type GuestForUsage } from '../quota/usage';

// Network interface changes: the `netN` value each one writes, and what it costs. A value is
// always built from checked parts with formatPropertyString, never from text the user typed, and
// the cost is the guest's network usage after minus before, computed by the usage code itself,
// so an interface without a rate is priced exactly as usage counts it (the policy's unlimited
// cost, never free).

/** An interface as the contract shows it. */
export function toNetworkInterface(network: GuestNetwork): NetworkInterface {
  return {
    key: network.key,
    model: network.model,
    mac: network.mac,
    bridge: network.bridge,
    vlanTag: network.tag,
    name: network.name,
    rateBytesPerSecond: network.rateBytesPerSecond,
  };
}

/** The readable interfaces of a config, as the contract shows them, sorted by key. */
export function readNetworkInterfaces(
  type: 'qemu' | 'lxc',
  config: Readonly<Record<string, unknown>>,
): NetworkInterface[] {
  return parseGuestNetworks(type, config).networks.map(toNetworkInterface);
}

function refuse(field: string, why: string): never {
  throw new AppError('INVALID_INPUT', `${field}: ${why}`, { fields: { [field]: why } });
}

/** Checks one value again right where it enters a property string. */
function checked<T>(
  field: string,
  schema: { safeParse: (v: unknown) => { success: boolean } },
  value: T,
): T {
  if (!schema.safeParse(value).success) refuse(field, 'not a value ProxDesk can write');
  return value;
}

/** A rate as PVE's `rate` option takes it: a plain decimal number of MB/s. */
export function formatRateMBps(rateMBps: number): string {
  checked('rateMBps', rateMBpsSchema, rateMBps);
  return String(rateMBps);
}

/** The first `netN` slot the config does not use; CONFLICT when all 32 are taken. */
export function firstFreeNetKey(config: Readonly<Record<string, unknown>>): string {
  for (let index = 0; index < netSlotCount; index += 1) {
    const key = `net${index}`;
    if (!Object.hasOwn(config, key)) return key;
  }
  throw new AppError('CONFLICT', `All ${netSlotCount} network interface slots are in use.`);
}

/**
 * The `netN` value of a new interface. PVE generates the MAC address when none is given, so
 * none is written: `virtio,bridge=vmbr0,tag=20,rate=12.5` or `name=eth1,bridge=vmbr0,ip=dhcp`.
 */
export function newInterfaceValue(input: NetCreateInput): string {
  const entries: [string, string][] = [];
  if (input.type === 'qemu') {
    if (!(nicModels as readonly string[]).includes(input.model)) {
      refuse('model', 'not a NIC model PVE knows');
    }
    entries.push(['model', input.model]);
  } else {
    entries.push(['name', checked('name', lxcInterfaceNameSchema, input.name)]);
  }
  entries.push(['bridge', checked('bridge', bridgeNameSchema, input.bridge)]);
  if (input.type === 'lxc' && input.ip !== undefined) {
    if (input.ip !== 'dhcp' && input.ip !== 'manual') refuse('ip', 'expected dhcp or manual');
    entries.push(['ip', input.ip]);
  }
  if (input.vlanTag !== undefined) {
    entries.push(['tag', String(checked('vlanTag', vlanTagSchema, input.vlanTag))]);
  }
  if (input.rateMBps !== undefined) entries.push(['rate', formatRateMBps(input.rateMBps)]);
  return formatPropertyString(entries, input.type === 'qemu' ? 'model' : undefined);
}

/** Refuses a container interface name another interface of the guest already has. */
export function checkNameFree(config: Readonly<Record<string, unknown>>, name: string): void {
  const taken = parseGuestNetworks('lxc', config).networks.find((n) => n.name === name);
  if (taken) refuse('name', `${taken.key} is already called ${name}`);
}

/** The interface value stored under `key`; NOT_FOUND when the guest has no such interface. */
export function interfaceValue(config: GuestConfig, key: string, vmid: number): string {
  const value = config[key];
  if (!isNetKey(key) || typeof value !== 'string') {
    throw new AppError('NOT_FOUND', `Guest ${vmid} has no network interface ${key}.`);
  }
  return value;
}

/**
 * The interface value with its rate set to `rateMBps` (or removed for null), every other option
 * kept as it was. Null when the interface already has that rate. `rate=0` counts as no limit.
 */
export function withRate(
  type: 'qemu' | 'lxc',
  value: string,
  rateMBps: number | null,
): string | null {
  const defaultKey = type === 'qemu' ? 'model' : undefined;
  let options: Map<string, string>;
  try {
    options = parsePropertyString(value, defaultKey);
  } catch (error) {
    const why = error instanceof PropertyStringError ? error.message : 'unreadable';
    throw new AppError(
      'PVE_VALIDATION',
      `The interface cannot be read (${why}), so it was left as it is.`,
    );
  }
  const current = options.get('rate');
  const currentRate = current === undefined || Number(current) === 0 ? null : Number(current);
  if (currentRate === rateMBps) return null;

  if (rateMBps === null) options.delete('rate');
  else options.set('rate', formatRateMBps(rateMBps));
  try {
    return formatPropertyString(options, defaultKey);
  } catch (error) {
    const why = error instanceof PropertyStringError ? error.message : 'unwritable';
    throw new AppError('PVE_VALIDATION', `The interface cannot be written back (${why}).`);
  }
}

/** What a change costs: the guest's network usage after it minus before, on the guest's node. */
export function networkDelta(
  limits: UserLimits,
  guest: GuestForUsage,
  after: Readonly<Record<string, unknown>>,
): ResourceDelta {
  const before = computeUsage(limits, [guest]).networkBytesPerSecond;
  const then = computeUsage(limits, [{ ...guest, config: after }]).networkBytesPerSecond;
  const delta: ResourceDelta = { node: guest.node };
  if (then !== before) delta.networkBytesPerSecond = then - before;
  return delta;
}
