import { AppError } from '../../shared/errors';
import type {
  InstanceCreateInput,
  LxcCreateInput,
  QemuCreateInput,
} from '../../shared/instance-create-schemas';
import { GiB } from '../../shared/units';
import type { ResourceDelta } from '../quota/approve';
import { isBusAllowed, own, type InstanceTemplate, type UserLimits } from '../quota/limits';
import type { StorageBus } from '../quota/policy-schema';
import { computeUsage } from '../quota/usage';
import { requireAllowedNode } from './instance-create-media';

// What creating a guest sends and costs. The parameters of `POST /nodes/<node>/<type>` are built
// from the request and the chosen policy template; the cost is the usage of the guest that would
// exist (computed by the same code as the user's usage, so a template's NIC without a rate is
// priced as the policy prices an unlimited interface), plus the template's own cost on top.

/** The create parameters (without vmid and password) and what the new guest costs. */
export interface InstanceCreatePlan {
  type: 'qemu' | 'lxc';
  node: string;
  pool: string;
  params: Record<string, string | number>;
  delta: ResourceDelta;
}

/** Config keys ProxDesk sets itself or that would allocate or attach unpriced resources. */
const reservedTemplateKey =
  /^(vmid|node|pool|name|hostname|ostemplate|password|rootfs|storage|start|archive|restore|force|unique|template|lock|unprivileged|ssh-public-keys|hookscript|(ide|sata|scsi|virtio|mp|unused|efidisk|tpmstate|usb|hostpci|serial|parallel|dev)\d+)$/;

/** Keys whose value the request gives; a template's value for them is not used. */
const requestKeys = {
  qemu: ['cores', 'memory'],
  lxc: ['cores', 'memory', 'swap'],
} as const;

function refuse(field: string, message: string): never {
  throw new AppError('INVALID_INPUT', message, { fields: { [field]: message } });
}

/**
 * The pool a new guest joins: the user's only pool, or the one the request names, which must be
 * one of the user's. A guest outside the user's pools would not count, so none is created there.
 */
export function choosePool(limits: UserLimits, requested: string | undefined): string {
  const pools = limits.pools;
  if (pools.length === 0) {
    throw new AppError(
      'QUOTA_UNDEFINED',
      'The quota policy gives you no pool, so a new guest would belong to nobody. Ask the lab admin for a pool.',
    );
  }
  if (requested === undefined) {
    if (pools.length === 1) return pools[0] as string;
    refuse('pool', `choose one of your pools: ${pools.join(', ')}`);
  }
  if (!pools.includes(requested)) refuse('pool', `not one of your pools (${pools.join(', ')})`);
  return requested;
}

/** The policy template a request names, checked to exist for the user and to fit the type. */
export function chooseTemplate(
  limits: UserLimits,
  input: Pick<InstanceCreateInput, 'template' | 'type'>,
): InstanceTemplate | null {
  if (input.template === undefined) return null;
  const template = limits.templates.find((candidate) => candidate.name === input.template);
  if (template === undefined) refuse('template', `no template named "${input.template}"`);
  if (template.type !== input.type) {
    refuse('template', `"${template.name}" is a template for ${template.type} guests`);
  }
  for (const key of Object.keys(template.config)) {
    if (reservedTemplateKey.test(key)) {
      throw new AppError(
        'POLICY_INVALID',
        `The template "${template.name}" sets ${key}, which ProxDesk sets itself or cannot price; ask the lab admin to remove it from the template.`,
      );
    }
  }
  return template;
}

function busNotAllowed(field: string, bus: StorageBus, storage: string): never {
  throw new AppError(
    'QUOTA_EXCEEDED',
    `The quota policy does not allow ${bus} disks on storage ${storage}.`,
    { fields: { [field]: `${bus} is not allowed on ${storage}` } },
  );
}

function templateValues(
  template: InstanceTemplate | null,
  skip: readonly string[],
): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(template?.config ?? {})) {
    if (skip.includes(key)) continue;
    // PVE reads booleans as 0 and 1.
    values[key] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return values;
}

function qemuParams(
  input: QemuCreateInput,
  pool: string,
  template: InstanceTemplate | null,
): Record<string, string | number> {
  const skip: string[] = [...requestKeys.qemu];
  if (input.cpuType !== undefined) skip.push('cpu');
  const params: Record<string, string | number> = {
    ...templateValues(template, skip),
    name: input.name,
    pool,
    cores: input.cores,
    // PVE 9 types qemu `memory` as a property string (`[current=]N`).
    memory: String(input.memoryMiB),
  };
  // One socket unless the template says otherwise, so cores alone set the vCPU count.
  if (!Object.hasOwn(params, 'sockets')) params.sockets = 1;
  if (input.cpuType !== undefined) params.cpu = input.cpuType;
  params[`${input.disk.bus}0`] = `${input.disk.storage}:${input.disk.sizeGiB}`;
  if (input.iso !== undefined) params.ide2 = `${input.iso},media=cdrom`;
  return params;
}

