import { hasPrivileges, requirePrivileges } from '../acl.js';
import type { GuestType } from '../disks.js';
import { requireGuest } from '../guests.js';
import { containerSwapBytes, guestIdentity, guestMetrics, nodeMetrics } from '../metrics.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import { configDigest } from '../state.js';
import { serverError } from '../api-error.js';

// The node list, the per-node guest lists and guest configs.

function nodes(ctx: RequestContext): RouteResult {
  const { state, nowMs, fingerprint } = ctx.runtime;
  const rows = [...state.nodes.values()].map((node) => {
    const audit = hasPrivileges(state, ctx.userid ?? '', `/nodes/${node.name}`, ['Sys.Audit']);
    return {
      node: node.name,
      id: `node/${node.name}`,
      type: 'node',
      status: node.status,
      level: '',
      ssl_fingerprint: ctx.runtime.nodeNetwork(node.name)?.fingerprint ?? fingerprint,
      ...(audit ? nodeMetrics(node, nowMs(), state.bootedAtSeconds) : {}),
    };
  });
  return { data: rows };
}

function guestList(type: GuestType) {
  return (ctx: RequestContext): RouteResult => {
    const { state, nowMs } = ctx.runtime;
    const node = ctx.pathParams.node ?? '';
    const rows = [...state.instances.values()]
      .filter((g) => g.type === type && g.node === node)
      .filter((g) => hasPrivileges(state, ctx.userid ?? '', `/vms/${g.vmid}`, ['VM.Audit']))
      .sort((a, b) => a.vmid - b.vmid)
      .map((guest) => {
        const figures = guestMetrics(state, guest, nowMs());
        const row: Record<string, unknown> = {
          ...guestIdentity(guest),
          ...figures,
          cpus: figures.maxcpu,
        };
        delete row.maxcpu;
        if (type === 'lxc') {
          // PVE's container list returns the vmid as a string, unlike every other list.
          row.vmid = String(guest.vmid);
          row.type = 'lxc';
          row.maxswap = containerSwapBytes(guest);
        } else if (guest.status === 'running') {
          row.pid = 10_000 + guest.vmid;
          row.qmpstatus = 'running';
        }
        return row;
      });
    return { data: rows };
  };
}

function guestConfig(type: GuestType) {
  return (ctx: RequestContext): RouteResult => {
    const p = new ParamReader({ ...ctx.params, ...ctx.pathParams });
    const vmid = p.vmid();
    p.text('current', { pattern: /^(1|true|yes|on|0|false|no|off)$/i });
    const snapshot = p.text('snapshot');
    p.done();
    const guest = requireGuest(ctx.runtime.state, ctx.pathParams.node ?? '', type, vmid);
    // The simulated guests have no snapshots, so any snapshot name is one PVE would not find.
    if (snapshot !== undefined) throw serverError(`snapshot '${snapshot}' does not exist`);
    return { data: { ...guest.config, digest: configDigest(guest.config) } };
  };
}

const vmAudit = (ctx: RequestContext): void =>
  requirePrivileges(ctx.runtime.state, ctx.userid ?? '', `/vms/${ctx.pathParams.vmid ?? ''}`, [
    'VM.Audit',
  ]);

/** Routes for /nodes, the guest lists and the guest configs. */
export const guestRoutes: Route[] = [
  { method: 'GET', template: '/nodes', auth: 'ticket', handle: nodes },
  { method: 'GET', template: '/nodes/{node}/qemu', auth: 'ticket', handle: guestList('qemu') },
  { method: 'GET', template: '/nodes/{node}/lxc', auth: 'ticket', handle: guestList('lxc') },
  {
    method: 'GET',
    template: '/nodes/{node}/qemu/{vmid}/config',
    auth: 'ticket',
    permission: vmAudit,
    handle: guestConfig('qemu'),
  },
  {
    method: 'GET',
    template: '/nodes/{node}/lxc/{vmid}/config',
    auth: 'ticket',
    permission: vmAudit,
    handle: guestConfig('lxc'),
  },
];
