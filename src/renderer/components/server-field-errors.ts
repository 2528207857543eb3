import { useEffect, useEffectEvent } from 'react';
import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import { isApiError } from '../api';

// Main names a refused value by the channel's input field (`rateMBps`, `addGiB`), whether its own
// checks refused it (INVALID_INPUT, QUOTA_EXCEEDED) or PVE did (PVE_VALIDATION, renamed in main).
// A form lists which of its fields stands for which input field, and the reasons are shown under
// those fields the same way as the form's own checks.

/** For one form: input field name (as main names it) to the form field that shows it. */
export type ServerFieldMap<K extends string> = Readonly<Record<string, K>>;

/** The reasons of a failed call that belong to the form's fields, keyed by form field. */
export function fieldErrorsFrom<K extends string>(
  error: unknown,
  fields: ServerFieldMap<K>,
): Partial<Record<K, string>> {
  const found: Partial<Record<K, string>> = {};
  if (!isApiError(error)) return found;
  for (const [inputField, why] of Object.entries(error.details?.fields ?? {})) {
    if (!Object.hasOwn(fields, inputField)) continue;
    const formField = fields[inputField];
    if (formField === undefined) continue;
    const earlier = found[formField];
    found[formField] = earlier === undefined ? why : `${earlier}; ${why}`;
  }
  return found;
}

/**
 * The reasons of a failed call for input fields the form does not show under a field of its own,
 * as `[input field, reason]`: what a general error box must still list.
 */
export function unplacedFieldErrors(
  error: unknown,
  fields: ServerFieldMap<string>,
): [string, string][] {
  if (!isApiError(error)) return [];
  return Object.entries(error.details?.fields ?? {}).filter(
    ([inputField]) => !isPlaced(fields, inputField),
  );
}

/** Whether the call's message is word for word a reason the form shows under one of its fields. */
export function messageRepeatsPlacedReason(
  error: unknown,
  fields: ServerFieldMap<string>,
): boolean {
  if (!isApiError(error)) return false;
  return Object.entries(error.details?.fields ?? {}).some(
    ([inputField, why]) => isPlaced(fields, inputField) && why === error.message,
  );
}

function isPlaced(fields: ServerFieldMap<string>, inputField: string): boolean {
  return Object.hasOwn(fields, inputField) && fields[inputField] !== undefined;
}

/**
 * For a react-hook-form form: shows the per-field reasons of `error` under its fields each time a
 * new error arrives. The form's own validation clears them when the user edits or submits again.
 */
export function useServerFieldErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  error: unknown,
  fields: ServerFieldMap<FieldPath<T>>,
): void {
  const place = useEffectEvent((failure: unknown) => {
    const reasons = Object.entries(fieldErrorsFrom(failure, fields)) as [FieldPath<T>, string][];
    for (const [field, message] of reasons) setError(field, { type: 'server', message });
  });
  useEffect(() => {
    if (error !== null && error !== undefined) place(error);
  }, [error]);
}
