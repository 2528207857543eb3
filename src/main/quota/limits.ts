import type { Policy, PolicyEntry, StorageBus } from './policy-schema';
import { compileMatcher } from './match';
import { storageBuses } from './policy-schema';

// One user's effective limits, resolved from the policy's user, pool and group entries. Each field
// comes from the most specific level that sets it: the user's own entry, else the entries of the
// user's pools, else the entries of the user's groups. When several entries of one level set the
// same field, the most generous wins (like PVE's union of group rights): the largest `max`, with
// "no max" largest of all; lists (nodes, vmid ranges, patterns, templates) are combined.

/** A numeric limit in base units; `max` null means no global limit. */
export interface NumericLimit {
  max: number | null;
  perNode: Record<string, number>;
}

/** The network limit, plus what an interface without a rate counts as. */
export interface NetworkLimit extends NumericLimit {
  /** Bytes/s counted for an unlimited interface; null means the whole limit (see usage.ts). */
  unlimitedRateCost: number | null;
}

/** The limit on one PVE storage and the disk slots that may use it. */
export interface StorageLimit {
  maxBytes: number | null;
  /** Bytes on this storage of the guests on one node. */
  perNode: Record<string, number>;
  buses: StorageBus[];
}

/** A pattern (glob or /regex/) with how many matching items a user may have. */
export interface ListLimit {
  match: string;
  max: number;
  /** How many matching items the guests on one node may have; absent when no node is limited. */
  perNode?: Record<string, number>;
  /** What people see for this entry instead of the pattern (`Lab GPU`). */
  label?: string;
}

/** An allow-list entry for installation media, matched against the volume id. */
export interface MediaRule {
  match: string;
  /** What people see for this entry instead of the pattern (`Debian installers`). */
  label?: string;
}

/** An inclusive range of guest ids. */
export interface VmidRange {
  min: number;
  max: number;
}

/** What a template adds to a new instance, and what it costs, in base units. */
export interface InstanceTemplate {
  name: string;
  type: 'qemu' | 'lxc';
  description: string | null;
  config: Record<string, string | number | boolean>;
  cost: {
    cores: number;
    memoryBytes: number;
    swapBytes: number;
    networkBytesPerSecond: number;
    storageBytes: Record<string, number>;
  };
}

/** What an unset config value counts as, from the policy's `unset` section. */
export interface UnsetValues {
  qemuCores: number;
  qemuSockets: number;
  qemuMemoryBytes: number;
  /** `host`: an lxc without `cores` may use every host core, so it counts the host's cores. */
  lxcCores: number | 'host';
  lxcMemoryBytes: number;
  lxcSwapBytes: number;
  /** The CPU model of a VM whose config has no `cpu`. */
  qemuCpuModel: string;
}

/** The effective limits of one user, in base units (counts, bytes, bytes per second). */
export interface UserLimits {
  userid: string;
  /** Whether the policy lets this user open the admin view and import a policy. */
  admin: boolean;
  cores: NumericLimit;
  memoryBytes: NumericLimit;
  swapBytes: NumericLimit;
  networkBytesPerSecond: NetworkLimit;
  /** Per storage id; a storage not listed has no limit and allows every bus. */
  storage: Record<string, StorageLimit>;
  cpuModels: ListLimit[];
  pciDevices: ListLimit[];
  /** ISO images the user may boot or insert, by volume id; null means any the storage lists. */
  isoImages: MediaRule[] | null;
  /** Container templates (vztmpl) the user may create from; null means any the storage lists. */
  containerTemplates: MediaRule[] | null;
  /** Nodes the user may place guests on; null means any node. */
  nodes: string[] | null;
  /** The pools whose guests are this user's and count against the quota. */
  pools: string[];
  /** Guest ids the user may create; null means any id. */
  vmidRanges: VmidRange[] | null;
  templates: InstanceTemplate[];
  backups: { max: number | null };
  unset: UnsetValues;
}

