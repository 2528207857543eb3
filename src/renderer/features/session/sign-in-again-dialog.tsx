import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore, type ReactNode } from 'react';
import type { SignedInStatus } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { realmsQuery } from '../cluster/cluster-queries';
import { resumeGate } from './resume-gate';
import { SignInForm } from './sign-in-form';
import { SignInOptionsStatus } from './sign-in-options-status';

/** Props of the sign-in prompt shown over the workspace when the session ended. */
export interface SignInAgainDialogProps {
  /** The session that ended. */
  ended: SignedInStatus;
  /** The user gives up on the session: the waiting changes are dropped and the app signs out. */
  onSignOut: () => void;
}

/** `alice@pve` as the password form takes it: realm `pve`, user name `alice`. */
function splitUserid(userid: string): { realm: string; username: string } {
  const at = userid.lastIndexOf('@');
  return at === -1
    ? { realm: '', username: userid }
    : { realm: userid.slice(at + 1), username: userid.slice(0, at) };
}

/**
 * Asks the user to sign in again over the page they were on. The dialog they were using stays
 * open behind it with its values; a change it started runs once the same user is back.
 */
export function SignInAgainDialog({ ended, onSignOut }: SignInAgainDialogProps): ReactNode {
  const realms = useQuery(realmsQuery(ended.clusterUrl));
  const pending = useSyncExternalStore(
    (listener) => resumeGate.subscribe(listener),
    () => resumeGate.pending(),
  );
  const host = new URL(ended.clusterUrl).host;

  return (
    <Dialog
      title="Sign in again"
      onClose={() => undefined}
      closable={false}
      testId="sign-in-again-dialog"
    >
      <p className="dialog-lead">
        Your PVE session on <span className="mono">{host}</span> has ended.
      </p>
      {pending.length > 0 ? (
        <div className="message message-info" role="status" data-testid="sign-in-again-pending">
          <p className="message-title">
            Sign in again as {ended.userid} and ProxDesk finishes what you started, once:
          </p>
          <ul className="message-fields">
            {pending.map((change) => (
              <li key={change.id}>{change.description}</li>
            ))}
          </ul>
          <p>None of it was applied yet, so it runs exactly once.</p>
        </div>
      ) : null}
      <SignInOptionsStatus realms={realms} clusterUrl={ended.clusterUrl} host={host} />
      {realms.data ? (
        <SignInForm
          clusterUrl={ended.clusterUrl}
          realms={realms.data}
          initial={splitUserid(ended.userid)}
        />
      ) : null}
      <p className="auth-footer">
        {pending.length > 0 ? 'Signing in as another user discards it. ' : null}
        <button
          type="button"
          className="link-button"
          data-testid="sign-in-again-sign-out"
          onClick={onSignOut}
        >
          {pending.length > 0 ? 'Discard and sign out' : 'Sign out'}
        </button>
      </p>
    </Dialog>
  );
}
