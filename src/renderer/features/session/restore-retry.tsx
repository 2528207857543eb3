import type { UseMutationResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { SessionStatus } from '../../../shared/contract';
import { ErrorMessage } from '../../components/error-message';

/** Props of the kept sign-in's Try again. */
export interface RestoreRetryProps {
  /** The page's retry of the kept sign-in (useRetryRestore), so the page can see it run. */
  retry: UseMutationResult<SessionStatus, Error, void>;
  /** Also run on each press, e.g. asking the cluster for its sign-in options again. */
  alsoRun?: () => void;
}

/** The "Try again" of a kept sign-in the start could not restore because the cluster was away. */
export function RestoreRetry({ retry, alsoRun }: RestoreRetryProps): ReactNode {
  return (
    <>
      <button
        type="button"
        className="link-button"
        data-testid="restore-retry"
        disabled={retry.isPending}
        onClick={() => {
          alsoRun?.();
          retry.mutate();
        }}
      >
        {retry.isPending ? 'Trying…' : 'Try again'}
      </button>
      {retry.isError ? (
        <ErrorMessage
          error={retry.error}
          title="Could not try again"
          testId="restore-retry-error"
        />
      ) : null}
    </>
  );
}
