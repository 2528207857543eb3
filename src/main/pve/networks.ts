import { pveRateToBytesPerSecond } from '../../shared/units';
import { parsePropertyString } from './property-string';
import { compareConfigKeys, type ConfigProblem } from './volumes';

// The network interfaces of a guest, read from its `netN` config keys. As with volumes, one
// unreadable key becomes a problem and the others are still read.

/** One network interface of a guest. */
export interface GuestNetwork {
  key: string;
  /** The emulated NIC model (qemu only). */
  model: string | null;
  mac: string | null;
  bridge: string | null;
  tag: number | null;
  /** The interface name inside the container (lxc only). */
  name: string | null;
  /** The rate limit; null when there is none (no `rate`, or `rate=0`), i.e. unlimited. */
  rateBytesPerSecond: number | null;
}

/** The NIC models a qemu `netN` may name, each also usable as a key holding the MAC address. */
export const qemuNicModels: readonly string[] = [
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
];

const netKey = /^net([0-9]|[12][0-9]|3[01])$/;
const macAddress = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const rateMBps = /^\d+(\.\d+)?$/;
const vlanTag = /^\d{1,4}$/;

/** Reads every network interface of a guest config, sorted by key; bad keys become problems. */
export function parseGuestNetworks(
  type: 'qemu' | 'lxc',
  config: Readonly<Record<string, unknown>>,
): { networks: GuestNetwork[]; problems: ConfigProblem[] } {
  const networks: GuestNetwork[] = [];
  const problems: ConfigProblem[] = [];

  const keys = Object.keys(config).filter((key) => netKey.test(key));
  for (const key of keys.sort(compareConfigKeys)) {
    const value = config[key];
    try {
      if (typeof value !== 'string') throw new Error('expected a property string');
      networks.push(type === 'qemu' ? readQemuNetwork(key, value) : readLxcNetwork(key, value));
    } catch (error) {
      problems.push({ key, reason: error instanceof Error ? error.message : 'unreadable' });
    }
  }

  return { networks, problems };
}

function readQemuNetwork(key: string, value: string): GuestNetwork {
  const entries = parsePropertyString(value, 'model');
  let model = entries.get('model') ?? null;
  let mac = entries.get('macaddr') ?? null;

  // `virtio=BC:24:11:..` names the model and its MAC address in one pair.
  for (const candidate of qemuNicModels) {
    const address = entries.get(candidate);
    if (address === undefined) continue;
    if (model !== null || mac !== null) throw new Error('names its model or MAC address twice');
    model = candidate;
    mac = address;
  }
  if (model !== null && !qemuNicModels.includes(model)) {
    throw new Error(`"${model}" is not a known network card model`);
  }

  return {
    key,
    model,
    mac: readMac(mac),
    bridge: entries.get('bridge') ?? null,
    tag: readTag(entries.get('tag')),
    name: null,
    rateBytesPerSecond: readRate(entries.get('rate')),
  };
}

function readLxcNetwork(key: string, value: string): GuestNetwork {
  const entries = parsePropertyString(value);
  const name = entries.get('name');
  if (name === undefined) throw new Error('has no interface name (name=)');

  return {
    key,
    model: null,
    mac: readMac(entries.get('hwaddr') ?? null),
    bridge: entries.get('bridge') ?? null,
    tag: readTag(entries.get('tag')),
    name,
    rateBytesPerSecond: readRate(entries.get('rate')),
  };
}

function readMac(mac: string | null): string | null {
  if (mac === null) return null;
  if (!macAddress.test(mac)) throw new Error(`"${mac}" is not a MAC address`);
  return mac.toUpperCase();
}

function readTag(tag: string | undefined): number | null {
  if (tag === undefined) return null;
  const value = vlanTag.test(tag) ? Number(tag) : Number.NaN;
  if (!(value >= 1 && value <= 4094))
    throw new Error(`VLAN tag "${tag}" is not between 1 and 4094`);
  return value;
}

/** PVE's `rate` is in its MB/s (MiB/s), decimals allowed; `0` means no limit, like no rate. */
function readRate(rate: string | undefined): number | null {
  if (rate === undefined) return null;
  if (!rateMBps.test(rate)) throw new Error(`rate "${rate}" is not a number of MB/s`);
  const bytesPerSecond = pveRateToBytesPerSecond(Number(rate));
  if (!Number.isSafeInteger(bytesPerSecond)) throw new Error(`rate "${rate}" is too large`);
  return bytesPerSecond === 0 ? null : bytesPerSecond;
}
