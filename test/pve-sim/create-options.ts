import type { ConfigValue, GuestType } from './disks.js';
import { netOptionRules } from './net-options.js';
import { parsePropertyString } from './property-string.js';

// The options of `POST /nodes/{node}/{qemu,lxc}` the simulator models, each with its check, the
// value stored in the new guest's config, and the privilege PVE wants for it on create. Disks,
// the pool, the vmid, the template and the password are read by the create handler itself.

/** How one create option is checked and stored, and the privilege setting it needs. */
export interface CreateOptionRule {
  privilege: string;
  read: (value: unknown) => ConfigValue | { error: string };
}

type Read = CreateOptionRule['read'];

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Read {
  return (value) => {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !/^[+-]?\d+$/.test(text)) {
      return { error: `type check ('integer') failed - got '${String(text)}'` };
    }
    const number = Number(text);
    if (number < min) return { error: `value must have a minimum value of ${min}` };
    if (number > max) return { error: `value must have a maximum value of ${max}` };
    return number;
  };
}

function text(pattern: RegExp, maxLength: number): Read {
  return (value) => {
    if (typeof value !== 'string' && typeof value !== 'number') return { error: 'not a string' };
    const string = String(value);
    if (string.length > maxLength) return { error: `value may only be ${maxLength} characters` };
    return pattern.test(string) ? string : { error: 'value does not match the regex pattern' };
  };
}

function oneOf(values: readonly string[]): Read {
  return (value) =>
    typeof value === 'string' && values.includes(value)
      ? value
      : { error: `value '${String(value)}' does not have a value in the enumeration` };
}

const flag: Read = (value) => {
  const read = integer(0, 1)(value);
  return typeof read === 'object' ? { error: 'type check (boolean) failed' } : read;
};

/** qemu `memory`: `[current=]<MiB>`, at least 16; stored as PVE 9 prints it, `"4096"`. */
const qemuMemory: Read = (value) => {
  const raw = typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  const current = raw === null ? undefined : parsePropertyString(raw, 'current')?.get('current');
  const checked = current === undefined ? null : integer(16)(current);
  if (checked === null || typeof checked === 'object') {
    return { error: 'invalid format - expected [current=]<integer> of at least 16' };
  }
  return String(checked);
};

/** qemu `cpu`: a CPU model as the default key `cputype`. */
const qemuCpu: Read = (value) => {
  const model =
    typeof value === 'string' ? parsePropertyString(value, 'cputype')?.get('cputype') : undefined;
  if (model === undefined || !/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(model)) {
    return { error: 'invalid format - cputype: value does not name a CPU model' };
  }
  return String(value);
};

/** qemu `agent`: `[enabled=]<1|0>` and further options, kept as given. */
const qemuAgent: Read = (value) => {
  const raw = typeof value === 'number' ? String(value) : value;
  const enabled =
    typeof raw === 'string' ? parsePropertyString(raw, 'enabled')?.get('enabled') : undefined;
  return enabled === '0' || enabled === '1'
    ? String(raw)
    : { error: 'invalid format - enabled: type check (boolean) failed' };
};

const dnsName = text(
  /^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
  255,
);
const description = text(/^[^\0]*$/, 8192);
const options = 'VM.Config.Options';

const qemuOstypes = ['other', 'wxp', 'w2k', 'w2k3', 'w2k8', 'wvista', 'win7', 'win8', 'win10'];
const lxcOstypes = ['debian', 'devuan', 'ubuntu', 'centos', 'fedora', 'opensuse', 'archlinux'];

/** The modelled create options of one guest type. */
export function createOptionRules(type: GuestType): Record<string, CreateOptionRule> {
  if (type === 'qemu') {
    return {
      name: { privilege: options, read: dnsName },
      cores: { privilege: 'VM.Config.CPU', read: integer(1) },
      sockets: { privilege: 'VM.Config.CPU', read: integer(1) },
      cpu: { privilege: 'VM.Config.CPU', read: qemuCpu },
      memory: { privilege: 'VM.Config.Memory', read: qemuMemory },
      ostype: {
        privilege: options,
        read: oneOf([...qemuOstypes, 'win11', 'l24', 'l26', 'solaris']),
      },
      agent: { privilege: options, read: qemuAgent },
      scsihw: {
        privilege: options,
        read: oneOf([
          'lsi',
          'lsi53c810',
          'virtio-scsi-pci',
          'virtio-scsi-single',
          'megasas',
          'pvscsi',
        ]),
      },
      onboot: { privilege: options, read: flag },
      description: { privilege: options, read: description },
      ...netOptionRules('qemu'),
    };
  }
  return {
    hostname: { privilege: options, read: dnsName },
    cores: { privilege: 'VM.Config.CPU', read: integer(1, 8192) },
    memory: { privilege: 'VM.Config.Memory', read: integer(16) },
    swap: { privilege: 'VM.Config.Memory', read: integer(0) },
    ostype: {
      privilege: options,
      read: oneOf([...lxcOstypes, 'alpine', 'gentoo', 'nixos', 'unmanaged']),
    },
    onboot: { privilege: options, read: flag },
    description: { privilege: options, read: description },
    ...netOptionRules('lxc'),
  };
}
