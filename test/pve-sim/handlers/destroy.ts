import { requirePrivileges } from '../acl.js';
import { serverError } from '../api-error.js';
import { listDisks, type GuestType } from '../disks.js';
import { requireGuest } from '../guests.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { instanceLock, type InstanceState, type SimState } from '../state.js';

// Destroying a guest (`DELETE /nodes/{node}/{qemu|lxc}/{vmid}`), an asynchronous task. Where PVE
// refuses is reproduced:
// - a running guest is refused before the task with a 500 (`VM <id> is running - destroy
//   failed`, `unable to destroy CT <id> - container is running`); lxc's `force` skips that check;
// - a protected guest is refused before the task too;
// - a lock is checked before the task for lxc and inside it for qemu (`VM is locked (backup)`).
// The task removes the guest, the volumes it owns that its config references (disks, unused
// volumes, rootfs, mount points; never a CD-ROM image or a bind mount), with
// `destroy-unreferenced-disks` every other volume of its vmid, and its ACL entries.

const booleanWords = ['0', '1', 'no', 'yes', 'false', 'true', 'off', 'on'];

function readFlag(p: ParamReader, name: string): boolean {
  const value = p.text(name, { values: booleanWords });
  return value !== undefined && ['1', 'yes', 'true', 'on'].includes(value);
}

function label(guest: InstanceState): string {
  return `${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid}`;
}

function refuseUpFront(guest: InstanceState, force: boolean): void {
  if (guest.status === 'running' && !force) {
    throw serverError(
      guest.type === 'qemu'
        ? `VM ${guest.vmid} is running - destroy failed`
        : `unable to destroy CT ${guest.vmid} - container is running`,
    );
  }
  const protection = guest.config.protection;
  if (protection === 1 || protection === '1') {
    throw serverError(`can't remove ${label(guest)} - protection mode enabled`);
  }
  const lock = instanceLock(guest);
  if (guest.type === 'lxc' && lock !== null) throw serverError(`CT is locked (${lock})`);
}

/** The volume ids the guest's config references and the guest owns. */
function referencedVolumes(guest: InstanceState): Set<string> {
  const volids = listDisks(guest.type, guest.config)
    .filter((disk) => !disk.cdrom && !disk.bindMount && disk.volid !== null)
    .map((disk) => disk.volid ?? '');
  return new Set(volids);
}

/** Removes the guest's volumes from every storage the node sees; returns the removed ids. */
function removeVolumes(state: SimState, guest: InstanceState, unreferenced: boolean): string[] {
  const referenced = referencedVolumes(guest);
  const removed: string[] = [];
  for (const storage of state.storages.values()) {
    storage.volumes = storage.volumes.filter((volume) => {
      const visible = storage.shared || volume.node === guest.node;
      // A referenced volume of another vmid (a linked clone's base) belongs to that guest.
      const owned = volume.vmid === guest.vmid;
      const guestContent = volume.content === 'images' || volume.content === 'rootdir';
      const doomed =
        visible && owned && (referenced.has(volume.volid) || (unreferenced && guestContent));
      if (doomed) removed.push(volume.volid);
      return !doomed;
    });
  }
  return removed;
}

function destroy(type: GuestType) {
  return (ctx: RequestContext): RouteResult => {
    const p = new ParamReader({ ...ctx.params, ...ctx.pathParams });
    const vmid = p.vmid();
    readFlag(p, 'purge');
    const unreferenced = readFlag(p, 'destroy-unreferenced-disks');
    const force = type === 'lxc' && readFlag(p, 'force');
    // Only root may skip the lock; nobody signs in as root here, so it is refused like PVE does.
    if (readFlag(p, 'skiplock')) throw serverError('Only root may use this option.');
    p.done();

    const { state, tasks } = ctx.runtime;
    const node = ctx.pathParams.node ?? '';
    const guest = requireGuest(state, node, type, vmid);
    refuseUpFront(guest, force);

    const name = label(guest);
    const task = tasks.start({
      node,
      type: type === 'qemu' ? 'qmdestroy' : 'vzdestroy',
      id: String(vmid),
      user: ctx.userid ?? '',
      progress: [`destroying ${name}`, `removing the volumes of ${name}`],
      finish: () => {
        // PVE repeats its checks once it holds the guest's config lock.
        if (state.instances.get(vmid) !== guest) {
          const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
          throw new Error(`Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`);
        }
        const lock = instanceLock(guest);
        if (lock !== null) throw new Error(`${type === 'qemu' ? 'VM' : 'CT'} is locked (${lock})`);
        if (guest.status === 'running') {
          if (!force) throw new Error(`${name} is running - destroy failed`);
          guest.status = 'stopped';
          guest.startedAtSeconds = null;
        }
        removeVolumes(state, guest, unreferenced);
        state.instances.delete(vmid);
        state.acl = state.acl.filter((entry) => entry.path !== `/vms/${vmid}`);
        return [];
      },
    });
    return { data: task.upid };
  };
}

const destroyPermission = (ctx: RequestContext): void =>
  requirePrivileges(ctx.runtime.state, ctx.userid ?? '', `/vms/${ctx.pathParams.vmid ?? ''}`, [
    'VM.Allocate',
  ]);

/** Routes that destroy qemu and lxc guests. */
export const destroyRoutes: Route[] = (['qemu', 'lxc'] as const).map((type): Route => ({
  method: 'DELETE',
  template: `/nodes/{node}/${type}/{vmid}`,
  auth: 'ticket',
  permission: destroyPermission,
  handle: destroy(type),
}));
