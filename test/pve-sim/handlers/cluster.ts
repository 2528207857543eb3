import { hasPrivileges } from '../acl.js';
import { guestIdentity, guestMetrics, nodeMetrics } from '../metrics.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import type { SimRuntime } from '../runtime.js';
import { storageUsedBytes } from '../state.js';

// /version and /cluster/resources. Resources are filtered by the caller's privileges the way PVE
// filters them: guests need VM.Audit, storages Datastore.Audit, pools Pool.Audit; every node is
// listed, but its figures only with Sys.Audit.

type Row = Record<string, unknown>;

function guestRows(runtime: SimRuntime, userid: string): Row[] {
  const { state } = runtime;
  const rows: Row[] = [];
  for (const instance of [...state.instances.values()].sort((a, b) => a.vmid - b.vmid)) {
    if (!hasPrivileges(state, userid, `/vms/${instance.vmid}`, ['VM.Audit'])) continue;
    const figures = guestMetrics(state, instance, runtime.nowMs());
    rows.push({
      id: `${instance.type}/${instance.vmid}`,
      type: instance.type,
      node: instance.node,
      ...guestIdentity(instance),
      ...figures,
      ...(instance.pool !== null ? { pool: instance.pool } : {}),
    });
  }
  return rows;
}

function storageRows(runtime: SimRuntime, userid: string): Row[] {
  const { state } = runtime;
  const rows: Row[] = [];
  for (const storage of state.storages.values()) {
    if (!hasPrivileges(state, userid, `/storage/${storage.id}`, ['Datastore.Audit'])) continue;
    for (const node of storage.nodes) {
      const online = state.nodes.get(node)?.status === 'online';
      rows.push({
        id: `storage/${node}/${storage.id}`,
        type: 'storage',
        storage: storage.id,
        node,
        plugintype: storage.type,
        content: [...storage.content].sort().join(','),
        shared: storage.shared ? 1 : 0,
        status: online ? 'available' : 'unknown',
        ...(online
          ? { maxdisk: storage.capacityBytes, disk: storageUsedBytes(storage, node) }
          : {}),
      });
    }
  }
  return rows;
}

function nodeRows(runtime: SimRuntime, userid: string): Row[] {
  const { state } = runtime;
  return [...state.nodes.values()].map((node) => {
    const audit = hasPrivileges(state, userid, `/nodes/${node.name}`, ['Sys.Audit']);
    return {
      id: `node/${node.name}`,
      type: 'node',
      node: node.name,
      status: node.status,
      level: '',
      ...(audit
        ? { 'cgroup-mode': 2, ...nodeMetrics(node, runtime.nowMs(), state.bootedAtSeconds) }
        : {}),
    };
  });
}

function poolRows(runtime: SimRuntime, userid: string): Row[] {
  const { state } = runtime;
  return [...state.pools.values()]
    .filter((pool) => hasPrivileges(state, userid, `/pool/${pool.poolid}`, ['Pool.Audit']))
    .map((pool) => ({ id: `pool/${pool.poolid}`, type: 'pool', pool: pool.poolid }));
}

function resources(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const type = p.text('type', { values: ['vm', 'storage', 'node', 'sdn'] });
  p.done();
  const userid = ctx.userid ?? '';
  const rows: Row[] = [];
  // The simulator has no SDN zones, so the `sdn` filter always answers an empty list.
  if (type === undefined) rows.push(...poolRows(ctx.runtime, userid));
  if (type === undefined || type === 'vm') rows.push(...guestRows(ctx.runtime, userid));
  if (type === undefined || type === 'node') rows.push(...nodeRows(ctx.runtime, userid));
  if (type === undefined || type === 'storage') rows.push(...storageRows(ctx.runtime, userid));
  return { data: rows };
}

/** The PVE release the simulator answers as. */
export const simulatedVersion = { version: '9.1.3', release: '9.1', repoid: '5b2c1d0e9a7f4c31' };

/** Routes for /version and /cluster. */
export const clusterRoutes: Route[] = [
  {
    method: 'GET',
    template: '/version',
    auth: 'ticket',
    handle: () => ({ data: { ...simulatedVersion } }),
  },
  { method: 'GET', template: '/cluster/resources', auth: 'ticket', handle: resources },
];
