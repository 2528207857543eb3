import { X509Certificate } from 'node:crypto';
import type { ChannelOutput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { caRefusal } from '../../pve/ca-trust';
import { fetchPeerCertificate, hostAndPort } from '../../pve/tls';
import type { ClusterProfile, ClusterProfiles } from '../../store/cluster-profiles';
import type { HandlerGroup } from '../context';
import { discoveredAddress } from '../discovered-address';

type ProfileInfo = ChannelOutput<'cluster:add-node'>['profile'];
type Discovered = ChannelOutput<'cluster:discover'>['nodes'][number];

/** A profile as the renderer sees it: each node with how it is trusted. */
function describeProfile(profiles: ClusterProfiles, profile: ClusterProfile): ProfileInfo {
  const nodes = profile.nodes.map((node) => {
    const trust = profiles.trustOf(node.url);
    return {
      url: node.url,
      name: node.name,
      trust: trust.kind,
      fingerprint: trust.kind === 'none' ? null : trust.fingerprint,
    };
  });
  return {
    id: profile.id,
    name: profile.name,
    trust: nodes.some((node) => node.trust === 'ca') ? 'ca' : 'pins',
    nodes,
  };
}

/** Cluster profiles: listing them, finding a cluster's other nodes, adding them one by one. */
export const clusterProfileHandlers: HandlerGroup<
  'cluster:profiles' | 'cluster:discover' | 'cluster:add-node' | 'cluster:rename-profile'
> = {
  'cluster:profiles': async (_input, { profiles, sessions }) => {
    const status = sessions.status();
    // The node in use belongs to the session's profile, even after a failover.
    const inUse = status.signedIn ? profiles.findByUrl(status.clusterUrl) : null;
    return {
      profiles: profiles.list().map((profile) => describeProfile(profiles, profile)),
      inUse: status.signedIn && inUse ? { profileId: inUse.id, url: status.clusterUrl } : null,
    };
  },

  'cluster:discover': async (_input, { profiles, sessions, log }) => {
    const { api } = await sessions.api();
    const rows = await api.clusterStatus();
    const status = sessions.status();
    const profile = status.signedIn ? profiles.findByUrl(status.clusterUrl) : null;
    if (!status.signedIn || !profile) {
      throw new AppError('NOT_SIGNED_IN', 'Sign in to the cluster first.');
    }
    const inUse = new URL(status.clusterUrl);
    const known = new Set(profile.nodes.map((node) => node.url));
    const nodes: Discovered[] = rows
      .filter((row) => row.type === 'node')
      .map((row) => {
        const address = discoveredAddress(row, inUse);
        // The node answering is the one in use, whatever address PVE lists for it.
        const url =
          row.local === true && address.problem === null ? status.clusterUrl : address.url;
        return {
          ...address,
          url,
          online: row.online === true,
          inProfile: url !== null && known.has(url),
        };
      });
    const named = nodes.flatMap((node) =>
      node.inProfile && node.url !== null ? [{ url: node.url, name: node.name }] : [],
    );
    if (named.length > 0) profiles.nameNodes(profile.id, named);
    // A profile still called after its first address takes the name PVE gives the cluster.
    const clusterName = rows.find((row) => row.type === 'cluster')?.name;
    const firstHost = profile.nodes[0] ? new URL(profile.nodes[0].url).host : '';
    if (
      profile.name === firstHost &&
      clusterName &&
      /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(clusterName)
    ) {
      profiles.rename(profile.id, clusterName);
    }
    log.info(`found ${nodes.length} nodes of ${profile.name} in the cluster status`);
    return { profileId: profile.id, nodes };
  },

  'cluster:add-node': async (
    { profileId, url, name, fingerprint },
    { profiles, settings, log },
  ) => {
    const profile = profiles.get(profileId);
    const node = { url, name: name ?? null };
    const { presented, der } = await fetchPeerCertificate(url, settings.probeTimeoutMs);
    const ca = profiles.profileCa(profile.id);
    if (ca) {
      // The profile trusts its cluster's root CA: the node is added only if that CA issued its
      // certificate for this address.
      const refusal = caRefusal(der, new X509Certificate(ca.certPem), hostAndPort(url).host);
      if (refusal !== null) {
        throw new AppError(
          'TLS_ERROR',
          `The root CA of ${profile.name} does not vouch for ${new URL(url).host}: ${refusal}. Nothing was added.`,
        );
      }
      profiles.addCaNode(profile.id, node, ca);
    } else {
      if (fingerprint === undefined) {
        throw new AppError(
          'INVALID_INPUT',
          `Compare the certificate of ${new URL(url).host} and confirm it before it is added.`,
          { fields: { fingerprint: 'required' }, presentedFingerprint: presented.fingerprint },
        );
      }
      if (fingerprint !== presented.fingerprint) {
        throw new AppError(
          'CERT_MISMATCH',
          `${url} now presents a different certificate from the one you compared. Nothing was added.`,
          { presentedFingerprint: presented.fingerprint },
        );
      }
      profiles.addPinnedNode(profile.id, node, fingerprint);
    }
    log.info(`added ${url} to the cluster profile ${profile.name} (${ca ? 'root CA' : 'pinned'})`);
    return { profile: describeProfile(profiles, profiles.get(profile.id)) };
  },

  'cluster:rename-profile': async ({ profileId, name }, { profiles }) => ({
    profile: describeProfile(profiles, profiles.rename(profileId, name)),
  }),
};
