import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { AuthLayout } from '../components/auth-layout';
import { ErrorMessage } from '../components/error-message';
import { Notice } from '../components/notice';
import { Loading } from '../components/spinner';
import { realmsQuery } from '../features/cluster/cluster-queries';
import { SignInForm } from '../features/session/sign-in-form';

/** Props of the second step. */
export interface SignInPageProps {
  clusterUrl: string;
  /** Shown above the form, e.g. after the session ended. */
  notice: string | null;
  /** Shown after the notice, e.g. a button that tries a kept sign-in again. */
  noticeAction?: ReactNode;
  onChangeCluster: () => void;
}

/** Step two: realm, user name and password for the chosen cluster. */
export function SignInPage({
  clusterUrl,
  notice,
  noticeAction = null,
  onChangeCluster,
}: SignInPageProps): ReactNode {
  const realms = useQuery(realmsQuery(clusterUrl));
  const host = new URL(clusterUrl).host;

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
          {noticeAction === null ? null : <> {noticeAction}</>}
        </Notice>
      ) : null}
      {realms.isPending ? <Loading>Asking the cluster how you can sign in…</Loading> : null}
      {realms.isError ? (
        <ErrorMessage
          error={realms.error}
          title="Could not read the sign-in options"
          onRetry={() => void realms.refetch()}
          testId="realms-error"
        />
      ) : null}
      {realms.data ? <SignInForm clusterUrl={clusterUrl} realms={realms.data} /> : null}
    </AuthLayout>
  );
}
