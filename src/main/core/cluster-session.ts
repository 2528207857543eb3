import type { Logger } from '../log/logger';
import { ClusterConnection, UnprovenNodeError, type NodeSwitch } from '../pve/cluster-connection';
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
    // Read on each failover, so nodes added after sign-in count. Only the nodes of the profile
    // signed in on are ever used; a removed profile falls back to the node the session started on.
    nodes: () =>
      deps.profiles.list().find((candidate) => candidate.id === profile.id)?.nodes ?? [
        { url: startUrl, name: null },
      ],
    connect: (url) => {
      const target = deps.nodes.get(url);
      // Credentials go only to the node the user signed in on and to proven members.
      if (url !== startUrl && !deps.profiles.isProvenMember(profile.id, url)) {
        throw new UnprovenNodeError(url);
      }
      return target;
    },
    onSwitch,
    log: deps.log,
    now: deps.now,
  });
  return { cluster, profile: { id: profile.id, name: profile.name } };
}
