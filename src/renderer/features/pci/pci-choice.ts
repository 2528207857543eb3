import type { PciAvailable } from '../../../shared/pci-schemas';

// How the attach dialog offers the listed devices: each option says what is left of it, or why it
// cannot be attached on the node, and the dialog starts on the first one that can be.

/** What follows an option's description: the room left, or why it cannot be attached. */
function roomText(device: PciAvailable, node: string): string {
  if (device.unavailable?.reason === 'not-on-node') return `no device on ${node}`;
  if (device.unavailable?.reason === 'usage-unknown') return 'how many are left is not known';
  return device.left === null ? 'not limited' : `${device.left} left`;
}

/** One option of the device select: `Mapping lab-gpu: The GPU of pve1 (1 left)`. */
export function pciOptionText(device: PciAvailable, node: string): string {
  const kind = device.kind === 'mapping' ? 'Mapping' : 'Device';
  return `${kind} ${device.id}: ${device.description} (${roomText(device, node)})`;
}

/** The device the select shows: the one picked, else the first that can be attached, else the first. */
export function pciChoice(
  devices: readonly PciAvailable[],
  picked: string,
): PciAvailable | undefined {
  return (
    devices.find((device) => device.item === picked) ??
    devices.find((device) => device.unavailable === null) ??
    devices[0]
  );
}