function lxcParams(
  input: LxcCreateInput,
  pool: string,
  template: InstanceTemplate | null,
): Record<string, string | number> {
  return {
    ...templateValues(template, requestKeys.lxc),
    hostname: input.name,
    pool,
    ostemplate: input.ostemplate,
    cores: input.cores,
    memory: input.memoryMiB,
    swap: input.swapMiB,
    rootfs: `${input.rootfs.storage}:${input.rootfs.sizeGiB}`,
    // Created unprivileged: a privileged container needs Sys.Modify on / and is a root on the host.
    unprivileged: 1,
  };
}

function addStorage(target: Record<string, number>, storage: string, bytes: number): void {
  target[storage] = (own(target, storage) ?? 0) + bytes;
}

/**
 * Plans a new guest: its create parameters and its cost as one delta on its node. Refuses a node
 * the policy does not allow, a bus not allowed on the disk's storage, and a template config that
 * cannot be read. Media (ISO, container template) must have been checked against the listing.
 */
export function planInstanceCreate(
  limits: UserLimits,
  input: InstanceCreateInput,
  vmid: number,
): InstanceCreatePlan {
  requireAllowedNode(limits, input.node);
  const pool = choosePool(limits, input.pool);
  const template = chooseTemplate(limits, input);
  const disk =
    input.type === 'qemu'
      ? { field: 'disk.bus', storage: input.disk.storage, bus: input.disk.bus as StorageBus }
      : { field: 'rootfs.storage', storage: input.rootfs.storage, bus: 'rootfs' as const };
  if (!isBusAllowed(limits, disk.storage, disk.bus)) {
    busNotAllowed(disk.field, disk.bus, disk.storage);
  }
  if (input.type === 'qemu' && input.iso !== undefined) {
    const isoStorage = input.iso.slice(0, input.iso.indexOf(':'));
    if (!isBusAllowed(limits, isoStorage, 'ide')) busNotAllowed('iso', 'ide', isoStorage);
  }
  const params =
    input.type === 'qemu' ? qemuParams(input, pool, template) : lxcParams(input, pool, template);

  // The guest as it will exist, without its disks, which are priced by their requested size.
  const diskKey = input.type === 'qemu' ? `${input.disk.bus}0` : 'rootfs';
  const priced = Object.fromEntries(Object.entries(params).filter(([key]) => key !== diskKey));
  const usage = computeUsage(limits, [
    { node: input.node, type: input.type, vmid, pool, config: { ...priced, digest: '' } },
  ]);
  if (usage.problems.length > 0) {
    const reasons = usage.problems.map((p) => `${p.key}: ${p.reason}`).join('; ');
    throw new AppError(
      'POLICY_INVALID',
      `The template "${template?.name ?? ''}" has config values ProxDesk cannot price (${reasons}); ask the lab admin to correct it.`,
    );
  }

  const cost = template?.cost;
  const sizeGiB = input.type === 'qemu' ? input.disk.sizeGiB : input.rootfs.sizeGiB;
  const storageBytes: Record<string, number> = {};
  addStorage(storageBytes, disk.storage, sizeGiB * GiB);
  for (const [storage, bytes] of Object.entries(cost?.storageBytes ?? {})) {
    addStorage(storageBytes, storage, bytes);
  }
  const delta: ResourceDelta = {
    node: input.node,
    cores: usage.cores + (cost?.cores ?? 0),
    memoryBytes: usage.memoryBytes + (cost?.memoryBytes ?? 0),
    storageBytes,
  };
  const swapBytes = usage.swapBytes + (cost?.swapBytes ?? 0);
  if (swapBytes > 0) delta.swapBytes = swapBytes;
  const networkBytesPerSecond = usage.networkBytesPerSecond + (cost?.networkBytesPerSecond ?? 0);
  if (networkBytesPerSecond > 0) delta.networkBytesPerSecond = networkBytesPerSecond;
  if (Object.keys(usage.cpuModels).length > 0) delta.cpuModels = usage.cpuModels;
  return { type: input.type, node: input.node, pool, params, delta };
}
