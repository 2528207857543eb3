import type { PciAttached } from '../../../shared/pci-schemas';

/** What a slot passes through: `mapping lab-gpu` or `0000:01:00.0`. */
export function pciDeviceText(device: PciAttached): string {
  return device.mapping !== null ? `mapping ${device.mapping}` : device.host.join(', ');
}

/** The flags of a slot as a short list: `pcie, x-vga, no ROM BAR`, or `none`. */
export function pciFlagsText(device: PciAttached): string {
  const flags: string[] = [];
  if (device.pcie) flags.push('pcie');
  if (device.xVga) flags.push('x-vga');
  if (device.rombar === false) flags.push('no ROM BAR');
  return flags.length > 0 ? flags.join(', ') : 'none';
}
