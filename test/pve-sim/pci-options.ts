import { parsePropertyString } from './property-string.js';

// The qemu `hostpciN` options (N 0-15) of the config write: `[host=]<id>[;<id>...]` or
// `mapping=<id>`, and the flags `pcie`, `x-vga` and `rombar` (booleans). Other hostpci options
// are refused as not modelled, so a client cannot rely on the simulator accepting them.

/** How a hostpciN value is checked and the privilege that changing it needs. */
export interface PciOptionRule {
  privilege: string;
  read: (value: unknown) => string | { error: string };
}

const pciId = /^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}(\.[0-7])?$/i;
const mappingId = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
const flags = new Set(['pcie', 'x-vga', 'rombar']);

function readHostPci(value: unknown): string | { error: string } {
  if (typeof value !== 'string') return { error: 'invalid format - expected a property string' };
  const parsed = parsePropertyString(value, 'host');
  if (!parsed) return { error: 'invalid format - not a property string' };
  const host = parsed.get('host');
  const mapping = parsed.get('mapping');
  if ((host === undefined) === (mapping === undefined)) {
    return { error: "invalid format - exactly one of 'host' or 'mapping' is required" };
  }
  if (host !== undefined && !host.split(';').every((id) => pciId.test(id))) {
    return { error: 'invalid format - host: value does not match the format pve-pci-id' };
  }
  if (mapping !== undefined && !mappingId.test(mapping)) {
    return { error: 'invalid format - mapping: value is not a configuration id' };
  }
  for (const [key, option] of parsed) {
    if (key === 'host' || key === 'mapping') continue;
    if (!flags.has(key)) return { error: `invalid format - ${key}: not modelled` };
    if (option !== '0' && option !== '1')
      return { error: `invalid format - ${key}: not a boolean` };
  }
  return value;
}

/** The rules for hostpci0 to hostpci15. */
export function pciOptionRules(): Record<string, PciOptionRule> {
  const rules: Record<string, PciOptionRule> = {};
  for (let index = 0; index < 16; index += 1) {
    rules[`hostpci${index}`] = { privilege: 'VM.Config.HWType', read: readHostPci };
  }
  return rules;
}
