import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import type { RealmInfo } from '../../../shared/contract';
import { isApiError } from '../../api';
import { ErrorMessage, errorText } from '../../components/error-message';
import { clusterKeys } from '../cluster/cluster-queries';
import { Loading } from '../../components/spinner';
import { signInOptionsView, slowAnswerMs, type SignInOptionsView } from './sign-in-options-view';

/** True once `waiting` has held for `slowAnswerMs`; false again as soon as it stops. */
function useTakingLong(waiting: boolean): boolean {
  const [long, setLong] = useState(false);
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setTimeout(() => setLong(true), slowAnswerMs);
    return () => {
      clearTimeout(timer);
      setLong(false);
    };
  }, [waiting]);
  return waiting && long;
}

/** Where a realm lookup stands as the page shows it, and a way to ask it again. */
export interface SignInOptionsLookup {
  view: SignInOptionsView;
  /** The lookup's failure, for the general error message. */
  error: unknown;
  /** Asks again, first dropping a lookup that still runs; its late answer is ignored. */
  askAgain: () => void;
}

/** The view of a cluster's realm lookup, and its ask-again; see SignInOptionsLookup. */
export function useSignInOptionsLookup(
  realms: UseQueryResult<RealmInfo[]>,
  clusterUrl: string,
  host: string,
): SignInOptionsLookup {
  const queryClient = useQueryClient();
  // Asking again after a failure is asking, not failed: the page says so while it waits.
  const asking = !realms.isSuccess && realms.isFetching;
  const waitedLong = useTakingLong(asking);
  const error = realms.isError
    ? {
        code: isApiError(realms.error) ? realms.error.code : undefined,
        message: errorText(realms.error),
      }
    : null;
  const view = signInOptionsView({
    host,
    status: realms.isSuccess ? 'success' : asking ? 'pending' : realms.status,
    error,
    waitedMs: waitedLong ? slowAnswerMs : 0,
  });
  // refetch's cancelRefetch drops only a refetch of a query that already has data, never a
  // first lookup, so the running one is cancelled first.
  const askAgain = (): void => {
    void queryClient
      .cancelQueries({ queryKey: clusterKeys.realms(clusterUrl) })
      .then(() => realms.refetch());
  };
  return { view, error: realms.error, askAgain };
}

/** Props of the lookup's message. */
export interface SignInOptionsMessageProps {
  lookup: SignInOptionsLookup;
  /** Whether the message has its own Try again; without one, `note` may say what stands in. */
  retry: boolean;
  /** Said where the Try again would be, e.g. that another Try again on the page covers it. */
  note?: string | null;
}

/**
 * The message for a realm lookup that is under way, slow or failed, each naming the cluster, with
 * a Try again that asks again when `retry` is set.
 */
export function SignInOptionsMessage({
  lookup,
  retry,
  note = null,
}: SignInOptionsMessageProps): ReactNode {
  const { view, askAgain } = lookup;
  const action = retry ? (
    <button
      type="button"
      className="button button-small"
      data-testid="realms-retry"
      onClick={askAgain}
    >
      Try again
    </button>
  ) : note !== null ? (
    <p className="muted small" data-testid="realms-retry-note">
      {note}
    </p>
  ) : null;

  switch (view.kind) {
    case 'ready':
      return null;
    case 'asking':
      return (
        <div data-testid="realms-pending">
          <Loading>{view.text}</Loading>
        </div>
      );
    case 'slow':
      return (
        <div data-testid="realms-pending">
          <Loading>{view.text}</Loading>
          <p className="muted small" data-testid="realms-slow">
            {view.detail}
          </p>
          {action}
        </div>
      );
    case 'away':
      return (
        <div className="message message-error" role="alert" data-testid="realms-unreachable">
          <p className="message-title">{view.title}</p>
          <p className="message-detail">{view.detail}</p>
          <p className="message-hint">{view.hint}</p>
          {action}
        </div>
      );
    case 'failed':
      return (
        <>
          <ErrorMessage
            error={lookup.error}
            title="Could not read the sign-in options"
            onRetry={retry ? askAgain : undefined}
            testId="realms-error"
          />
          {/* The error message carries its own Try again; only the note is added. */}
          {retry ? null : action}
        </>
      );
  }
}

/** Props of the realm lookup's status. */
export interface SignInOptionsStatusProps {
  realms: UseQueryResult<RealmInfo[]>;
  /** The cluster the realms are asked of: the lookup's query key. */
  clusterUrl: string;
  /** The cluster's address as shown to people. */
  host: string;
}

/**
 * Where the lookup of a cluster's sign-in options stands, above the form: asking, not answered
 * yet, or not reachable, each naming the cluster, and a Try again that asks it again.
 */
export function SignInOptionsStatus({
  realms,
  clusterUrl,
  host,
}: SignInOptionsStatusProps): ReactNode {
  const lookup = useSignInOptionsLookup(realms, clusterUrl, host);
  return <SignInOptionsMessage lookup={lookup} retry />;
}
