import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { SessionStatus } from '../../../shared/contract';
import { errorText } from '../../components/error-message';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';
import { formatClockTime } from './clock-time';
import { useSignOut } from './session-mutations';

/** Props of the top bar. */
export interface SessionHeaderProps {
  status: Extract<SessionStatus, { signedIn: true }>;
  onSignedOut: (clusterUrl: string) => void;
  /** Buttons of other features shown before Refresh (e.g. the admin view's). */
  actions?: ReactNode;
}

/** The top bar of the main view: who is signed in where, until when, and the way out. */
export function SessionHeader({ status, onSignedOut, actions }: SessionHeaderProps): ReactNode {
  const client = useQueryClient();
  const signOut = useSignOut();
  const until = status.expiresAt === null ? null : formatClockTime(status.expiresAt);
  const host = new URL(status.clusterUrl).host;

  return (
    <header className="topbar">
      <div className="brand brand-small">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">ProxDesk</span>
      </div>
      <div className="topbar-cluster" title={status.clusterUrl} data-testid="session-cluster">
        {host}
      </div>
      <div className="topbar-spacer" />
      <div className="topbar-session">
        <span className="topbar-user" data-testid="session-user">
          {status.userid}
        </span>
        {status.via === 'token' ? (
          <span className="topbar-until" data-testid="session-until">
            signed in with an API token
          </span>
        ) : until !== null ? (
          <span className="topbar-until" data-testid="session-until">
            signed in until {until}
          </span>
        ) : null}
        {status.staySignedIn ? (
          <span className="topbar-until" data-testid="session-kept">
            stays signed in on this computer
          </span>
        ) : null}
      </div>
      {actions}
      <button
        type="button"
        className="button button-small"
        data-testid="refresh-button"
        onClick={() => {
          void client.invalidateQueries({ queryKey: instanceKeys.all });
          void client.invalidateQueries({ queryKey: quotaKeys.all });
        }}
      >
        Refresh
      </button>
      <button
        type="button"
        className="button button-small"
        data-testid="sign-out-button"
        disabled={signOut.isPending}
        onClick={() =>
          signOut.mutate(undefined, { onSuccess: () => onSignedOut(status.clusterUrl) })
        }
      >
        {signOut.isPending ? 'Signing out…' : 'Sign out'}
      </button>
      {signOut.isError ? (
        <p className="topbar-error" role="alert">
          Could not sign out: {errorText(signOut.error)}
        </p>
      ) : null}
    </header>
  );
}
