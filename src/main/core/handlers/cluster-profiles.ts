import { X509Certificate } from 'node:crypto';
import type { ChannelOutput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { caRefusal } from '../../pve/ca-trust';
import { fetchPeerCertificate, hostAndPort } from '../../pve/tls';
import type { ClusterProfile, ClusterProfiles } from '../../store/cluster-profiles';
import { canonicalNodeUrl, nodeAddressKey } from '../../store/node-address';
import { provenMember } from '../cluster-membership';
import type { CoreContext, HandlerGroup } from '../context';
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

/**
 * The node in use of a session signed in on one of the profile's nodes. Nodes are added only
 * through such a session: it is what reads the cluster's own list of its nodes.
 */
function signedInOn(context: CoreContext, profile: ClusterProfile): string {
  const status = context.sessions.status();
  if (!status.signedIn || context.profiles.findByUrl(status.clusterUrl)?.id !== profile.id) {
    throw new AppError(
      'NOT_SIGNED_IN',
      `Sign in on a node of ${profile.name} before adding nodes to it. Nothing was added.`,
    );
  }
  return status.clusterUrl;
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
    // A node never shown to be a member is offered again: adding it is how it is proven.
    const known = new Set(
      profile.nodes.flatMap((node) =>
        profiles.isProvenMember(profile.id, node.url) ? [nodeAddressKey(node.url)] : [],
      ),
    );
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
          inProfile: url !== null && known.has(nodeAddressKey(url)),
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

  'cluster:add-node': async ({ profileId, name, fingerprint, ...input }, context) => {
    const { profiles, settings, log } = context;
    const url = canonicalNodeUrl(input.url);
    const profile = profiles.get(profileId);
    const inUseUrl = signedInOn(context, profile);
    // A duplicate is refused before anything is contacted.
    profiles.assertFree(profile.id, url);
    const ca = profiles.profileCa(profile.id);
    if (ca) {
      // The profile trusts its cluster's root CA, which issues certificates only to the
      // cluster's own nodes: a certificate it issued for this address proves membership.
      const { der } = await fetchPeerCertificate(url, settings.probeTimeoutMs);
      const refusal = caRefusal(der, new X509Certificate(ca.certPem), hostAndPort(url).host);
      if (refusal !== null) {
        throw new AppError(
          'TLS_ERROR',
          `The root CA of ${profile.name} does not vouch for ${new URL(url).host}: ${refusal}. Nothing was added.`,
        );
      }
      profiles.addCaNode(profile.id, { url, name: name ?? null }, ca);
    } else {
      // A pin says which server answers, never that it is a node of this cluster: the cluster
      // itself must list the address, read through the session on the node in use.
      const { api } = await context.sessions.api();
      const rows = await api.clusterStatus();
      const member = provenMember({
        rows,
        url,
        name,
        inUseUrl,
        // The unproven node at this address, if any, is the one being proven now.
        profileNodes: profiles
          .get(profile.id)
          .nodes.filter((node) => nodeAddressKey(node.url) !== nodeAddressKey(url)),
      });
      const { presented } = await fetchPeerCertificate(url, settings.probeTimeoutMs);
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
      profiles.addPinnedNode(profile.id, { url, name: member }, fingerprint);
    }
    log.info(`added ${url} to the cluster profile ${profile.name} (${ca ? 'root CA' : 'pinned'})`);
    return { profile: describeProfile(profiles, profiles.get(profile.id)) };
  },

  'cluster:rename-profile': async ({ profileId, name }, { profiles }) => ({
    profile: describeProfile(profiles, profiles.rename(profileId, name)),
  }),
};
