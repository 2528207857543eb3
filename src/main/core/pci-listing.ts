import { AppError } from '../../shared/errors';
import type { PciAvailable, PciUnavailable } from '../../shared/pci-schemas';
import type { PveApi } from '../pve/api';
import type { NodePciDevice, PciMapping } from '../pve/pci-listing-schemas';
import { parsePropertyString } from '../pve/property-string';
import { own, type ListLimit } from '../quota/limits';
import { listItemsLeft, type ListUse } from '../quota/list-limits';
import { nameUnread, type NodeUsage } from '../quota/usage';

// Which of a node's PCI devices and mappings the policy lets a user attach, and how many more of
// each an attach on that node would be allowed: the least room under every entry that matches
// the item, in all and on the node, as the quota engine prices the attach. With entries listed,
// an item no entry matches is not offered; an item that is offered but cannot be attached on the
// node says why.

const fullPciId = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;
const mappingId = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/** The PCI items a user's guests have, in all and per node (a user's `Usage` is one). */
export interface PciUse {
  pciDevices: Readonly<Record<string, number>>;
  perNode: Readonly<Record<string, Pick<NodeUsage, 'pciDevices'>>>;
  /** Guests that could not be read: what they attach is not counted above. */
  unread?: readonly { node: string; vmid: number }[];
}

function mapsToNode(mapping: PciMapping, node: string): boolean {
  return mapping.map.some((entry) => {
    try {
      return parsePropertyString(entry).get('node') === node;
    } catch {
      return false;
    }
  });
}

/**
 * Throws INVALID_INPUT unless `mappingId` names a PCI mapping the user can see that has a device
 * on `node`. PVE writes a mapping into a config whatever its node list says and only fails when
 * the VM starts, by which time the device counts against the quota.
 */
export async function requireMappingOnNode(
  api: PveApi,
  mappingId: string,
  node: string,
): Promise<void> {
  const mapping = (await api.pciMappings()).find((candidate) => candidate.id === mappingId);
  let why: string | null = null;
  if (mapping === undefined) why = 'no resource mapping of that id is visible to you';
  else if (!mapsToNode(mapping, node)) why = `this mapping has no device on ${node}`;
  if (why !== null) {
    throw new AppError('INVALID_INPUT', `device.mapping: ${why}`, {
      fields: { 'device.mapping': why },
    });
  }
}

/**
 * Why an item the policy matches cannot be attached on `node`, or null when it can. `unread` are
 * guests whose devices are not counted: with a limit, what is left is then not known, and pricing
 * refuses the attach (approve.ts), so the list does not offer it.
 */
function unavailableOn(
  node: string,
  left: number | null,
  onNode: boolean,
  unread: readonly { node: string; vmid: number }[],
): PciUnavailable | null {
  // The mapping's node list is the cluster's configuration; say so before any quota reason, since
  // freeing quota room would not make such a mapping attachable here.
  if (!onNode) return { reason: 'not-on-node', message: `This mapping has no device on ${node}.` };
  if (left !== null && unread.length > 0) {
    return {
      reason: 'usage-unknown',
      message: `How many are left is not known: ${nameUnread(unread)} could not be read.`,
    };
  }
  if (left !== 0) return null;
  return { reason: 'quota', message: `Your quota has none of this left on ${node}.` };
}

/**
 * The devices and mappings the policy lets a user attach on `node`, mappings first, each sorted by
 * id. A mapping with no device on the node is listed too, marked unavailable with that reason, so
 * the user learns it is the mapping and not the quota that rules it out.
 */
export function availablePci(
  node: string,
  devices: readonly NodePciDevice[],
  mappings: readonly PciMapping[],
  rules: readonly ListLimit[],
  usage: PciUse,
): PciAvailable[] {
  const used: ListUse = {
    total: usage.pciDevices,
    node,
    onNode: own(usage.perNode, node)?.pciDevices ?? {},
  };
  const result: PciAvailable[] = [];
  for (const mapping of [...mappings].sort((a, b) => a.id.localeCompare(b.id))) {
    if (!mappingId.test(mapping.id)) continue;
    const item = `mapping:${mapping.id}`;
    const left = listItemsLeft(rules, used, item);
    if (left === undefined) continue;
    const description = mapping.description ?? `Resource mapping ${mapping.id}`;
    const unavailable = unavailableOn(node, left, mapsToNode(mapping, node), usage.unread ?? []);
    result.push({
      item,
      kind: 'mapping',
      id: mapping.id,
      description,
      iommuGroup: null,
      left,
      unavailable,
    });
  }
  for (const device of [...devices].sort((a, b) => a.id.localeCompare(b.id))) {
    const id = device.id.toLowerCase();
    if (!fullPciId.test(id)) continue;
    const item = `host:${id}`;
    const left = listItemsLeft(rules, used, item);
    if (left === undefined) continue;
    const names = [device.vendor_name, device.device_name].filter((n) => n !== undefined);
    const description = names.length > 0 ? names.join(' ') : `${device.vendor}:${device.device}`;
    const unavailable = unavailableOn(node, left, true, usage.unread ?? []);
    result.push({
      item,
      kind: 'host',
      id,
      description,
      iommuGroup: device.iommugroup,
      left,
      unavailable,
    });
  }
  return result;
}

/** True when PVE refused a read for lack of privileges, so the caller can go on without it. */
export function isPermissionRefusal(error: unknown): boolean {
  return error instanceof AppError && error.code === 'PVE_PERMISSION';
}
