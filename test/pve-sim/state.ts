import { createHash } from 'node:crypto';
import type { Scenario, ContentType } from './scenario.js';
import type { ConfigValue, GuestType } from './disks.js';

// The simulator's live, mutable cluster state. It starts as a deep copy of the scenario and
// changes as requests are served (a finished resize grows a volume and rewrites a config).

/** A cluster node. */
export interface NodeState {
  name: string;
  status: 'online' | 'offline';
  cpus: number;
  memoryBytes: number;
  /** The node's PCI devices, as `GET /nodes/{node}/hardware/pci` lists them. */
  pciDevices: Scenario['nodes'][number]['pciDevices'];
}

/** One volume on a storage; `node` is null on a shared storage. */
export interface VolumeState {
  volid: string;
  storage: string;
  node: string | null;
  sizeBytes: number;
  format: string;
  content: ContentType;
  vmid: number | null;
  ctime: number | null;
  /** A backup's notes (may hold several lines; listings show the first); absent for none. */
  notes?: string;
  /** Whether a backup is protected against removal. */
  protected?: boolean;
}

/** A storage and every volume it holds (on every node, for a local storage). */
export interface StorageState {
  id: string;
  type: string;
  shared: boolean;
  nodes: string[];
  content: ContentType[];
  capacityBytes: number;
  volumes: VolumeState[];
  /** Disabled in the storage configuration (`disable 1`); tests set it to set up a case. */
  disabled?: boolean;
  /** False while the storage's backend cannot be reached (an NFS server down, say). */
  online?: boolean;
}

/** A resource pool; guests join it through their `pool`, storages through `storages`. */
export interface PoolState {
  poolid: string;
  comment: string;
  storages: string[];
}

/** A user who can sign in. */
export interface UserState {
  userid: string;
  password: string;
  pools: string[];
  groups: string[];
  enabled: boolean;
  comment: string;
  /** The TOTP secret (base32) when the user has a TOTP second factor. */
  totp?: { secret: string };
  /** Recovery keys not used yet; a key is removed when it is used. */
  recoveryKeys: string[];
  /** API tokens: id after the `!`, secret, and whether privileges are separated. */
  tokens: { id: string; secret: string; privsep: boolean }[];
}

/** One ACL entry: `roleid` granted to a user or group on `path`. */
export interface AclEntry {
  path: string;
  ugid: string;
  roleid: string;
  propagate: boolean;
}

/** A guest. `config` is exactly what `GET .../config` returns, without the digest. */
export interface InstanceState {
  vmid: number;
  type: GuestType;
  node: string;
  name: string;
  status: 'running' | 'stopped';
  pool: string | null;
  config: Record<string, ConfigValue>;
  /** When the guest started (epoch seconds), for uptimes; null when stopped. */
  startedAtSeconds: number | null;
}

/** An asynchronous task and what it has logged so far. */
export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  /** `OK`, `WARNINGS: n` or the error text once stopped; null while running. */
  exitstatus: string | null;
  /** When the task stopped (epoch seconds); absent while it runs. */
  endtime?: number;
  log: string[];
}

/** The whole live cluster. Tests read configs and volumes from here. */
export interface SimState {
  clusterName: string;
  /** When the nodes booted (epoch seconds), for node uptimes. */
  bootedAtSeconds: number;
  nodes: Map<string, NodeState>;
  storages: Map<string, StorageState>;
  pools: Map<string, PoolState>;
  users: Map<string, UserState>;
  acl: AclEntry[];
  instances: Map<number, InstanceState>;
  tasks: Map<string, TaskRecord>;
  /** Cluster PCI resource mappings by id. */
  pciMappings: Map<string, Scenario['pciMappings'][number]>;
}

/** Builds a fresh live state from a validated scenario; nothing is shared with the scenario. */
export function createState(scenario: Scenario, nowMs: number): SimState {
  const bootSeconds = Math.floor(nowMs / 1000) - 3 * 3600;
  return {
    clusterName: scenario.clusterName,
    bootedAtSeconds: bootSeconds,
    nodes: new Map(
      scenario.nodes.map((node) => [
        node.name,
        { ...node, pciDevices: node.pciDevices.map((d) => ({ ...d })) },
      ]),
    ),
    storages: new Map(
      scenario.storages.map((storage) => [
        storage.id,
        {
          id: storage.id,
          type: storage.type,
          shared: storage.shared,
          nodes: [...storage.nodes],
          content: [...storage.content],
          capacityBytes: storage.capacityBytes,
          volumes: storage.volumes.map((volume) => ({
            volid: volume.volid,
            storage: storage.id,
            node: volume.node ?? null,
            sizeBytes: volume.sizeBytes,
            format: volume.format,
            content: volume.content,
            vmid: volume.vmid ?? null,
            ctime: volume.ctime ?? null,
          })),
        },
      ]),
    ),
    pools: new Map(
      scenario.pools.map((pool) => [pool.poolid, { ...pool, storages: [...pool.storages] }]),
    ),
    users: new Map(
      scenario.users.map((user) => [
        user.userid,
        {
          ...user,
          pools: [...user.pools],
          groups: [...user.groups],
          ...(user.totp ? { totp: { ...user.totp } } : {}),
          recoveryKeys: [...user.recoveryKeys],
          tokens: user.tokens.map((token) => ({ ...token })),
        },
      ]),
    ),
    acl: scenario.acl.map((entry) => ({ ...entry })),
    pciMappings: new Map(
      scenario.pciMappings.map((m) => [m.id, { ...m, map: m.map.map((e) => ({ ...e })) }]),
    ),
    instances: new Map(
      scenario.instances.map((instance) => [
        instance.vmid,
        {
          vmid: instance.vmid,
          type: instance.type,
          node: instance.node,
          name: instance.name,
          status: instance.status,
          pool: instance.pool ?? null,
          config: { ...instance.config },
          startedAtSeconds: instance.status === 'running' ? bootSeconds + instance.vmid : null,
        },
      ]),
    ),
    tasks: new Map(),
  };
}

/** The volume `volid` as seen from `node`: any node for a shared storage, that node's for a local one. */
export function findVolume(
  state: SimState,
  storageId: string,
  volid: string,
  node: string,
): VolumeState | undefined {
  const storage = state.storages.get(storageId);
  return storage?.volumes.find((v) => v.volid === volid && (storage.shared || v.node === node));
}

/** Bytes the volumes of a storage take up as seen from `node`. */
export function storageUsedBytes(storage: StorageState, node: string): number {
  return storage.volumes
    .filter((volume) => storage.shared || volume.node === node)
    .reduce((sum, volume) => sum + volume.sizeBytes, 0);
}

/**
 * The SHA-1 of a config, as PVE's `digest`. PVE hashes the config file's text, so this hashes
 * the same `key: value` lines; any change to any value changes it.
 */
export function configDigest(config: Record<string, ConfigValue>): string {
  const text = Object.entries(config)
    .map(([key, value]) => `${key}: ${value}\n`)
    .join('');
  return createHash('sha1').update(text).digest('hex');
}

/** The guest's lock (`backup`, `migrate`, ...) from its config, or null when unlocked. */
export function instanceLock(instance: InstanceState): string | null {
  const lock = instance.config.lock;
  return lock === undefined || lock === '' ? null : String(lock);
}