type Entry = PolicyEntry;
type Levels = readonly (readonly Entry[])[];

/** The effective limits of a user in the given PVE groups; null when the policy names neither. */
export function resolveUserLimits(
  policy: Policy,
  userid: string,
  groups: readonly string[] = [],
): UserLimits | null {
  const user = own(policy.users, userid);
  const groupEntries = sortedUnique(groups)
    .map((group) => own(policy.groups, group))
    .filter((entry): entry is Entry => entry !== undefined);
  if (user === undefined && groupEntries.length === 0) return null;

  const pools = user?.pools ?? sortedUnique(groupEntries.flatMap((entry) => entry.pools ?? []));
  const poolEntries = sortedUnique(pools)
    .map((pool) => own(policy.pools, pool))
    .filter((entry): entry is Entry => entry !== undefined);
  const levels: Levels = [user === undefined ? [] : [user], poolEntries, groupEntries];

  return {
    userid,
    admin: user?.admin ?? groupEntries.some((entry) => entry.admin === true),
    cores: numeric(pick(levels, (e) => e.cores)),
    memoryBytes: numeric(pick(levels, (e) => e.memory)),
    swapBytes: numeric(pick(levels, (e) => e.swap)),
    networkBytesPerSecond: network(levels),
    storage: storage(levels),
    cpuModels: mostGenerousRules(combine(levels, (e) => e.cpuModels) ?? []),
    pciDevices: mostGenerousRules(combine(levels, (e) => e.pci) ?? []),
    isoImages: mediaRules(combine(levels, (e) => e.isoImages)),
    containerTemplates: mediaRules(combine(levels, (e) => e.containerTemplates)),
    nodes: uniqueOrNull(combine(levels, (e) => e.nodes)),
    pools: [...pools],
    vmidRanges: combine(levels, (e) => (e.vmids ? [e.vmids] : undefined)) ?? null,
    templates: templates(levels),
    backups: { max: pick(levels, (e) => e.backups)?.max ?? null },
    unset: {
      qemuCores: policy.unset.qemuCores,
      qemuSockets: policy.unset.qemuSockets,
      qemuMemoryBytes: policy.unset.qemuMemory,
      lxcCores: policy.unset.lxcCores,
      lxcMemoryBytes: policy.unset.lxcMemory,
      lxcSwapBytes: policy.unset.lxcSwap,
      qemuCpuModel: policy.unset.qemuCpuModel,
    },
  };
}

/** Whether the user may place a guest on this node. */
export function isNodeAllowed(limits: UserLimits, node: string): boolean {
  return limits.nodes === null || limits.nodes.includes(node);
}

/** Whether the user may create a guest with this id. */
export function isVmidAllowed(limits: UserLimits, vmid: number): boolean {
  if (!Number.isSafeInteger(vmid)) return false;
  return (
    limits.vmidRanges === null || limits.vmidRanges.some((r) => vmid >= r.min && vmid <= r.max)
  );
}

/** Whether a disk slot of this bus may use the storage. */
export function isBusAllowed(limits: UserLimits, storageId: string, bus: StorageBus): boolean {
  const entry = own(limits.storage, storageId);
  return entry === undefined || entry.buses.includes(bus);
}

