import type { ReactNode } from 'react';
import { isApiError } from '../api';
import {
  messageRepeatsPlacedReason,
  unplacedFieldErrors,
  type ServerFieldMap,
} from './server-field-errors';

/** Props of an inline error. */
export interface ErrorMessageProps {
  error: unknown;
  /** A short heading naming what failed, e.g. "Could not load your instances". */
  title?: string;
  onRetry?: () => void;
  testId?: string;
  /**
   * The input fields whose reasons the form shows under its own fields (its server field map);
   * their reasons, and a message that only repeats one of them, are left out here.
   */
  placedFields?: ServerFieldMap<string>;
}

/** The human message of any failure, without internals. */
export function errorText(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/**
 * An error shown in place, announced to screen readers, with the per-field reasons that no field
 * of the form shows.
 */
export function ErrorMessage({
  error,
  title,
  onRetry,
  testId,
  placedFields = {},
}: ErrorMessageProps): ReactNode {
  const fields = unplacedFieldErrors(error, placedFields);
  // A message that only says again what a field already shows would be read twice.
  const repeats = messageRepeatsPlacedReason(error, placedFields);
  const code = isApiError(error) ? error.code : undefined;

  return (
    <div className="message message-error" role="alert" data-testid={testId} data-code={code}>
      {title ? <p className="message-title">{title}</p> : null}
      {repeats ? null : <p>{errorText(error)}</p>}
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
