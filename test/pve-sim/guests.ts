import { ApiError, serverError } from './api-error.js';
import type { GuestType } from './disks.js';
import type { InstanceState, NodeState, SimState } from './state.js';

// Lookups every node and guest endpoint shares, failing the way PVE fails.

/** The node a request is proxied to; PVE cannot resolve an unknown one and cannot reach an offline one. */
export function requireReachableNode(state: SimState, name: string): NodeState {
  const node = state.nodes.get(name);
  if (!node) {
    throw serverError(
      `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`,
    );
  }
  // 595 is the status PVE's proxy answers with when it cannot connect to the target node.
  if (node.status !== 'online') throw new ApiError(595, 'No route to host');
  return node;
}

/** The guest `vmid` of `type` on `node`, or PVE's "configuration file does not exist" error. */
export function requireGuest(
  state: SimState,
  node: string,
  type: GuestType,
  vmid: number,
): InstanceState {
  const instance = state.instances.get(vmid);
  if (!instance || instance.node !== node || instance.type !== type) {
    const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
    throw serverError(`Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`);
  }
  return instance;
}
