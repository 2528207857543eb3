import { hasPrivileges } from '../acl.js';
import { requireReachableNode } from '../guests.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { storageUsedBytes } from '../state.js';

// `GET /nodes/{node}/storage`: the storages a node has, as PVE lists them, only those on which
// the caller holds Datastore.Audit or Datastore.AllocateSpace. `content` keeps the storages that
// hold that content type; `storage` keeps one storage.

const contentTypes = ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'];

function list(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const content = p.text('content', { values: contentTypes });
  const only = p.text('storage', { pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i });
  const enabledOnly = p.text('enabled', { values: ['0', '1'] }) === '1';
  p.text('format', { values: ['0', '1'] });
  p.done();

  const { state } = ctx.runtime;
  const node = ctx.pathParams.node ?? '';
  requireReachableNode(state, node);
  const userid = ctx.userid ?? '';
  const rows = [...state.storages.values()]
    .filter((storage) => storage.nodes.includes(node))
    .filter((storage) => only === undefined || storage.id === only)
    .filter((storage) => content === undefined || storage.content.includes(content as never))
    // PVE leaves a disabled storage out when asked for a content type or for enabled ones only.
    .filter((storage) => storage.disabled !== true || (content === undefined && !enabledOnly))
    .filter((storage) =>
      hasPrivileges(
        state,
        userid,
        `/storage/${storage.id}`,
        ['Datastore.Audit', 'Datastore.AllocateSpace'],
        'any',
      ),
    )
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((storage) => {
      const used = storageUsedBytes(storage, node);
      return {
        storage: storage.id,
        type: storage.type,
        content: storage.content.join(','),
        shared: storage.shared ? 1 : 0,
        active: storage.disabled === true || storage.online === false ? 0 : 1,
        enabled: storage.disabled === true ? 0 : 1,
        total: storage.capacityBytes,
        used,
        avail: Math.max(0, storage.capacityBytes - used),
        used_fraction: used / storage.capacityBytes,
      };
    });
  return { data: rows };
}

/** The route listing a node's storages. */
export const nodeStorageRoutes: Route[] = [
  { method: 'GET', template: '/nodes/{node}/storage', auth: 'ticket', handle: list },
];
