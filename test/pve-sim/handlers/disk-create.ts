import { requirePrivileges } from '../acl.js';
import { parameterError, serverError } from '../api-error.js';
import { diskSlotNames, readDisk } from '../disks.js';
import { requireGuest } from '../guests.js';
import { printPropertyString } from '../property-string.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { formatSize } from '../sizes.js';
import type { SimState, StorageState, VolumeState } from '../state.js';
import { configDigest, findVolume, instanceLock, storageUsedBytes } from '../state.js';
import { digestMismatchMessage } from './resize.js';

// The asynchronous qemu config write `POST /nodes/{node}/qemu/{vmid}/config`, modelled for what
// it is needed for: setting one free disk slot to `STORAGE:SIZE` (PVE allocates a new
// `vm-<vmid>-disk-<n>` of SIZE GiB, if the storage has room) or to an existing ISO as a CD drive.

const allocation = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+)$/i;

/** The first `vm-<vmid>-disk-<n>` not yet on the storage as seen from `node`. */
export function freeVolumeId(storage: StorageState, vmid: number, node: string): string {
  for (let index = 0; ; index += 1) {
    const volid = `${storage.id}:vm-${vmid}-disk-${index}`;
    if (!storage.volumes.some((v) => v.volid === volid && (storage.shared || v.node === node))) {
      return volid;
    }
  }
}

/** Allocates a new volume of `sizeBytes`; throws when the storage has no room left. */
export function allocateVolume(
  state: SimState,
  storageId: string,
  vmid: number,
  node: string,
  sizeBytes: number,
  content: 'images' | 'rootdir',
): VolumeState {
  const storage = state.storages.get(storageId);
  if (!storage) throw new Error(`storage '${storageId}' does not exist`);
  const freeBytes = storage.capacityBytes - storageUsedBytes(storage, node);
  if (sizeBytes > freeBytes) {
    throw new Error(
      `not enough free space on storage '${storageId}' (needs ${sizeBytes} bytes, ${freeBytes} free)`,
    );
  }
  const volume: VolumeState = {
    volid: freeVolumeId(storage, vmid, node),
    storage: storageId,
    node: storage.shared ? null : node,
    sizeBytes,
    format: 'raw',
    content,
    vmid,
    ctime: null,
  };
  storage.volumes.push(volume);
  return volume;
}

function createDisk(ctx: RequestContext): RouteResult {
  const vmidText = ctx.pathParams.vmid ?? '';
  const { digest, ...options } = ctx.params;
  const errors: Record<string, string> = {};
  if (!/^[1-9][0-9]{2,8}$/.test(vmidText)) errors.vmid = 'value does not look like a valid VM ID';
  if (digest !== undefined && (typeof digest !== 'string' || digest.length > 40)) {
    errors.digest = 'value may only be 40 characters long';
  }
  const entries = Object.entries(options);
  const slots = diskSlotNames('qemu');
  for (const [key] of entries) {
    if (!slots.includes(key)) errors[key] = 'the simulator models only disk slots here';
  }
  if (entries.length !== 1) errors.config = 'the simulator models one disk slot per write';
  if (Object.keys(errors).length > 0) throw parameterError(errors);
  const [key, rawValue] = entries[0] as [string, unknown];
  const disk = typeof rawValue === 'string' ? readDisk('qemu', key, rawValue) : null;
  if (!disk) throw parameterError({ [key]: 'invalid format - unable to parse the drive string' });

  const { state, tasks } = ctx.runtime;
  const node = ctx.pathParams.node ?? '';
  const userid = ctx.userid ?? '';
  const vmid = Number(vmidText);
  const guest = requireGuest(state, node, 'qemu', vmid);
  if (digest !== undefined && digest !== configDigest(guest.config)) {
    throw serverError(digestMismatchMessage);
  }
  const lock = instanceLock(guest);
  if (lock !== null) throw serverError(`VM is locked (${lock})`);
  if (Object.hasOwn(guest.config, key)) throw serverError(`${key} is already in use`);
  const allocated = allocation.exec(disk.source);
  const storageId = allocated?.[1] ?? disk.storage;
  if (storageId === null) throw serverError(`${key}: not a storage volume`);
  const storage = state.storages.get(storageId);
  if (!storage || !storage.nodes.includes(node)) {
    throw serverError(`storage '${storageId}' does not exist on node '${node}'`);
  }
  requirePrivileges(state, userid, `/vms/${vmid}`, [
    allocated ? 'VM.Config.Disk' : 'VM.Config.CDROM',
  ]);
  requirePrivileges(state, userid, `/storage/${storageId}`, [
    allocated ? 'Datastore.AllocateSpace' : 'Datastore.Audit',
  ]);
  let iso: VolumeState | undefined;
  if (!allocated) {
    iso = disk.volid === null ? undefined : findVolume(state, storageId, disk.volid, node);
    if (!iso || iso.content !== 'iso' || !disk.cdrom) {
      throw serverError(`${key}: volume '${disk.source}' is not an ISO on '${storageId}'`);
    }
  }

  const task = tasks.start({
    node,
    type: 'qmconfig',
    id: String(vmid),
    user: userid,
    progress: [
      allocated ? `allocating a new disk on storage '${storageId}'` : `inserting ${disk.source}`,
    ],
    finish: () => {
      // PVE checks again in the task, under the guest's config lock: of two writes sent with
      // one digest, the second fails here rather than take the slot the first one filled.
      if (digest !== undefined && digest !== configDigest(guest.config)) {
        throw new Error(digestMismatchMessage);
      }
      if (Object.hasOwn(guest.config, key)) throw new Error(`${key} is already in use`);
      const options = new Map(disk.options);
      if (allocated) {
        const volume = allocateVolume(
          state,
          storageId,
          vmid,
          node,
          Number(allocated[2]) * 2 ** 30,
          'images',
        );
        options.set('file', volume.volid);
        options.set('size', formatSize(volume.sizeBytes));
      } else if (iso) {
        options.set('size', formatSize(iso.sizeBytes));
      }
      guest.config[key] = printPropertyString(options, 'file');
      return [];
    },
  });
  return { data: task.upid };
}

/** The route for the asynchronous qemu config write. */
export const diskCreateRoutes: Route[] = [
  {
    method: 'POST',
    template: '/nodes/{node}/qemu/{vmid}/config',
    auth: 'ticket',
    permission: (ctx) =>
      requirePrivileges(
        ctx.runtime.state,
        ctx.userid ?? '',
        `/vms/${ctx.pathParams.vmid ?? ''}`,
        ['VM.Config.Disk', 'VM.Config.CDROM'],
        'any',
      ),
    handle: createDisk,
  },
];
