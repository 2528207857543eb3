import type { ChannelName } from '../../shared/contract';
import { AppError } from '../../shared/errors';

// PVE names a refused parameter by its own name (`size`, `memory`, `net1.rate`); a form knows its
// fields by the channel's input names (`addGiB`, `memoryMiB`, `rateMBps`). Each operation lists,
// explicitly, which PVE parameter it writes for which input field, so a PVE 400 lands on the right
// field. Nothing is guessed: a parameter an operation does not list keeps its PVE name and shows
// in the dialog's general error instead.

/** How one operation's PVE parameters name its input fields. */
export interface PveFieldMap {
  /** Exact PVE parameter (or `param.option`) to input field. */
  params?: Readonly<Record<string, string>>;
  /** A numbered property-string parameter the operation writes (`net3`, `hostpci0`, `scsi2`). */
  slot?: {
    key: RegExp;
    /** Options inside it, to input fields. */
    options: Readonly<Record<string, string>>;
    /** The input field for a reason about the whole value; absent to keep PVE's name. */
    whole?: string;
  };
}

const netSlot = /^net\d+$/;
const pciSlot = /^hostpci\d+$/;
const diskSlot = /^(?:ide|sata|scsi|virtio|mp)\d+$/;
const pciFlags = { pcie: 'pcie', 'x-vga': 'xVga', rombar: 'rombar' } as const;

/** Per operation, where PVE's parameter names differ from (or match) the input's field names. */
export const pveFieldMaps: Partial<Readonly<Record<ChannelName, PveFieldMap>>> = {
  'disk:resize': { params: { size: 'addGiB', disk: 'disk' } },
  'instance:resources': {
    params: {
      cores: 'cores',
      sockets: 'sockets',
      memory: 'memoryMiB',
      'memory.current': 'memoryMiB',
      swap: 'swapMiB',
      cpu: 'cpuType',
      'cpu.cputype': 'cpuType',
    },
  },
  'net:create': {
    slot: {
      key: netSlot,
      options: {
        model: 'model',
        bridge: 'bridge',
        tag: 'vlanTag',
        rate: 'rateMBps',
        name: 'name',
        ip: 'ip',
      },
    },
  },
  'net:modify': { slot: { key: netSlot, options: { rate: 'rateMBps' }, whole: 'rateMBps' } },
  'net:delete': { params: { delete: 'key' } },
  'pci:attach': {
    slot: {
      key: pciSlot,
      options: { host: 'device', mapping: 'device', ...pciFlags },
      whole: 'device',
    },
  },
  'pci:modify': { slot: { key: pciSlot, options: pciFlags } },
  'pci:detach': { params: { delete: 'key' } },
  'disk:create': { slot: { key: diskSlot, options: { size: 'sizeGiB', mp: 'mountPath' } } },
  'disk:attach': { slot: { key: diskSlot, options: { mp: 'mountPath' }, whole: 'volume' } },
  'disk:detach': { params: { delete: 'disk' } },
  'disk:delete': { params: { delete: 'disk' } },
  'disk:move': {
    params: { disk: 'disk', volume: 'disk', storage: 'targetStorage', delete: 'deleteSource' },
  },
  'instance:create': {
    params: {
      vmid: 'vmid',
      name: 'name',
      hostname: 'name',
      pool: 'pool',
      cores: 'cores',
      memory: 'memoryMiB',
      'memory.current': 'memoryMiB',
      swap: 'swapMiB',
      cpu: 'cpuType',
      'cpu.cputype': 'cpuType',
      ostemplate: 'ostemplate',
      password: 'password',
      'rootfs.size': 'rootfs.sizeGiB',
      ide2: 'iso',
    },
    slot: { key: /^(?:ide|sata|scsi|virtio)0$/, options: { size: 'disk.sizeGiB' } },
  },
};

/** The input field a PVE parameter (or `param.option`) stands for in one operation, if listed. */
export function inputFieldOf(map: PveFieldMap, pveName: string): string | undefined {
  const direct = map.params?.[pveName];
  if (direct !== undefined) return direct;
  if (map.slot === undefined) return undefined;
  const dot = pveName.indexOf('.');
  const param = dot === -1 ? pveName : pveName.slice(0, dot);
  if (!map.slot.key.test(param)) return undefined;
  return dot === -1 ? map.slot.whole : map.slot.options[pveName.slice(dot + 1)];
}

/** PVE's per-field reasons renamed to the operation's input fields; unlisted names are kept. */
export function toInputFields(
  map: PveFieldMap,
  fields: Readonly<Record<string, string>>,
): Record<string, string> {
  const renamed: Record<string, string> = {};
  for (const [pveName, why] of Object.entries(fields)) {
    const field = inputFieldOf(map, pveName) ?? pveName;
    renamed[field] = renamed[field] === undefined ? why : `${renamed[field]}; ${why}`;
  }
  return renamed;
}

/** A PVE_VALIDATION error of `channel` with its fields named as the channel's input names them. */
export function withInputFieldNames(channel: ChannelName, error: AppError): AppError {
  const map = pveFieldMaps[channel];
  const fields = error.details?.fields;
  if (error.code !== 'PVE_VALIDATION' || map === undefined || fields === undefined) return error;
  return new AppError(error.code, error.message, {
    ...error.details,
    fields: toInputFields(map, fields),
  });
}
