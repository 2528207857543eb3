import { useState, type ReactNode } from 'react';
import type { InstanceRef, SessionStatus } from '../../shared/contract';
import { InstanceDetailPanel } from '../features/instances/instance-detail';
import { InstanceTable } from '../features/instances/instance-table';
import { AdminButton } from '../features/admin/admin-button';
import { AdminView } from '../features/admin/admin-view';
import { ClusterNodesPanel } from '../features/cluster/cluster-nodes-panel';
import { FailoverNotice } from '../features/cluster/failover-notice';
import { QuotaPanel } from '../features/quota/quota-panel';
import { SessionHeader } from '../features/session/session-header';

/** Props of the main view. */
export interface WorkspacePageProps {
  status: Extract<SessionStatus, { signedIn: true }>;
  onSignedOut: (clusterUrl: string) => void;
}

/** The main view: the user's instances, the selected one's detail, and the quota. */
export function WorkspacePage({ status, onSignedOut }: WorkspacePageProps): ReactNode {
  const [selected, setSelected] = useState<InstanceRef | null>(null);
  const [showAdmin, setShowAdmin] = useState(false);

  return (
    <div className="shell" data-testid="workspace">
      <SessionHeader
        status={status}
        onSignedOut={onSignedOut}
        actions={<AdminButton open={showAdmin} onToggle={() => setShowAdmin((open) => !open)} />}
      />
      <FailoverNotice failover={status.failover} />
      {showAdmin ? <AdminView onClose={() => setShowAdmin(false)} /> : null}
      <main className="workspace" style={showAdmin ? { display: 'none' } : undefined}>
        <div className="workspace-main">
          <InstanceTable selected={selected} onSelect={setSelected} />
          {selected !== null ? (
            <InstanceDetailPanel
              key={`${selected.node}/${selected.type}/${selected.vmid}`}
              instance={selected}
              onClose={() => setSelected(null)}
            />
          ) : (
            <p className="workspace-hint">Choose an instance to see its disks.</p>
          )}
        </div>
        <aside className="workspace-side" aria-label="Quota">
          <QuotaPanel />
          <ClusterNodesPanel status={status} />
        </aside>
      </main>
    </div>
  );
}
