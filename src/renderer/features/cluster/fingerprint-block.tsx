import type { ReactNode } from 'react';
import { fingerprintRows } from './fingerprint';

/** A fingerprint in monospace rows of eight bytes; the whole value is in `data-fingerprint`. */
export function FingerprintBlock({
  fingerprint,
  testId,
}: {
  fingerprint: string;
  testId?: string;
}): ReactNode {
  return (
    <code className="fingerprint" data-testid={testId} data-fingerprint={fingerprint}>
      {fingerprintRows(fingerprint).map((row, index) => (
        // Rows are positions in one value, so the position is their identity.
        <span key={index} className="fingerprint-row">
          {row}
        </span>
      ))}
    </code>
  );
}
