import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import type { SessionStatus, SignedInStatus } from '../shared/contract';
import { callChannel } from './api';
import { clearUserData, connectBridgeEvents } from './bridge-events';
import { ErrorMessage } from './components/error-message';
import { Loading } from './components/spinner';
import { restoreNotice } from './features/session/restore-notice';
import { resumeGate } from './features/session/resume-gate';
import { signOutMutationKey } from './features/session/session-mutations';
import { sessionKeys, sessionStatusQuery } from './features/session/session-queries';
import { SignInAgainDialog } from './features/session/sign-in-again-dialog';
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
  // The session that ended under the user, while the sign-in prompt is shown over their page.
  const [ended, setEnded] = useState<SignedInStatus | null>(null);
  const current = session.data?.signedIn ? session.data : null;
  const sameUser =
    ended !== null &&
    current !== null &&
    current.userid === ended.userid &&
    current.clusterUrl === ended.clusterUrl;

  // A session that ends on its own (expiry, or a sign-out elsewhere) lands on the sign-in step
  // for the same cluster, with a word on why.
  const handleSessionEnded = useEffectEvent(() => {
    if (signedInUrl !== null) {
      setFlow({ step: 'sign-in', clusterUrl: signedInUrl, notice: signedOutNotice });
    }
  });

  // A session that ends under the user (expiry, a refused renewal) keeps their page, and the
  // dialog they were using with its values, behind a sign-in prompt instead of leaving it.
  const handleSessionLost = useEffectEvent((last: SignedInStatus): boolean => {
    // main announces a sign-out from this window before the call returns: that is no expiry.
    if (client.isMutating({ mutationKey: signOutMutationKey }) > 0) return false;
    setEnded(last);
    setFlow({ step: 'sign-in', clusterUrl: last.clusterUrl, notice: signedOutNotice });
    return true;
  });

  useEffect(
    () =>
      connectBridgeEvents({
        client,
        tasks,
        onSignedOut: () => handleSessionEnded(),
        onSessionLost: (last) => handleSessionLost(last),
      }),
    [client, tasks],
  );

  // Back from the prompt: the same user gets fresh data and the changes that waited run once;
  // anyone else starts from a clean cache and the waiting changes are dropped, never run. The
  // status changes twice for one sign-in (the answer, then main's event), so `settled` makes
  // each ended session resolve exactly once.
  const settled = useRef<SignedInStatus | null>(null);
  const settleEnded = useEffectEvent((status: SessionStatus | undefined) => {
    if (ended === null || status?.signedIn !== true || settled.current === ended) return;
    settled.current = ended;
    if (status.userid === ended.userid && status.clusterUrl === ended.clusterUrl) {
      void client.invalidateQueries({
        predicate: (query) => query.queryKey[0] !== sessionKeys.all[0],
      });
      resumeGate.resume();
    } else {
      resumeGate.discard();
      clearUserData(client, status);
    }
    setEnded(null);
  });

  useEffect(() => {
    const statusHash = hashKey(sessionKeys.status());
    return client.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.query.queryHash === statusHash) {
        settleEnded(event.query.state.data as SessionStatus | undefined);
      }
    });
  }, [client]);

  function giveUpSession(): void {
    resumeGate.discard();
    clearUserData(client, { signedIn: false });
    setEnded(null);
    // Also drops a second-factor step the prompt may have started.
    void callChannel('session:logout').catch(() => undefined);
  }

  function workspace(status: SignedInStatus): ReactNode {
    return (
      <WorkspacePage
        key={`${status.clusterUrl} ${status.userid}`}
        status={status}
        onSignedOut={(clusterUrl) => {
          resumeGate.discard();
          setFlow({ step: 'sign-in', clusterUrl, notice: signedOutNotice });
        }}
      />
    );
  }

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
    // Someone else signed in at the prompt: nothing of the previous user's page is shown.
    if (ended !== null && !sameUser) {
      return (
        <main className="splash">
          <Loading>Opening your workspace…</Loading>
        </main>
      );
    }
    // The same element tree as under the prompt, so the page and its open dialog stay mounted.
    return (
      <>
        {workspace(session.data)}
        {null}
      </>
    );
  }
  if (ended !== null) {
    return (
      <>
        {workspace(ended)}
        <SignInAgainDialog ended={ended} onSignOut={giveUpSession} />
      </>
    );
  }

  // A kept sign-in ("Stay signed in") the start had to drop: sign in again there, told why.
  const restoreFailed = session.data.restoreFailed;
  if (flow.step === 'connect' && flow.lastUrl === null && restoreFailed !== undefined) {
    return (
      <SignInPage
        key={restoreFailed.clusterUrl}
        clusterUrl={restoreFailed.clusterUrl}
        notice={restoreNotice(restoreFailed)}
        keptSignInRetry={restoreFailed.stillKept === true}
        onChangeCluster={() => setFlow({ step: 'connect', lastUrl: restoreFailed.clusterUrl })}
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
