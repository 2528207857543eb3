import { readDisk, isDiskSlot, listDisks } from './disks.js';
import type { InstanceState, NodeState, SimState } from './state.js';
import { instanceLock } from './state.js';

// Sizes and live figures of guests and nodes, shared by /cluster/resources and the per-node
// lists. Live figures (cpu, mem, traffic) are made up but stable: derived from the vmid and the
// uptime, so two reads a second apart agree closely.

const MiB = 1024 * 1024;

/** What a guest row reports besides its identity. */
export interface GuestMetrics {
  status: string;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  disk: number;
  mem: number;
  cpu: number;
  uptime: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
}

function numberOf(value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // PVE 9 returns qemu `memory` as a property string (`[current=]4096`), other numbers bare.
  const text =
    String(value)
      .replace(/^current=/, '')
      .split(',')[0] ?? '';
  const number = Number(text);
  return Number.isFinite(number) && text !== '' ? number : fallback;
}

/** The size of the disk PVE reports as a guest's `maxdisk`: the boot disk, or the rootfs. */
function maxDiskBytes(instance: InstanceState): number {
  const { config, type } = instance;
  if (type === 'lxc') {
    const rootfs =
      typeof config.rootfs === 'string' ? readDisk('lxc', 'rootfs', config.rootfs) : null;
    return rootfs?.sizeBytes ?? 0;
  }
  const bootOrder = /order=([^,]+)/.exec(String(config.boot ?? ''))?.[1]?.split(';') ?? [];
  const disks = listDisks('qemu', config).filter((d) => isDiskSlot('qemu', d.key) && !d.cdrom);
  const boot = bootOrder
    .map((key) => disks.find((d) => d.key === key))
    .find((d) => d !== undefined);
  return (boot ?? disks.find((d) => d.key !== 'efidisk0' && d.key !== 'tpmstate0'))?.sizeBytes ?? 0;
}

/** The figures of one guest; stopped guests and guests on offline nodes use nothing. */
export function guestMetrics(
  state: SimState,
  instance: InstanceState,
  nowMs: number,
): GuestMetrics {
  const node = state.nodes.get(instance.node);
  const online = node?.status === 'online';
  const running = online && instance.status === 'running';
  const { config } = instance;
  const maxmem = numberOf(config.memory, 512) * MiB;
  const maxcpu =
    instance.type === 'qemu'
      ? numberOf(config.vcpus, numberOf(config.cores, 1) * numberOf(config.sockets, 1))
      : numberOf(config.cores, node?.cpus ?? 1);
  const maxdisk = maxDiskBytes(instance);
  const uptime = running
    ? Math.max(0, Math.floor(nowMs / 1000) - (instance.startedAtSeconds ?? 0))
    : 0;
  const share = 0.2 + (instance.vmid % 7) / 20;
  return {
    status: online ? instance.status : 'unknown',
    maxcpu,
    maxmem,
    maxdisk,
    disk: running && instance.type === 'lxc' ? Math.round(maxdisk * share) : 0,
    mem: running ? Math.round(maxmem * share) : 0,
    cpu: running ? Math.round(share * 0.1 * 10000) / 10000 : 0,
    uptime,
    netin: uptime * 1200,
    netout: uptime * 800,
    diskread: uptime * 4096,
    diskwrite: uptime * 2048,
  };
}

/** A container's swap limit in bytes (PVE's default is 512 MiB). */
export function containerSwapBytes(instance: InstanceState): number {
  return numberOf(instance.config.swap, 512) * MiB;
}

/** Identity fields every guest row carries, plus lock/template/tags when set. */
export function guestIdentity(instance: InstanceState): Record<string, unknown> {
  const row: Record<string, unknown> = { vmid: instance.vmid, name: instance.name };
  const lock = instanceLock(instance);
  if (lock !== null) row.lock = lock;
  if (instance.config.tags !== undefined) row.tags = instance.config.tags;
  row.template = instance.config.template === 1 || instance.config.template === '1' ? 1 : 0;
  return row;
}

/** A node's figures; PVE hides them from users without Sys.Audit on the node. */
export function nodeMetrics(
  node: NodeState,
  nowMs: number,
  bootedAtSeconds: number,
): Record<string, number> {
  if (node.status !== 'online') return {};
  return {
    maxcpu: node.cpus,
    maxmem: node.memoryBytes,
    mem: Math.round(node.memoryBytes * 0.42),
    cpu: 0.07,
    maxdisk: 100 * 1024 ** 3,
    disk: 12 * 1024 ** 3,
    uptime: Math.max(0, Math.floor(nowMs / 1000) - bootedAtSeconds),
  };
}
