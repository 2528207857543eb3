import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { AuthLayout } from '../components/auth-layout';
import { Notice } from '../components/notice';
import { realmsQuery } from '../features/cluster/cluster-queries';
import { SignInForm } from '../features/session/sign-in-form';
import { SignInOptionsStatus } from '../features/session/sign-in-options-status';

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
      <SignInOptionsStatus realms={realms} clusterUrl={clusterUrl} host={host} />
      {realms.data ? <SignInForm clusterUrl={clusterUrl} realms={realms.data} /> : null}
    </AuthLayout>
  );
}
