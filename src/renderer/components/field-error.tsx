import type { ReactNode } from 'react';

/** Starts a message with a capital and ends it with a full stop, as the rest of the UI reads. */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The error under a form field, announced when it appears. */
export function FieldError({
  id,
  message,
  testId,
}: {
  id?: string;
  message: string;
  testId?: string;
}): ReactNode {
  return (
    <p className="field-error" id={id} role="alert" data-testid={testId}>
      {asSentence(message)}
    </p>
  );
}
