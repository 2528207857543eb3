import type { ReactNode } from 'react';

/** A small activity indicator next to a text that says what is happening. */
export function Spinner(): ReactNode {
  return <span className="spinner" aria-hidden="true" />;
}

/** A line saying that something is loading, announced politely. */
export function Loading({ children }: { children: ReactNode }): ReactNode {
  return (
    <p className="loading" role="status">
      <Spinner />
      {children}
    </p>
  );
}
