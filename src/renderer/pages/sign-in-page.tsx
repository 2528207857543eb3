import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { AuthLayout } from '../components/auth-layout';
import { Notice } from '../components/notice';
import { realmsQuery } from '../features/cluster/cluster-queries';
import { RestoreRetry } from '../features/session/restore-retry';
import { useRetryRestore } from '../features/session/session-mutations';
import { SignInForm } from '../features/session/sign-in-form';
import {
  SignInOptionsMessage,
  useSignInOptionsLookup,
} from '../features/session/sign-in-options-status';
import { signInRetryControls } from '../features/session/sign-in-retry-controls';

/** Props of the second step. */
export interface SignInPageProps {
  clusterUrl: string;
  /** Shown above the form, e.g. after the session ended. */
  notice: string | null;
  /** The notice offers to try again a kept sign-in the start could not restore (cluster away). */
  keptSignInRetry?: boolean;
  onChangeCluster: () => void;
}

/** Step two: realm, user name and password for the chosen cluster. */
export function SignInPage({
  clusterUrl,
  notice,
  keptSignInRetry = false,
  onChangeCluster,
}: SignInPageProps): ReactNode {
  const realms = useQuery(realmsQuery(clusterUrl));
  const host = new URL(clusterUrl).host;
  const lookup = useSignInOptionsLookup(realms, clusterUrl, host);
  const restore = useRetryRestore();
  // Both usually fail because the cluster is away: one Try again then tries both.
  const controls = signInRetryControls({
    keptSignInRetry: keptSignInRetry && notice !== null,
    restoring: restore.isPending,
    options: lookup.view.kind,
  });

  return (
    <AuthLayout
      title="Sign in"
      testId="sign-in-page"
      lead={
        <>
          to{' '}
          <span className="mono" data-testid="sign-in-cluster">
            {host}
          </span>{' '}
          <button type="button" className="link-button" onClick={onChangeCluster}>
            Use another cluster
          </button>
        </>
      }
    >
      {notice !== null ? (
        <Notice testId="sign-in-notice">
          {notice}
          {controls.restoreRetry ? (
            <>
              {' '}
              <RestoreRetry
                retry={restore}
                alsoRun={controls.restoreAsksOptions ? lookup.askAgain : undefined}
              />
            </>
          ) : null}
        </Notice>
      ) : null}
      <SignInOptionsMessage
        lookup={lookup}
        retry={controls.optionsRetry}
        note={controls.optionsNote}
      />
      {realms.data ? <SignInForm clusterUrl={clusterUrl} realms={realms.data} /> : null}
    </AuthLayout>
  );
}
