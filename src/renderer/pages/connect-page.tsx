import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { AuthLayout } from '../components/auth-layout';
import { Loading } from '../components/spinner';
import { appInfoQuery } from '../features/app/app-queries';
import { ConnectForm } from '../features/cluster/connect-form';
import { ProfileList } from '../features/cluster/profile-list';

/** Props of the first step. */
export interface ConnectPageProps {
  /** The address to prefill, when the user came back from a later step. */
  lastUrl: string | null;
  onConnected: (url: string) => void;
}

/** Step one: which cluster, and whether its certificate is the one the user expects. */
export function ConnectPage({ lastUrl, onConnected }: ConnectPageProps): ReactNode {
  const info = useQuery(appInfoQuery());

  return (
    <AuthLayout
      title="Connect to your cluster"
      lead="Enter the address of a node of your lab's Proxmox VE cluster."
      testId="connect-page"
    >
      {/* The form starts with its prefill, so it waits for the app's default address. */}
      {info.isPending ? (
        <Loading>Starting…</Loading>
      ) : (
        <>
          <ProfileList onConnected={onConnected} />
          <ConnectForm
            defaultUrl={lastUrl ?? info.data?.defaultClusterUrl ?? ''}
            onConnected={onConnected}
          />
        </>
      )}
    </AuthLayout>
  );
}