/** A record's own value for a key, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

type Maxed = { max?: number | null };

/** The value of the first level that sets it; within a level, the one with the largest max. */
function pick<T extends Maxed>(
  levels: Levels,
  read: (entry: Entry) => T | undefined,
): T | undefined {
  for (const level of levels) {
    let best: T | undefined;
    for (const entry of level) {
      const value = read(entry);
      if (value !== undefined && (best === undefined || generosity(value) > generosity(best))) {
        best = value;
      }
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

function generosity(value: Maxed): number {
  return value.max === undefined || value.max === null ? Number.POSITIVE_INFINITY : value.max;
}

/** The lists of the first level that sets the field, joined over that level's entries. */
function combine<T>(
  levels: Levels,
  read: (entry: Entry) => readonly T[] | undefined,
): T[] | undefined {
  for (const level of levels) {
    const lists = level.map(read).filter((list): list is readonly T[] => list !== undefined);
    if (lists.length > 0) return lists.flat();
  }
  return undefined;
}

/**
 * One rule per pattern. Rules of one pattern joined from several entries of a level: the one with
 * the largest max wins, taken whole with its per-node limits (the first of equal ones); the label
 * is the first one given for the pattern.
 */
function mostGenerousRules(rules: readonly ListLimit[]): ListLimit[] {
  const byPattern = new Map<string, ListLimit>();
  const labels = new Map<string, string>();
  for (const rule of rules) {
    const best = byPattern.get(rule.match);
    if (best === undefined || rule.max > best.max) byPattern.set(rule.match, rule);
    if (rule.label !== undefined && !labels.has(rule.match)) labels.set(rule.match, rule.label);
  }
  return [...byPattern.values()].map(({ match, max, perNode }) => {
    const result: ListLimit = { match, max };
    if (perNode !== undefined && Object.keys(perNode).length > 0) result.perNode = { ...perNode };
    const label = labels.get(match);
    if (label !== undefined) result.label = label;
    return result;
  });
}

/** One entry per pattern, keeping the first label given for it; null when no level sets the list. */
function mediaRules(rules: readonly MediaRule[] | undefined): MediaRule[] | null {
  if (rules === undefined) return null;
  const byPattern = new Map<string, MediaRule>();
  for (const { match, label } of rules) {
    const seen = byPattern.get(match);
    if (seen === undefined)
      byPattern.set(match, label === undefined ? { match } : { match, label });
    else if (seen.label === undefined && label !== undefined) seen.label = label;
  }
  return [...byPattern.values()];
}

/** Whether installation media may be used: any when the list is null, else a matching entry. */
export function isMediaAllowed(rules: readonly MediaRule[] | null, volid: string): boolean {
  return rules === null || rules.some((rule) => compileMatcher(rule.match)(volid));
}

function uniqueOrNull(values: string[] | undefined): string[] | null {
  return values === undefined ? null : sortedUnique(values);
}

function numeric(
  limit: { max?: number | null; perNode?: Record<string, number> } | undefined,
): NumericLimit {
  return { max: limit?.max ?? null, perNode: { ...limit?.perNode } };
}

function network(levels: Levels): NetworkLimit {
  const limit = pick(levels, (e) => e.network);
  return { ...numeric(limit), unlimitedRateCost: limit?.unlimitedRateCost ?? null };
}

function storage(levels: Levels): Record<string, StorageLimit> {
  const ids = sortedUnique(levels.flat().flatMap((entry) => Object.keys(entry.storage ?? {})));
  const result: Record<string, StorageLimit> = {};
  for (const id of ids) {
    const limit = pick(levels, (e) => (e.storage ? own(e.storage, id) : undefined));
    if (limit === undefined) continue;
    result[id] = {
      maxBytes: limit.max ?? null,
      perNode: { ...limit.perNode },
      buses: [...(limit.buses ?? storageBuses)],
    };
  }
  return result;
}

function templates(levels: Levels): InstanceTemplate[] {
  const byName = new Map<string, InstanceTemplate>();
  for (const template of combine(levels, (e) => e.templates) ?? []) {
    if (byName.has(template.name)) continue;
    byName.set(template.name, {
      name: template.name,
      type: template.type,
      description: template.description ?? null,
      config: { ...template.config },
      cost: {
        cores: template.cost.cores ?? 0,
        memoryBytes: template.cost.memory ?? 0,
        swapBytes: template.cost.swap ?? 0,
        networkBytesPerSecond: template.cost.network ?? 0,
        storageBytes: { ...template.cost.storage },
      },
    });
  }
  return [...byName.values()];
}
