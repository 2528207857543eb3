import { requirePrivileges } from '../acl.js';
import { serverError } from '../api-error.js';
import { diskSlotNames, readDisk, withDiskSize, type GuestType } from '../disks.js';
import { requireGuest } from '../guests.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { formatSize, parseSizeChange } from '../sizes.js';
import { configDigest, findVolume, instanceLock, storageUsedBytes } from '../state.js';

// Disk resize for qemu and lxc. Everything that can be refused is refused before the task starts
// (bad disk, digest mismatch, lock, storage permission, shrink); the task then grows the volume
// and rewrites the disk's `size=` when it ends, unless the storage has no room left.

/** PVE's text when the config changed since the caller read its digest. */
export const digestMismatchMessage =
  'detected modified configuration - file changed by other user? Try again.';

function resize(type: GuestType) {
  return (ctx: RequestContext): RouteResult => {
    const p = new ParamReader({ ...ctx.params, ...ctx.pathParams });
    const vmid = p.vmid();
    const diskKey = p.requiredText('disk', { values: diskSlotNames(type) });
    const sizeText = p.requiredText('size', { pattern: /^\+?\d+(\.\d+)?[KMGT]?$/ });
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

    const value = guest.config[diskKey];
    if (value === undefined) throw serverError(`disk '${diskKey}' does not exist`);
    const disk = readDisk(type, diskKey, String(value));
    if (!disk) throw serverError(`unable to parse ${diskKey}`);
    if (disk.cdrom) throw serverError("you can't resize a cdrom");
    if (disk.bindMount)
      throw serverError(`cannot resize '${diskKey}': it is a bind mount, not a volume`);
    if (disk.storage === null || disk.volid === null) {
      throw serverError(`disk '${diskKey}' has no associated volume`);
    }
    requirePrivileges(state, userid, `/storage/${disk.storage}`, ['Datastore.AllocateSpace']);
    const volume = findVolume(state, disk.storage, disk.volid, node);
    if (!volume) throw serverError(`volume '${disk.volid}' does not exist`);

    const change = parseSizeChange(sizeText);
    if (!change) throw serverError(`invalid size string '${sizeText}'`);
    const fromBytes = volume.sizeBytes;
    const toBytes = change.relative ? fromBytes + change.bytes : change.bytes;
    if (toBytes < fromBytes) throw serverError('shrinking disks is not supported');

    const storageId = disk.storage;
    const task = tasks.start({
      node,
      type: 'resize',
      id: String(vmid),
      user: userid,
      progress: [
        `resizing ${diskKey} (${disk.volid}) from ${formatSize(fromBytes)} to ${formatSize(toBytes)}`,
        `extending volume ${disk.volid} on storage '${storageId}'`,
      ],
      finish: () => {
        // PVE works out the new size inside the locked task, so two relative resizes that run
        // one after the other both take effect.
        const targetBytes = change.relative ? volume.sizeBytes + change.bytes : change.bytes;
        if (targetBytes < volume.sizeBytes) throw new Error('shrinking disks is not supported');
        const storage = state.storages.get(storageId);
        const growth = targetBytes - volume.sizeBytes;
        if (storage && growth > 0) {
          const freeBytes = storage.capacityBytes - storageUsedBytes(storage, node);
          if (growth > freeBytes) {
            throw new Error(
              `not enough free space on storage '${storageId}' (needs ${growth} bytes, ${freeBytes} free)`,
            );
          }
        }
        volume.sizeBytes = targetBytes;
        // Read the disk again: the config may have changed while the task ran.
        const current = guest.config[diskKey];
        const latest = current === undefined ? null : readDisk(type, diskKey, String(current));
        if (latest && latest.volid === disk.volid) {
          guest.config[diskKey] = withDiskSize(latest, type, volume.sizeBytes);
        }
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

/** Routes for qemu and lxc disk resize. */
export const resizeRoutes: Route[] = [
  {
    method: 'PUT',
    template: '/nodes/{node}/qemu/{vmid}/resize',
    auth: 'ticket',
    permission: diskPermission,
    handle: resize('qemu'),
  },
  {
    method: 'PUT',
    template: '/nodes/{node}/lxc/{vmid}/resize',
    auth: 'ticket',
    permission: diskPermission,
    handle: resize('lxc'),
  },
];
