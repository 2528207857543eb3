import type { ReactNode } from 'react';
import { statusTone } from './instance-labels';

/** A guest's status as a coloured dot followed by the status word. */
export function StatusDot({ status }: { status: string }): ReactNode {
  return (
    <span className={`status status-${statusTone(status)}`}>
      <span className="status-dot" aria-hidden="true" />
      {status}
    </span>
  );
}
