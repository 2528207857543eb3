import { nodeNameSchema } from '../../shared/ids';
import { MiB } from '../../shared/units';
import { parseGuestNetworks } from '../pve/networks';
import { parsePropertyString } from '../pve/property-string';
import { compareConfigKeys, parseGuestVolumes } from '../pve/volumes';
import { own, type UserLimits } from './limits';
import { readGuestListItems } from './list-items';

// A user's usage, derived from the configs of the guests in the user's pools. Nothing here is
// stored: the same guests give the same usage, whatever order their config keys come in.

/** One guest as usage needs it: where it is, whose pool, and its config as PVE returned it. */
export interface GuestForUsage {
  node: string;
  type: 'qemu' | 'lxc';
  vmid: number;
  pool: string | null;
  config: Readonly<Record<string, unknown>>;
  /** Cores of the guest's host (`maxcpu` of /cluster/resources), for an lxc without `cores`. */
  hostCores?: number;
}

/**
 * A guest of the user's pools whose config could not be read because PVE could not reach its node
 * (the node is down or cut off). Its use is unknown, so the usage is a lower bound: approval
 * refuses every increase the guest could affect (see approve.ts).
 */
export interface UnreadGuest {
  node: string;
  type: 'qemu' | 'lxc';
  vmid: number;
  pool: string | null;
  reason: string;
}

/** Unread guests as a sentence names them: `guest 101 on pve2`, `guests 101 on pve2, 120 on pve1`. */
export function nameUnread(unread: readonly { node: string; vmid: number }[]): string {
  const noun = unread.length === 1 ? 'guest' : 'guests';
  return `${noun} ${unread.map((guest) => `${guest.vmid} on ${guest.node}`).join(', ')}`;
}

/** Usage on one node. */
export interface NodeUsage {
  cores: number;
  memoryBytes: number;
  swapBytes: number;
  networkBytesPerSecond: number;
  /** Bytes per storage of the volumes of this node's guests (see computeUsage for shared ones). */
  storageBytes: Record<string, number>;
  /** This node's guests per CPU model. */
  cpuModels: Record<string, number>;
  /** PCI devices and mappings of this node's guests, per item. */
  pciDevices: Record<string, number>;
}

/** The numeric part of one guest's or one node's usage. */
type NumericUsage = Omit<NodeUsage, 'storageBytes' | 'cpuModels' | 'pciDevices'>;

/** What a user's guests use, in base units, with the config values that could not be counted. */
export interface Usage {
  cores: number;
  memoryBytes: number;
  swapBytes: number;
  networkBytesPerSecond: number;
  storageBytes: Record<string, number>;
  /** Guests per CPU model (`x86-64-v2-AES`). */
  cpuModels: Record<string, number>;
  /** Devices per PCI item (`mapping:gpu-a`, `host:0000:01:00.0`). */
  pciDevices: Record<string, number>;
  perNode: Record<string, NodeUsage>;
  problems: { vmid: number; key: string; reason: string }[];
  /** Guests left out because their node could not be reached, by vmid. */
  unread: UnreadGuest[];
}

/**
 * What one interface without a rate limit (no `rate`, or `rate=0`) counts as: the policy's
 * `unlimitedRateCost`, else the whole limit (global, else the node's), so it is never free.
 */
export function unlimitedInterfaceCost(limits: UserLimits, node: string): number {
  const network = limits.networkBytesPerSecond;
  return network.unlimitedRateCost ?? network.max ?? own(network.perNode, node) ?? 0;
}

/**
 * Computes a user's usage from the guests in the user's pools. Sizes missing from a volume string
 * are asked of `volumeSize` (e.g. from a storage listing); a volume attached to several slots or
 * guests counts once, on the node of the guest that holds it (the first node by name when guests
 * on several nodes hold one volume of a shared storage). `unread` guests of the user's pools are
 * carried along, uncounted.
 */
