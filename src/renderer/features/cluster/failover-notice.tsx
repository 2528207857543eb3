import { useState, type ReactNode } from 'react';
import type { NodeSwitchNotice } from '../../../shared/contract';
import { nodeLabel } from './node-trust-label';

/** The words of a failover notice: which node stopped, which one is used, how it was checked. */
export function failoverText(change: NodeSwitchNotice): string {
  const checked =
    change.verifiedBy === 'pin'
      ? 'certificate checked against its pin'
      : "certificate checked against the cluster's root CA";
  return `${nodeLabel(change.from)} stopped answering (${change.reason}); now using ${nodeLabel(change.to)} (${checked}).`;
}

/** Tells the user the session moved to another node of the cluster, until they dismiss it. */
export function FailoverNotice({
  failover,
}: {
  failover: NodeSwitchNotice | null | undefined;
}): ReactNode {
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  if (!failover || dismissedAt === failover.at) return null;

  return (
    <div
      className="message message-warning failover-notice"
      role="status"
      data-testid="failover-notice"
    >
      <p className="message-title">Now connected through another node</p>
      <p data-testid="failover-text">{failoverText(failover)}</p>
      <p className="muted">
        Your session goes on: PVE accepts it on every node of the cluster. Changes that were on
        their way when the node stopped are not sent again.
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="button button-small"
          data-testid="failover-dismiss"
          onClick={() => setDismissedAt(failover.at)}
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}
