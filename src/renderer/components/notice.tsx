import type { ReactNode } from 'react';

/** A calm, non-error note: something worth knowing that needs no action. */
export function Notice({
  children,
  testId,
  small = false,
}: {
  children: ReactNode;
  testId?: string;
  small?: boolean;
}): ReactNode {
  return (
    <div
      className={small ? 'message message-info message-small' : 'message message-info'}
      role="status"
      data-testid={testId}
    >
      {children}
    </div>
  );
}
