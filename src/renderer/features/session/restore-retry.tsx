import type { ReactNode } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useRetryRestore } from './session-mutations';

/** The "Try again" of a kept sign-in the start could not restore because the cluster was away. */
export function RestoreRetry(): ReactNode {
  const retry = useRetryRestore();
  return (
    <>
      <button
        type="button"
        className="link-button"
        data-testid="restore-retry"
        disabled={retry.isPending}
        onClick={() => retry.mutate()}
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
