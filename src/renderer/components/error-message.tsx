import type { ReactNode } from 'react';
import { isApiError } from '../api';

/** Props of an inline error. */
export interface ErrorMessageProps {
  error: unknown;
  /** A short heading naming what failed, e.g. "Could not load your instances". */
  title?: string;
  onRetry?: () => void;
  testId?: string;
}

/** The human message of any failure, without internals. */
export function errorText(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** An error shown in place, announced to screen readers, with per-field details when present. */
export function ErrorMessage({ error, title, onRetry, testId }: ErrorMessageProps): ReactNode {
  const fields = isApiError(error) ? Object.entries(error.details?.fields ?? {}) : [];
  const code = isApiError(error) ? error.code : undefined;

  return (
    <div className="message message-error" role="alert" data-testid={testId} data-code={code}>
      {title ? <p className="message-title">{title}</p> : null}
      <p>{errorText(error)}</p>
      {fields.length > 0 ? (
        <ul className="message-fields">
          {fields.map(([field, reason]) => (
            <li key={field}>
              <code>{field}</code>: {reason}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
