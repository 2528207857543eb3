import type { Logger } from '../log/logger';
import { ClusterConnection, type NodeSwitch } from '../pve/cluster-connection';
import type { ClusterProfiles } from '../store/cluster-profiles';
import type { NodeConnections } from './node-connections';

/** What a session's cluster connection is built from. */
export interface ClusterSessionDeps {
  profiles: ClusterProfiles;
  nodes: NodeConnections;
  log: Logger;
  now: () => number;
}

/**
 * The cluster connection of a session signed in on `startUrl`: the node's profile (one is made
 * for an address that has none), and failover to that profile's other trusted nodes.
 */
export function openClusterSession(
  deps: ClusterSessionDeps,
  startUrl: string,
  onSwitch: (change: NodeSwitch) => void,
): { cluster: ClusterConnection; profile: { id: string; name: string } } {
  const profile = deps.profiles.ensureForAddress(startUrl);
  const cluster = new ClusterConnection({
    startUrl,
    // Read on each failover, so nodes added after sign-in count and a removed profile falls back
    // to the node the session started on.
    nodes: () => deps.profiles.findByUrl(startUrl)?.nodes ?? [{ url: startUrl, name: null }],
    connect: (url) => deps.nodes.get(url),
    onSwitch,
    log: deps.log,
    now: deps.now,
  });
  return { cluster, profile: { id: profile.id, name: profile.name } };
}
