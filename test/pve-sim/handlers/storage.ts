import { hasPrivileges, requirePrivileges } from '../acl.js';
import { serverError } from '../api-error.js';
import { requireReachableNode } from '../guests.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import type { SimState, VolumeState } from '../state.js';
import { backupAnnotations } from './backup.js';

// Storage content listing. Besides the endpoint's own check, PVE shows each volume only to users
// who may access it: ISOs and templates to anyone who may use the storage, a guest's disks to
// those who may configure that guest's disks, its backups to those who may back it up.

function canSee(state: SimState, userid: string, volume: VolumeState): boolean {
  const storagePath = `/storage/${volume.storage}`;
  if (hasPrivileges(state, userid, storagePath, ['Datastore.Allocate'])) return true;
  const vmPath = `/vms/${volume.vmid ?? ''}`;
  switch (volume.content) {
    case 'iso':
    case 'vztmpl':
    case 'import':
      return hasPrivileges(
        state,
        userid,
        storagePath,
        ['Datastore.AllocateSpace', 'Datastore.Audit'],
        'any',
      );
    case 'backup':
      return (
        volume.vmid !== null &&
        hasPrivileges(state, userid, storagePath, ['Datastore.AllocateSpace']) &&
        hasPrivileges(state, userid, vmPath, ['VM.Backup'])
      );
    case 'images':
    case 'rootdir':
      return (
        volume.vmid !== null &&
        hasPrivileges(state, userid, storagePath, ['Datastore.Audit']) &&
        hasPrivileges(state, userid, vmPath, ['VM.Config.Disk'])
      );
    case 'snippets':
      return false;
  }
}

function content(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const contentType = p.text('content', {
    values: ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'],
  });
  const vmid = p.integer('vmid', 100, 999_999_999);
  p.done();

  const { state } = ctx.runtime;
  const node = ctx.pathParams.node ?? '';
  const id = ctx.pathParams.storage ?? '';
  // PVE's proxy forwards the request to the node first, so a node it cannot reach answers 595.
  requireReachableNode(state, node);
  const storage = state.storages.get(id);
  if (!storage) throw serverError(`storage '${id}' does not exist`);
  if (!storage.nodes.includes(node))
    throw serverError(`storage '${id}' is not available on node '${node}'`);
  // PVE activates the storage before it lists it, and activation refuses these two.
  if (storage.disabled === true) throw serverError(`storage '${id}' is disabled`);
  if (storage.online === false) throw serverError(`storage '${id}' is not online`);

  const rows = storage.volumes
    .filter((volume) => storage.shared || volume.node === node)
    .filter((volume) => contentType === undefined || volume.content === contentType)
    .filter((volume) => vmid === undefined || volume.vmid === vmid)
    .filter((volume) => canSee(state, ctx.userid ?? '', volume))
    .sort((a, b) => a.volid.localeCompare(b.volid))
    .map((volume) => ({
      volid: volume.volid,
      content: volume.content,
      format: volume.format,
      size: volume.sizeBytes,
      ...(volume.vmid !== null ? { vmid: volume.vmid } : {}),
      ...(volume.ctime !== null ? { ctime: volume.ctime } : {}),
      ...backupAnnotations(volume),
    }));
  return { data: rows };
}

/** Routes under /nodes/{node}/storage. */
export const storageRoutes: Route[] = [
  {
    method: 'GET',
    template: '/nodes/{node}/storage/{storage}/content',
    auth: 'ticket',
    permission: (ctx) =>
      requirePrivileges(
        ctx.runtime.state,
        ctx.userid ?? '',
        `/storage/${ctx.pathParams.storage ?? ''}`,
        ['Datastore.Audit', 'Datastore.AllocateSpace'],
        'any',
      ),
    handle: content,
  },
];
