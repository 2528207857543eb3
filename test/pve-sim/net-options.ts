import { randomBytes } from 'node:crypto';
import type { ConfigValue, GuestType } from './disks.js';
import { parsePropertyString, printPropertyString, type PropertyMap } from './property-string.js';

// The `netN` options of the simulated config write: each value is checked the way PVE checks a
// network property string, a MAC address is generated when none is given (PVE uses its own
// `BC:24:11` prefix), and the value is stored as PVE prints it: a VM's `<model>=<MAC>` first, a
// container's `name=` first, the other options after them by key.

/** How a config option is checked and stored, and the privilege that changing it needs. */
export interface NetOptionRule {
  privilege: string;
  read: (value: unknown) => ConfigValue | { error: string };
}

const models = new Set([
  'e1000',
  'e1000-82540em',
  'e1000-82544gc',
  'e1000-82545em',
  'e1000e',
  'i82551',
  'i82557b',
  'i82559er',
  'ne2k_isa',
  'ne2k_pci',
  'pcnet',
  'rtl8139',
  'virtio',
  'vmxnet3',
]);

const unicastMac = /^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$/i;
const token = /^[-_.A-Za-z0-9]+$/;
const decimal = /^\d+(\.\d+)?$/;
const flag = /^[01]$/;

type Check = (value: string) => string | null;

const whole =
  (min: number, max: number): Check =>
  (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? null
      : `value must be an integer between ${min} and ${max}`;
const matching =
  (pattern: RegExp, what: string): Check =>
  (value) =>
    pattern.test(value) ? null : `value does not look like a valid ${what}`;

const shared: Record<string, Check> = {
  bridge: matching(token, 'bridge ID'),
  firewall: matching(flag, 'boolean'),
  link_down: matching(flag, 'boolean'),
  rate: matching(decimal, 'number'),
  tag: whole(1, 4094),
  trunks: matching(/^\d+(-\d+)?(;\d+(-\d+)?)*$/, 'VLAN list'),
};
const qemuChecks: Record<string, Check> = {
  ...shared,
  macaddr: matching(unicastMac, 'unicast MAC address'),
  mtu: whole(1, 65520),
  queues: whole(0, 64),
};
const lxcChecks: Record<string, Check> = {
  ...shared,
  name: matching(token, 'interface name'),
  hwaddr: matching(unicastMac, 'unicast MAC address'),
  ip: matching(/^(dhcp|manual|\d{1,3}(\.\d{1,3}){3}\/\d{1,2})$/, 'IPv4 config'),
  mtu: whole(64, 65535),
  type: matching(/^veth$/, 'interface type'),
};

/** A MAC address as PVE generates one: its `BC:24:11` prefix and three random bytes. */
export function generateMac(): string {
  const bytes = [...randomBytes(3)].map((byte) => byte.toString(16).padStart(2, '0'));
  return ['BC', '24', '11', ...bytes].join(':').toUpperCase();
}

function checkAll(map: PropertyMap, checks: Record<string, Check>): string | null {
  for (const [key, value] of map) {
    const check = checks[key];
    if (check === undefined) return `invalid format - property '${key}' not allowed`;
    const error = check(value);
    if (error !== null) return `invalid format - ${key}: ${error}`;
  }
  return null;
}

function readQemuNet(value: unknown): ConfigValue | { error: string } {
  const map = typeof value === 'string' ? parsePropertyString(value, 'model') : null;
  if (map === null) return { error: 'invalid format - not a property string' };
  // `virtio=<MAC>` names the model and its MAC address at once.
  const aliases = [...map.keys()].filter((key) => models.has(key));
  let model = map.get('model');
  let mac = map.get('macaddr');
  if (aliases.length > 1 || (aliases.length === 1 && (model !== undefined || mac !== undefined))) {
    return { error: 'invalid format - the model is given more than once' };
  }
  if (aliases[0] !== undefined) {
    model = aliases[0];
    mac = map.get(model);
    map.delete(model);
  }
  if (model === undefined || !models.has(model)) {
    return { error: 'invalid format - model: value is not one of the NIC models' };
  }
  map.delete('model');
  map.delete('macaddr');
  if (mac !== undefined) map.set('macaddr', mac);
  const error = checkAll(map, qemuChecks);
  if (error !== null) return { error };
  map.delete('macaddr');
  const rest = printPropertyString(map, null);
  const first = `${model}=${(mac ?? generateMac()).toUpperCase()}`;
  return rest === '' ? first : `${first},${rest}`;
}

function readLxcNet(value: unknown): ConfigValue | { error: string } {
  const map = typeof value === 'string' ? parsePropertyString(value, null) : null;
  if (map === null) return { error: 'invalid format - not a property string' };
  const name = map.get('name');
  if (name === undefined) return { error: "invalid format - missing property 'name'" };
  const error = checkAll(map, lxcChecks);
  if (error !== null) return { error };
  map.delete('name');
  map.set('hwaddr', (map.get('hwaddr') ?? generateMac()).toUpperCase());
  if (!map.has('type')) map.set('type', 'veth');
  return `name=${name},${printPropertyString(map, null)}`;
}

/** The rules of `net0` to `net31` for one guest type; changing them needs VM.Config.Network. */
export function netOptionRules(type: GuestType): Record<string, NetOptionRule> {
  const read = type === 'qemu' ? readQemuNet : readLxcNet;
  const rules: Record<string, NetOptionRule> = {};
  for (let index = 0; index < 32; index += 1) {
    rules[`net${index}`] = { privilege: 'VM.Config.Network', read };
  }
  return rules;
}
