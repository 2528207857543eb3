import { requirePrivileges } from '../acl.js';
import { serverError } from '../api-error.js';
import { diskSlotNames, readDisk, type GuestType } from '../disks.js';
import { requireGuest } from '../guests.js';
import { ParamReader } from '../params.js';
import { printPropertyString } from '../property-string.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { formatSize } from '../sizes.js';
import type { SimState, StorageState } from '../state.js';
import { configDigest, findVolume, instanceLock, storageUsedBytes } from '../state.js';
import { digestMismatchMessage } from './resize.js';

// qemu `move_disk` and lxc `move_volume` to another storage of the same node. Everything that can
// be refused is refused before the task starts; the task then copies the volume to a new
// `vm-<vmid>-disk-<n>` on the target (if the target has room), points the disk key at it, and
// either destroys the source or keeps it as the first free `unusedN`.

function freeVolumeName(storage: StorageState, vmid: number, node: string): string {
  for (let index = 0; ; index += 1) {
    const volid = `${storage.id}:vm-${vmid}-disk-${index}`;
    const taken = storage.volumes.some(
      (v) => v.volid === volid && (storage.shared || v.node === node),
    );
    if (!taken) return volid;
  }
}

function firstFreeUnused(config: Record<string, unknown>): string {
  for (let index = 0; index < 256; index += 1) {
    if (!Object.hasOwn(config, `unused${index}`)) return `unused${index}`;
  }
  throw new Error('too many unused volumes');
}

function targetStorage(state: SimState, id: string, node: string, type: GuestType): StorageState {
  const storage = state.storages.get(id);
  if (!storage) throw serverError(`storage '${id}' does not exist`);
  if (!storage.nodes.includes(node))
    throw serverError(`storage '${id}' is not available on node '${node}'`);
  const content = type === 'qemu' ? 'images' : 'rootdir';
  if (!storage.content.includes(content)) {
    throw serverError(`storage '${id}' does not support ${content} content`);
  }
  return storage;
}

function move(type: GuestType) {
  return (ctx: RequestContext): RouteResult => {
    const keyParam = type === 'qemu' ? 'disk' : 'volume';
    const p = new ParamReader({ ...ctx.params, ...ctx.pathParams });
    const vmid = p.vmid();
    const key = p.requiredText(keyParam, { values: diskSlotNames(type) });
    const targetId = p.requiredText('storage', { pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i });
    const deleteSource = p.text('delete', { values: ['0', '1'] }) === '1';
    const digest = p.text('digest', { maxLength: 40 });
    p.done();

    const { state, tasks } = ctx.runtime;
    const node = ctx.pathParams.node ?? '';
    const userid = ctx.userid ?? '';
    const guest = requireGuest(state, node, type, vmid);
    if (digest !== undefined && digest !== configDigest(guest.config))
      throw serverError(digestMismatchMessage);
    const lock = instanceLock(guest);
    if (lock !== null) throw serverError(`${type === 'qemu' ? 'VM' : 'CT'} is locked (${lock})`);

    const value = guest.config[key];
    if (value === undefined) throw serverError(`disk '${key}' does not exist`);
    const disk = readDisk(type, key, String(value));
    if (!disk) throw serverError(`unable to parse ${key}`);
    if (disk.cdrom) throw serverError("you can't move a cdrom");
    if (disk.bindMount || disk.storage === null || disk.volid === null) {
      throw serverError(`cannot move '${key}': it is not a storage volume`);
    }
    if (disk.storage === targetId) throw serverError(`you can't move to the same storage`);
    const target = targetStorage(state, targetId, node, type);
    requirePrivileges(state, userid, `/storage/${targetId}`, ['Datastore.AllocateSpace']);
    const source = findVolume(state, disk.storage, disk.volid, node);
    if (!source) throw serverError(`volume '${disk.volid}' does not exist`);

    const task = tasks.start({
      node,
      type: type === 'qemu' ? 'qmmove' : 'move_volume',
      id: String(vmid),
      user: userid,
      progress: [
        `moving ${key} (${disk.volid}, ${formatSize(source.sizeBytes)}) to storage '${targetId}'`,
      ],
      finish: () => {
        const freeBytes = target.capacityBytes - storageUsedBytes(target, node);
        if (source.sizeBytes > freeBytes) {
          throw new Error(
            `not enough free space on storage '${targetId}' (needs ${source.sizeBytes} bytes, ${freeBytes} free)`,
          );
        }
        const volid = freeVolumeName(target, vmid, node);
        target.volumes.push({
          ...source,
          volid,
          storage: targetId,
          node: target.shared ? null : node,
        });
        const options = new Map(disk.options);
        options.set(type === 'qemu' ? 'file' : 'volume', volid);
        options.set('size', formatSize(source.sizeBytes));
        guest.config[key] = printPropertyString(options, type === 'qemu' ? 'file' : 'volume');
        const from = state.storages.get(source.storage);
        if (deleteSource && from) from.volumes.splice(from.volumes.indexOf(source), 1);
        else guest.config[firstFreeUnused(guest.config)] = source.volid;
        return [];
      },
    });
    return { data: task.upid };
  };
}

const diskPermission = (ctx: RequestContext): void =>
  requirePrivileges(ctx.runtime.state, ctx.userid ?? '', `/vms/${ctx.pathParams.vmid ?? ''}`, [
    'VM.Config.Disk',
  ]);

/** Routes for qemu `move_disk` and lxc `move_volume`. */
export const moveVolumeRoutes: Route[] = [
  {
    method: 'POST',
    template: '/nodes/{node}/qemu/{vmid}/move_disk',
    auth: 'ticket',
    permission: diskPermission,
    handle: move('qemu'),
  },
  {
    method: 'POST',
    template: '/nodes/{node}/lxc/{vmid}/move_volume',
    auth: 'ticket',
    permission: diskPermission,
    handle: move('lxc'),
  },
];
