import type { InstanceDetail } from '../../../shared/contract';
import { MiB } from '../../../shared/units';
import type { GuestConfig } from '../../pve/api-schemas';
import { readCpuModel } from '../../pve/cpu-model';
import { parseGuestNetworks } from '../../pve/networks';
import { isResizableVolume, parseGuestVolumes } from '../../pve/volumes';
import type { HandlerGroup } from '../context';
import { toNetworkInterface } from '../network-change';
import { findOwnedGuest, isGuestRow, isOwned, toSummary } from '../ownership';

/** A numeric config value; PVE sends some numbers as strings. Null when unset or unreadable. */
export function configNumber(config: GuestConfig, key: string): number | null {
  const value = config[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}

/** A VM's CPU model, or null with the reason its `cpu` value could not be read. */
function cpuTypeOf(config: GuestConfig): { cpuType: string | null; problem: string | null } {
  try {
    return { cpuType: readCpuModel(config.cpu), problem: null };
  } catch (error) {
    return { cpuType: null, problem: error instanceof Error ? error.message : 'unreadable' };
  }
}

function mebibytes(config: GuestConfig, key: string): number | null {
  const value = configNumber(config, key);
  return value === null ? null : value * MiB;
}

/** The user's instances and one instance's parsed config. */
export const instanceHandlers: HandlerGroup<'instance:list' | 'instance:get'> = {
  'instance:list': async (_input, { sessions, quota }) => {
    const { api, userid } = await sessions.api();
    const limits = await quota.limitsFor(api, userid);
    const rows = await api.guests();
    return rows
      .filter(isGuestRow)
      .filter((row) => isOwned(row, limits))
      .map(toSummary)
      .sort((a, b) => a.vmid - b.vmid);
  },

  'instance:get': async (ref, { sessions, quota }) => {
    const { api, userid } = await sessions.api();
    const limits = await quota.limitsFor(api, userid);
    const row = await findOwnedGuest(api, limits, ref);
    const config = await api.config(ref.node, ref.type, ref.vmid);
    const { volumes, problems } = parseGuestVolumes(ref.type, config);
    const missing = new Set(
      volumes
        .filter((v) => v.sizeBytes === null && v.storage !== null && v.kind !== 'cdrom')
        .map((v) => v.storage as string),
    );
    const listed = new Map<string, number>();
    for (const storage of missing) {
      for (const item of await api.storageContent(ref.node, storage, ref.vmid)) {
        if (item.size !== undefined) listed.set(item.volid, item.size);
      }
    }
    const nets = parseGuestNetworks(ref.type, config);
    const cpu = ref.type === 'qemu' ? cpuTypeOf(config) : { cpuType: null, problem: null };
    const detail: InstanceDetail = {
      ...toSummary(row),
      digest: config.digest,
      cores: configNumber(config, 'cores'),
      sockets: ref.type === 'qemu' ? configNumber(config, 'sockets') : null,
      memoryBytes: mebibytes(config, 'memory'),
      swapBytes: ref.type === 'lxc' ? mebibytes(config, 'swap') : null,
      cpuType: cpu.cpuType,
      disks: volumes
        .map((volume) => ({
          key: volume.key,
          volume: volume.volume,
          storage: volume.storage,
          sizeBytes: volume.sizeBytes ?? listed.get(volume.volume) ?? null,
          kind: volume.kind,
          mountPath: volume.mountPath,
          resizable: isResizableVolume(volume),
        }))
        .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true })),
      networks: nets.networks.map(toNetworkInterface),
      problems: [
        ...problems,
        ...nets.problems,
        ...(cpu.problem === null ? [] : [{ key: 'cpu', reason: cpu.problem }]),
      ],
    };
    return detail;
  },
};
