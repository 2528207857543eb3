import { requirePrivileges } from '../acl.js';
import { parameterError, serverError } from '../api-error.js';
import type { ConfigValue, GuestType } from '../disks.js';
import { requireGuest } from '../guests.js';
import { netOptionRules } from '../net-options.js';
import { pciOptionRules } from '../pci-options.js';
import { parsePropertyString } from '../property-string.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { configDigest, instanceLock } from '../state.js';
import { digestMismatchMessage } from './resize.js';
import { applyVolumeChanges, isVolumeOption, readVolumeOption } from './disk-config.js';

// The synchronous config write `PUT /nodes/{node}/{qemu,lxc}/{vmid}/config` for the CPU, memory,
// network interface and descriptive options, and the disk slots (see disk-config.ts). PVE's
// order is kept: parameters, then (under the config lock) the digest, the guest's lock, and the
// privilege each option needs; then the values are written and `delete` removes keys. Real PVE
// keeps a change that a running VM cannot take at once as pending until the next reboot; the
// simulator applies every change at once.

/** How one option is checked and stored, and the privilege that changing it needs. */
interface OptionRule {
  privilege: string;
  /** The stored value, or an error message for the 400. */
  read: (value: unknown) => ConfigValue | { error: string };
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER): OptionRule['read'] {
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

function text(pattern: RegExp, maxLength: number): OptionRule['read'] {
  return (value) => {
    if (typeof value !== 'string' && typeof value !== 'number') return { error: 'not a string' };
    const string = String(value);
    if (string.length > maxLength) return { error: `value may only be ${maxLength} characters` };
    return pattern.test(string) ? string : { error: 'value does not match the regex pattern' };
  };
}

/** qemu `memory`: `[current=]<MiB>`, at least 16; stored as PVE 9 prints it, `"4096"`. */
const qemuMemory: OptionRule['read'] = (value) => {
  const map = typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  const parsed = map === null ? null : parsePropertyString(map, 'current');
  const current = parsed?.get('current');
  if (!parsed || parsed.size !== 1 || current === undefined) {
    return { error: 'invalid format - expected [current=]<integer>' };
  }
  const checked = integer(16)(current);
  return typeof checked === 'object'
    ? { error: `invalid format - current: ${checked.error}` }
    : String(checked);
};

/** qemu `cpu`: a CPU model as the default key `cputype`, with further options kept as given. */
const qemuCpu: OptionRule['read'] = (value) => {
  const parsed = typeof value === 'string' ? parsePropertyString(value, 'cputype') : null;
  const model = parsed?.get('cputype');
  if (!parsed || model === undefined || !/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(model)) {
    return { error: 'invalid format - cputype: value does not name a CPU model' };
  }
  return String(value);
};

const description = text(/^[^\0]*$/, 8192);
const onboot = text(/^[01]$/, 1);

const rules: Record<GuestType, Record<string, OptionRule>> = {
  qemu: {
    cores: { privilege: 'VM.Config.CPU', read: integer(1) },
    sockets: { privilege: 'VM.Config.CPU', read: integer(1) },
    cpu: { privilege: 'VM.Config.CPU', read: qemuCpu },
    memory: { privilege: 'VM.Config.Memory', read: qemuMemory },
    name: { privilege: 'VM.Config.Options', read: text(/^[a-zA-Z0-9]([a-zA-Z0-9.-]*)$/, 63) },
    description: { privilege: 'VM.Config.Options', read: description },
    onboot: { privilege: 'VM.Config.Options', read: onboot },
    ...netOptionRules('qemu'),
    ...pciOptionRules(),
  },
  lxc: {
    cores: { privilege: 'VM.Config.CPU', read: integer(1, 8192) },
    memory: { privilege: 'VM.Config.Memory', read: integer(16) },
    swap: { privilege: 'VM.Config.Memory', read: integer(0) },
    hostname: { privilege: 'VM.Config.Options', read: text(/^[a-zA-Z0-9]([a-zA-Z0-9.-]*)$/, 63) },
    description: { privilege: 'VM.Config.Options', read: description },
    onboot: { privilege: 'VM.Config.Options', read: onboot },
    ...netOptionRules('lxc'),
  },
};

const notModelled = 'the simulator does not model changing this option';

/** The keys of a `delete` list (`pve-configid-list`: separated by commas, spaces or semicolons). */
function deleteList(value: unknown): string[] | null {
  if (value === undefined) return [];
  if (typeof value !== 'string') return null;
  const keys = value.split(/[,;\s]+/).filter((key) => key !== '');
  return keys.every((key) => /^[a-z][a-z_\-0-9]*$/i.test(key)) ? keys : null;
}

function updateConfig(type: GuestType) {
  return (ctx: RequestContext): RouteResult => {
    const errors: Record<string, string> = {};
    const vmidText = ctx.pathParams.vmid ?? '';
    if (!/^[1-9][0-9]{2,8}$/.test(vmidText)) errors.vmid = 'value does not look like a valid VM ID';
    const { digest, delete: deleteParam, ...options } = ctx.params;
    if (digest !== undefined && (typeof digest !== 'string' || digest.length > 40)) {
      errors.digest = 'value may only be 40 characters long';
    }
    const deleted = deleteList(deleteParam);
    if (deleted === null) errors.delete = 'value does not match the format pve-configid-list';

    const values = new Map<string, ConfigValue>();
    const volumeValues = new Map<string, string>();
    for (const [key, value] of Object.entries(options)) {
      if (isVolumeOption(type, key)) {
        const read = readVolumeOption(type, key, value);
        if (typeof read === 'object') errors[key] = read.error;
        else volumeValues.set(key, read);
        continue;
      }
      const rule = rules[type][key];
      if (!rule) {
        errors[key] = notModelled;
        continue;
      }
      const read = rule.read(value);
      if (typeof read === 'object') errors[key] = read.error;
      else values.set(key, read);
    }
    for (const key of deleted ?? []) {
      if (!rules[type][key] && !isVolumeOption(type, key)) {
        errors.delete ??= `cannot delete '${key}': ${notModelled}`;
      } else if (values.has(key) || volumeValues.has(key)) {
        errors.delete ??= `'${key}' is both set and deleted`;
      }
    }
    if (Object.keys(errors).length > 0) throw parameterError(errors);
    if (values.size === 0 && volumeValues.size === 0 && (deleted ?? []).length === 0)
      throw serverError('no options specified');

    const { state } = ctx.runtime;
    const guest = requireGuest(state, ctx.pathParams.node ?? '', type, Number(vmidText));
    if (digest !== undefined && digest !== configDigest(guest.config)) {
      throw serverError(digestMismatchMessage);
    }
    const lock = instanceLock(guest);
    if (lock !== null) throw serverError(`${type === 'qemu' ? 'VM' : 'CT'} is locked (${lock})`);
    for (const key of [...values.keys(), ...volumeValues.keys(), ...(deleted ?? [])]) {
      const fallback = isVolumeOption(type, key) ? 'VM.Config.Disk' : 'VM.Config.Options';
      const privilege = rules[type][key]?.privilege ?? fallback;
      requirePrivileges(state, ctx.userid ?? '', `/vms/${guest.vmid}`, [privilege]);
    }

    // Checks every volume key before changing anything, so a refused write changes nothing.
    const volumeDeletes = (deleted ?? []).filter((key) => isVolumeOption(type, key));
    applyVolumeChanges(state, guest, type, volumeValues, volumeDeletes);
    for (const [key, value] of values) guest.config[key] = value;
    for (const key of deleted ?? []) if (!isVolumeOption(type, key)) delete guest.config[key];
    const name = guest.config[type === 'qemu' ? 'name' : 'hostname'];
    guest.name =
      name === undefined ? `${type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid}` : String(name);
    return { data: null };
  };
}

const configPermission = (ctx: RequestContext): void =>
  requirePrivileges(
    ctx.runtime.state,
    ctx.userid ?? '',
    `/vms/${ctx.pathParams.vmid ?? ''}`,
    [
      'VM.Config.Disk',
      'VM.Config.CDROM',
      'VM.Config.CPU',
      'VM.Config.Memory',
      'VM.Config.Network',
      'VM.Config.HWType',
      'VM.Config.Options',
      'VM.Config.Cloudinit',
    ],
    'any',
  );

/** Routes for the synchronous config writes of qemu and lxc guests. */
export const configUpdateRoutes: Route[] = (['qemu', 'lxc'] as const).map((type): Route => ({
  method: 'PUT',
  template: `/nodes/{node}/${type}/{vmid}/config`,
  auth: 'ticket',
  permission: configPermission,
  handle: updateConfig(type),
}));
