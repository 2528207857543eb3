import { requirePrivileges } from '../acl.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';

// `GET /cluster/status`: one `cluster` row and one `node` row per member, as PVE lists them.
// PVE asks for Sys.Audit on `/`. A node counts as online while its node state says so and, when
// each node has its own listener, while that listener is up (a switched-off node leaves corosync).

function status(ctx: RequestContext): RouteResult {
  new ParamReader(ctx.params).done();
  const { state } = ctx.runtime;
  const members = [...state.nodes.values()];
  const nodes = members.map((node, index) => {
    const network = ctx.runtime.nodeNetwork(node.name);
    const online = node.status === 'online' && network?.up === true;
    return {
      type: 'node',
      id: `node/${node.name}`,
      name: node.name,
      nodeid: index + 1,
      ip: network?.ip ?? '127.0.0.1',
      online: online ? 1 : 0,
      local: ctx.servedBy === node.name || (ctx.servedBy == null && index === 0) ? 1 : 0,
      level: '',
    };
  });
  const cluster = {
    type: 'cluster',
    id: 'cluster',
    name: state.clusterName,
    nodes: members.length,
    quorate: 1,
    version: members.length,
  };
  return { data: [cluster, ...nodes] };
}

/** Routes for /cluster/status. */
export const clusterStatusRoutes: Route[] = [
  {
    method: 'GET',
    template: '/cluster/status',
    auth: 'ticket',
    permission: (ctx) => requirePrivileges(ctx.runtime.state, ctx.userid ?? '', '/', ['Sys.Audit']),
    handle: status,
  },
];
