import { AppError } from '../../shared/errors';
import type { PciAvailable } from '../../shared/pci-schemas';
import type { NodePciDevice, PciMapping } from '../pve/pci-listing-schemas';
import { parsePropertyString } from '../pve/property-string';
import type { ListLimit } from '../quota/limits';
import { countMatching } from '../quota/list-limits';
import { compileMatcher } from '../quota/match';

// Which of a node's PCI devices and mappings the policy lets a user attach, and how many more of
// each its policy entry allows. An item is priced by the first entry that matches it, the way
// the quota engine counts it; with entries listed, an item no entry matches is not offered.

const fullPciId = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;
const mappingId = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/** What the policy leaves for one item: null when PCI is unlimited, undefined when not allowed. */
function leftFor(
  rules: readonly ListLimit[],
  used: Readonly<Record<string, number>>,
  item: string,
): number | null | undefined {
  if (rules.length === 0) return null;
  const rule = rules.find((candidate) => compileMatcher(candidate.match)(item));
  if (!rule) return undefined;
  return Math.max(0, rule.max - countMatching(rule, used));
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

/** The devices and mappings a user may attach on `node`, mappings first, each sorted by id. */
export function availablePci(
  node: string,
  devices: readonly NodePciDevice[],
  mappings: readonly PciMapping[],
  rules: readonly ListLimit[],
  used: Readonly<Record<string, number>>,
): PciAvailable[] {
  const result: PciAvailable[] = [];
  for (const mapping of [...mappings].sort((a, b) => a.id.localeCompare(b.id))) {
    if (!mappingId.test(mapping.id) || !mapsToNode(mapping, node)) continue;
    const item = `mapping:${mapping.id}`;
    const left = leftFor(rules, used, item);
    if (left === undefined) continue;
    const description = mapping.description ?? `Resource mapping ${mapping.id}`;
    result.push({ item, kind: 'mapping', id: mapping.id, description, iommuGroup: null, left });
  }
  for (const device of [...devices].sort((a, b) => a.id.localeCompare(b.id))) {
    const id = device.id.toLowerCase();
    if (!fullPciId.test(id)) continue;
    const item = `host:${id}`;
    const left = leftFor(rules, used, item);
    if (left === undefined) continue;
    const names = [device.vendor_name, device.device_name].filter((n) => n !== undefined);
    const description = names.length > 0 ? names.join(' ') : `${device.vendor}:${device.device}`;
    result.push({ item, kind: 'host', id, description, iommuGroup: device.iommugroup, left });
  }
  return result;
}

/** True when PVE refused a read for lack of privileges, so the caller can go on without it. */
export function isPermissionRefusal(error: unknown): boolean {
  return error instanceof AppError && error.code === 'PVE_PERMISSION';
}
