import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import type { CertificateInfo, DiscoveredNode, SignedInStatus } from '../../../shared/contract';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/spinner';
import { AddNodeDialog } from './add-node-dialog';
import { useAddNode, useProbeCluster } from './cluster-mutations';
import { clusterKeys, discoveryQuery, profilesQuery } from './cluster-queries';
import { NodeTrustLabel, nodeLabel } from './node-trust-label';
import { ProfileName } from './profile-name-form';

/**
 * The nodes of the signed-in cluster profile, the one in use marked, and the cluster's other
 * nodes PVE lists, each added only once its certificate is confirmed (or its root CA vouches).
 */
export function ClusterNodesPanel({ status }: { status: SignedInStatus }): ReactNode {
  const profiles = useQuery(profilesQuery());
  // The node in use belongs to the session's profile, also after a failover.
  const profile = profiles.data?.profiles.find((candidate) =>
    candidate.nodes.some((node) => node.url === status.clusterUrl),
  );
  const profileId = profile?.id ?? '';
  const [looking, setLooking] = useState(false);
  const discovery = useQuery({
    ...discoveryQuery(profileId),
    enabled: looking && profileId !== '',
  });
  const client = useQueryClient();
  // Discovery names the profile's nodes (and the profile), so the list is read again after it.
  useEffect(() => {
    if (discovery.dataUpdatedAt > 0) {
      void client.invalidateQueries({ queryKey: clusterKeys.profiles() });
    }
  }, [client, discovery.dataUpdatedAt]);
  const probe = useProbeCluster();
  const add = useAddNode();
  const [confirming, setConfirming] = useState<{
    name: string;
    certificate: CertificateInfo;
  } | null>(null);
  if (!profile) return null;

  const offer = (node: DiscoveredNode): void => {
    if (node.url === null) return;
    if (profile.trust === 'ca') {
      add.mutate({ profileId, url: node.url, name: node.name });
      return;
    }
    probe.mutate(node.url, {
      onSuccess: (certificate) => setConfirming({ name: node.name, certificate }),
    });
  };
  const offered = (discovery.data?.nodes ?? []).filter((node) => !node.inProfile);

  return (
    <section className="card" aria-labelledby="nodes-title" data-testid="cluster-nodes">
      <header className="card-header">
        <h2 id="nodes-title" className="card-title">
          Cluster nodes
        </h2>
        <ProfileName profileId={profile.id} name={profile.name} />
      </header>
      <div className="card-body">
        <ul className="profile-nodes">
          {profile.nodes.map((node) => (
            <li key={node.url} data-testid={`cluster-node-${nodeLabel(node)}`}>
              <span className="strong" title={node.url}>
                {nodeLabel(node)}
              </span>{' '}
              {node.url === status.clusterUrl ? (
                <span className="badge" data-testid="node-in-use">
                  in use
                </span>
              ) : null}{' '}
              <NodeTrustLabel node={node} />
            </li>
          ))}
        </ul>
        {!looking && discovery.data === undefined ? (
          <button
            type="button"
            className="button button-small"
            data-testid="discover-nodes"
            onClick={() => setLooking(true)}
          >
            Find the cluster&apos;s other nodes
          </button>
        ) : null}
        {looking && discovery.isPending ? <Loading>Asking PVE for its nodes…</Loading> : null}
        {discovery.isError ? (
          <ErrorMessage
            error={discovery.error}
            title="Could not list the nodes"
            testId="discover-error"
          />
        ) : null}
        {discovery.data && offered.length === 0 ? (
          <p className="muted" data-testid="discover-none">
            Every node PVE lists is in this profile.
          </p>
        ) : null}
        {offered.length > 0 ? (
          <ul className="profile-nodes" data-testid="discovered-nodes">
            {offered.map((node) => (
              <li key={`${node.name}-${node.ip}`} data-testid={`discovered-${node.name}`}>
                <span className="strong">{node.name}</span> <span className="muted">{node.ip}</span>{' '}
                {node.online ? null : <span className="badge badge-over">offline</span>}{' '}
                {node.problem !== null ? (
                  <span className="muted">{node.problem}</span>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    data-testid={`add-node-${node.name}`}
                    disabled={probe.isPending || add.isPending}
                    onClick={() => offer(node)}
                  >
                    {profile.trust === 'ca' ? 'Add (checked by the root CA)' : 'Check and add…'}
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : null}
        {probe.isError ? (
          <ErrorMessage
            error={probe.error}
            title="Could not reach that node"
            testId="probe-node-error"
          />
        ) : null}
        {add.isError ? (
          <ErrorMessage error={add.error} title="Nothing was added" testId="add-node-ca-error" />
        ) : null}
      </div>
      {confirming !== null ? (
        <AddNodeDialog
          profileId={profileId}
          name={confirming.name}
          certificate={confirming.certificate}
          onAdded={() => setConfirming(null)}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
    </section>
  );
}
