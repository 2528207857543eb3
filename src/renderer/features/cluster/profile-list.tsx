import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { ClusterProfileInfo } from '../../../shared/contract';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';
import { CertificateMismatch } from './certificate-mismatch';
import { useConnectProfile } from './cluster-mutations';
import { profilesQuery } from './cluster-queries';
import { NodeTrustLabel, nodeLabel } from './node-trust-label';

/** Props of the profile list on the connect page. */
export interface ProfileListProps {
  /** Called with the address of the node to sign in on. */
  onConnected: (url: string) => void;
}

/**
 * The cluster profiles ProxDesk knows, each with its nodes and how each is trusted. Connecting
 * tries the profile's trusted nodes in order and signs in on the first that answers.
 */
export function ProfileList({ onConnected }: ProfileListProps): ReactNode {
  const profiles = useQuery(profilesQuery());
  const connect = useConnectProfile();
  const [chosen, setChosen] = useState<string | null>(null);
  const list = profiles.data?.profiles ?? [];
  if (list.length === 0) return null;

  const choose = (profile: ClusterProfileInfo): void => {
    const urls = profile.nodes.filter((node) => node.trust !== 'none').map((node) => node.url);
    setChosen(profile.id);
    connect.mutate(urls, {
      onSuccess: (certificate) => {
        if (certificate.trust !== 'mismatch') onConnected(certificate.url);
      },
    });
  };
  const mismatch = connect.data?.trust === 'mismatch' ? connect.data : null;

  return (
    <section className="profiles" aria-labelledby="profiles-title" data-testid="profile-list">
      <h2 id="profiles-title" className="section-title">
        Your clusters
      </h2>
      <ul className="profile-list">
        {list.map((profile) => (
          <li key={profile.id} className="profile" data-testid={`profile-${profile.id}`}>
            <div className="profile-head">
              <span className="strong">{profile.name}</span>
              <button
                type="button"
                className="button button-small button-primary"
                data-testid={`profile-connect-${profile.id}`}
                disabled={connect.isPending}
                onClick={() => choose(profile)}
              >
                {connect.isPending && chosen === profile.id ? (
                  <>
                    <Spinner /> Connecting…
                  </>
                ) : (
                  'Connect'
                )}
              </button>
            </div>
            <ul className="profile-nodes">
              {profile.nodes.map((node) => (
                <li key={node.url} data-testid={`profile-node-${node.url}`}>
                  <span title={node.url}>{nodeLabel(node)}</span>{' '}
                  <span className="muted">{new URL(node.url).host}</span>{' '}
                  <NodeTrustLabel node={node} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {connect.isError ? (
        <ErrorMessage error={connect.error} title="No node answered" testId="profile-error" />
      ) : null}
      {mismatch !== null && mismatch.pinnedFingerprint !== null ? (
        <CertificateMismatch
          url={mismatch.url}
          pinnedFingerprint={mismatch.pinnedFingerprint}
          presentedFingerprint={mismatch.fingerprint}
          onRepinned={onConnected}
        />
      ) : null}
    </section>
  );
}
