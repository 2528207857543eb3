import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useState, type ReactNode } from 'react';
import { connectBridgeEvents } from './bridge-events';
import { ErrorMessage } from './components/error-message';
import { Loading } from './components/spinner';
import { sessionStatusQuery } from './features/session/session-queries';
import { useTaskFeed } from './features/tasks/task-feed-context';
import { ConnectPage } from './pages/connect-page';
import { SignInPage } from './pages/sign-in-page';
import { WorkspacePage } from './pages/workspace-page';

/** Where the user is on the way to signing in. */
type Flow =
  | { step: 'connect'; lastUrl: string | null }
  | { step: 'sign-in'; clusterUrl: string; notice: string | null };

const signedOutNotice = 'You are signed out. Sign in again to continue.';

/** The app shell: the main view when signed in, otherwise the connect and sign-in steps. */
export function App(): ReactNode {
  const client = useQueryClient();
  const tasks = useTaskFeed();
  const session = useQuery(sessionStatusQuery());
  const [flow, setFlow] = useState<Flow>({ step: 'connect', lastUrl: null });
  const signedInUrl = session.data?.signedIn ? session.data.clusterUrl : null;

  // A session that ends on its own (expiry, or a sign-out elsewhere) lands on the sign-in step
  // for the same cluster, with a word on why.
  const handleSessionEnded = useEffectEvent(() => {
    if (signedInUrl !== null) {
      setFlow({ step: 'sign-in', clusterUrl: signedInUrl, notice: signedOutNotice });
    }
  });

  useEffect(
    () => connectBridgeEvents({ client, tasks, onSignedOut: () => handleSessionEnded() }),
    [client, tasks],
  );

  if (session.isPending) {
    return (
      <main className="splash">
        <Loading>Starting ProxDesk…</Loading>
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="splash">
        <ErrorMessage
          error={session.error}
          title="ProxDesk could not start"
          onRetry={() => void session.refetch()}
        />
      </main>
    );
  }
  if (session.data.signedIn) {
    return (
      <WorkspacePage
        status={session.data}
        onSignedOut={(clusterUrl) =>
          setFlow({ step: 'sign-in', clusterUrl, notice: signedOutNotice })
        }
      />
    );
  }

  switch (flow.step) {
    case 'connect':
      return (
        <ConnectPage
          lastUrl={flow.lastUrl}
          onConnected={(clusterUrl) => setFlow({ step: 'sign-in', clusterUrl, notice: null })}
        />
      );
    case 'sign-in':
      return (
        <SignInPage
          key={flow.clusterUrl}
          clusterUrl={flow.clusterUrl}
          notice={flow.notice}
          onChangeCluster={() => setFlow({ step: 'connect', lastUrl: flow.clusterUrl })}
        />
      );
  }
}
