import { hasPrivileges, requirePrivileges } from '../acl.js';
import { serverError } from '../api-error.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';

// PCI passthrough listings: a node's devices (`GET /nodes/{node}/hardware/pci`, for holders of
// Sys.Audit or Sys.Modify on `/`) and the cluster's PCI resource mappings
// (`GET /cluster/mapping/pci`, only the mappings the caller may audit, use or modify). A mapping's
// per-node entries are answered as PVE stores them: property strings `node=..,path=..,id=..`.

function nodeDevices(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  // Accepted and ignored: the simulator's devices never include memory controllers or bridges.
  p.text('pci-class-blacklist');
  p.text('verbose', { values: ['0', '1'] });
  p.done();
  const name = ctx.pathParams.node ?? '';
  const node = ctx.runtime.state.nodes.get(name);
  if (!node) throw serverError(`no such node '${name}'`);
  const rows = node.pciDevices.map((device) => ({
    id: device.id,
    class: device.class,
    vendor: device.vendor,
    vendor_name: device.vendorName,
    device: device.device,
    device_name: device.deviceName,
    iommugroup: device.iommugroup,
  }));
  return { data: rows };
}

function mappings(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  p.text('check-node');
  p.done();
  const { state } = ctx.runtime;
  const userid = ctx.userid ?? '';
  const rows = [...state.pciMappings.values()]
    .filter((mapping) =>
      hasPrivileges(
        state,
        userid,
        `/mapping/pci/${mapping.id}`,
        ['Mapping.Audit', 'Mapping.Use', 'Mapping.Modify'],
        'any',
      ),
    )
    .map((mapping) => ({
      id: mapping.id,
      ...(mapping.description !== undefined ? { description: mapping.description } : {}),
      map: mapping.map.map((entry) => `node=${entry.node},path=${entry.path},id=${entry.id}`),
    }));
  return { data: rows };
}

/** Routes for the node PCI device list and the cluster PCI mappings. */
export const pciRoutes: Route[] = [
  {
    method: 'GET',
    template: '/nodes/{node}/hardware/pci',
    auth: 'ticket',
    permission: (ctx) =>
      requirePrivileges(
        ctx.runtime.state,
        ctx.userid ?? '',
        '/',
        ['Sys.Audit', 'Sys.Modify'],
        'any',
      ),
    handle: nodeDevices,
  },
  { method: 'GET', template: '/cluster/mapping/pci', auth: 'ticket', handle: mappings },
];