export function computeUsage(
  limits: UserLimits,
  guests: readonly GuestForUsage[],
  volumeSize?: (volume: string) => number | undefined,
  unread: readonly UnreadGuest[] = [],
): Usage {
  const usage: Usage = {
    cores: 0,
    memoryBytes: 0,
    swapBytes: 0,
    networkBytesPerSecond: 0,
    storageBytes: {},
    cpuModels: {},
    pciDevices: {},
    perNode: {},
    problems: [],
    unread: unread
      .filter((guest) => guest.pool !== null && limits.pools.includes(guest.pool))
      .map(({ node, type, vmid, pool, reason }) => ({ node, type, vmid, pool, reason }))
      .sort((a, b) => a.vmid - b.vmid),
  };
  const volumes = new Map<string, { storage: string; node: string; sizeBytes: number }>();
  const cpuModels = new Map<string, number>();
  const pciDevices = new Map<string, number>();
  const nodeLists = new Map<string, ListCounts>();

  for (const guest of guests) {
    if (guest.pool === null || !limits.pools.includes(guest.pool)) continue;
    const problem = (key: string, reason: string): void => {
      usage.problems.push({ vmid: guest.vmid, key, reason });
    };
    if (!nodeNameSchema.safeParse(guest.node).success) {
      problem('node', 'the guest is on a node whose name is not valid');
      continue;
    }

    const counted = countGuest(limits, guest, problem);
    const node = own(usage.perNode, guest.node) ?? emptyNode();
    for (const field of ['cores', 'memoryBytes', 'swapBytes', 'networkBytesPerSecond'] as const) {
      usage[field] += counted[field];
      node[field] += counted[field];
    }
    usage.perNode[guest.node] = node;

    const items = readGuestListItems(guest.type, guest.config, limits.unset.qemuCpuModel);
    for (const { key, reason } of items.problems) problem(key, reason);
    const onNode = listsOf(nodeLists, guest.node);
    if (items.cpuModel !== null) {
      increment(cpuModels, items.cpuModel);
      increment(onNode.cpuModels, items.cpuModel);
    }
    for (const device of items.pciDevices) {
      increment(pciDevices, device);
      increment(onNode.pciDevices, device);
    }

    const { volumes: found, problems } = parseGuestVolumes(guest.type, guest.config);
    for (const { key, reason } of problems) problem(key, reason);
    for (const volume of found) {
      if (volume.storage === null || (volume.kind !== 'disk' && volume.kind !== 'unused')) continue;
      const sizeBytes = volume.sizeBytes ?? validSize(volumeSize?.(volume.volume));
      if (sizeBytes === null) {
        problem(volume.key, `the size of ${volume.volume} is not known`);
        continue;
      }
      // The same volume in two slots (or two guests) is one volume on the storage. Which copy
      // wins must not depend on the order guests come in: the larger size, then the first node.
      const seen = volumes.get(volume.volume);
      if (
        seen === undefined ||
        seen.sizeBytes < sizeBytes ||
        (seen.sizeBytes === sizeBytes && guest.node < seen.node)
      ) {
        volumes.set(volume.volume, { storage: volume.storage, node: guest.node, sizeBytes });
      }
    }
  }

  for (const { storage, node, sizeBytes } of volumes.values()) {
    usage.storageBytes[storage] = (own(usage.storageBytes, storage) ?? 0) + sizeBytes;
    const onNode = own(usage.perNode, node)?.storageBytes;
    if (onNode !== undefined) onNode[storage] = (own(onNode, storage) ?? 0) + sizeBytes;
  }
  usage.cpuModels = sortedRecord(cpuModels);
  usage.pciDevices = sortedRecord(pciDevices);
  // Sorted keys everywhere, so even the serialised usage does not depend on the order of guests.
  usage.storageBytes = sortedRecord(new Map(Object.entries(usage.storageBytes)));
  for (const [name, counts] of Object.entries(usage.perNode)) {
    counts.storageBytes = sortedRecord(new Map(Object.entries(counts.storageBytes)));
    const lists = nodeLists.get(name);
    counts.cpuModels = sortedRecord(lists?.cpuModels ?? new Map());
    counts.pciDevices = sortedRecord(lists?.pciDevices ?? new Map());
  }
  usage.perNode = Object.fromEntries(
    Object.entries(usage.perNode).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  usage.problems.sort((a, b) => a.vmid - b.vmid || compareConfigKeys(a.key, b.key));
  return usage;
}

/** A node's usage before any guest on it is counted. */
export function emptyNode(): NodeUsage {
  return {
    cores: 0,
    memoryBytes: 0,
    swapBytes: 0,
    networkBytesPerSecond: 0,
    storageBytes: {},
    cpuModels: {},
    pciDevices: {},
  };
}

/** The list items counted on one node, while usage is being computed. */
interface ListCounts {
  cpuModels: Map<string, number>;
  pciDevices: Map<string, number>;
}

function listsOf(byNode: Map<string, ListCounts>, node: string): ListCounts {
  let lists = byNode.get(node);
  if (lists === undefined) {
    lists = { cpuModels: new Map(), pciDevices: new Map() };
    byNode.set(node, lists);
  }
  return lists;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** A record built with own properties only, in key order, so that equal usages compare equal. */
function sortedRecord(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function validSize(size: number | undefined): number | null {
  return size !== undefined && Number.isSafeInteger(size) && size >= 0 ? size : null;
}

type Problem = (key: string, reason: string) => void;

/** Cores, memory, swap and network of one guest; a value that cannot be read counts 0. */
function countGuest(limits: UserLimits, guest: GuestForUsage, problem: Problem): NumericUsage {
  const { config } = guest;
  const { unset } = limits;
  const result: NumericUsage = { cores: 0, memoryBytes: 0, swapBytes: 0, networkBytesPerSecond: 0 };

  if (guest.type === 'qemu') {
    const cores = readWhole(config, 'cores', problem, 1) ?? unset.qemuCores;
    const sockets = readWhole(config, 'sockets', problem, 1) ?? unset.qemuSockets;
    result.cores = cores * sockets;
    const memoryMiB = readWhole(config, 'memory', problem, 16, 'current');
    result.memoryBytes = memoryMiB === undefined ? unset.qemuMemoryBytes : memoryMiB * MiB;
  } else {
    result.cores = readWhole(config, 'cores', problem, 1) ?? lxcUnsetCores(limits, guest, problem);
    const memoryMiB = readWhole(config, 'memory', problem, 16);
    result.memoryBytes = memoryMiB === undefined ? unset.lxcMemoryBytes : memoryMiB * MiB;
    const swapMiB = readWhole(config, 'swap', problem, 0);
    result.swapBytes = swapMiB === undefined ? unset.lxcSwapBytes : swapMiB * MiB;
  }

  const { networks, problems } = parseGuestNetworks(guest.type, config);
  for (const { key, reason } of problems) problem(key, reason);
  for (const network of networks) {
    result.networkBytesPerSecond +=
      network.rateBytesPerSecond ?? unlimitedInterfaceCost(limits, guest.node);
  }
  return result;
}

function lxcUnsetCores(limits: UserLimits, guest: GuestForUsage, problem: Problem): number {
  if (limits.unset.lxcCores !== 'host') return limits.unset.lxcCores;
  if (
    guest.hostCores !== undefined &&
    Number.isSafeInteger(guest.hostCores) &&
    guest.hostCores > 0
  ) {
    return guest.hostCores;
  }
  problem(
    'cores',
    "cores is unset, so the container may use every host core, and the host's core count is not known",
  );
  return 0;
}

/**
 * A whole-number config value, which PVE may send as a number or a string (and `memory` of qemu
 * as a property string `current=4096`). Undefined when unset; a bad value is a problem and 0.
 */
function readWhole(
  config: Readonly<Record<string, unknown>>,
  key: string,
  problem: Problem,
  minimum: number,
  defaultKey?: string,
): number | undefined {
  if (!Object.hasOwn(config, key) || config[key] === undefined) return undefined;
  let value: unknown = config[key];
  if (typeof value === 'string' && defaultKey !== undefined && value.includes('=')) {
    try {
      value = parsePropertyString(value, defaultKey).get(defaultKey);
    } catch (error) {
      problem(key, error instanceof Error ? error.message : 'unreadable');
      return 0;
    }
  }
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  // 2^32 is far above any real core count or memory in MiB, and keeps byte sums exact.
  if (
    typeof number !== 'number' ||
    !Number.isSafeInteger(number) ||
    number < minimum ||
    number > 2 ** 32
  ) {
    problem(key, `expected a whole number of at least ${minimum}`);
    return 0;
  }
  return number;
}
