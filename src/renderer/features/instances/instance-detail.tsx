import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { InstanceDetail, InstanceRef } from '../../../shared/contract';
import { formatBytes } from '../../../shared/units';
import { ErrorMessage } from '../../components/error-message';
import { Notice } from '../../components/notice';
import { Loading } from '../../components/spinner';
import type { ResizableDisk } from '../disks/disk-labels';
import { DiskTable } from '../disks/disk-table';
import { AddDiskAction } from '../disk-create-move/add-disk-action';
import { ResizeDialog } from '../disks/resize-dialog';
import { NetworkSection } from '../network/network-section';
import { PciSection } from '../pci/pci-section';
import { BackupsSection } from '../backups/backups-section';
import { TaskPanel } from '../tasks/task-panel';
import { InstanceOperations } from './instance-operations';
import { instanceTypeLabel } from './instance-labels';
import { instanceDetailQuery } from './instance-queries';
import { StatusDot } from './status-dot';

/** Props of the detail panel. */
export interface InstanceDetailPanelProps {
  instance: InstanceRef;
  onClose: () => void;
}

function cpuText(detail: InstanceDetail): string | null {
  if (detail.cores === null) return null;
  const sockets = detail.sockets ?? 1;
  const total = detail.cores * sockets;
  return sockets > 1 ? `${total} (${sockets} × ${detail.cores})` : String(total);
}

function Facts({ detail }: { detail: InstanceDetail }): ReactNode {
  const facts: [string, ReactNode][] = [
    ['Type', instanceTypeLabel(detail.type)],
    ['Node', detail.node],
    ['Status', <StatusDot key="status" status={detail.status} />],
    ['Pool', detail.pool ?? '—'],
    ['Cores', cpuText(detail) ?? '—'],
    ['Memory', detail.memoryBytes === null ? '—' : formatBytes(detail.memoryBytes)],
  ];
  if (detail.type === 'lxc') {
    facts.push(['Swap', detail.swapBytes === null ? '—' : formatBytes(detail.swapBytes)]);
  } else {
    facts.push(['CPU model', detail.cpuType ?? 'PVE default']);
  }
  return (
    <dl className="facts">
      {facts.map(([term, value]) => (
        <div key={term} data-term={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One instance's config: its facts and its disks, with the resize action. */
export function InstanceDetailPanel({ instance, onClose }: InstanceDetailPanelProps): ReactNode {
  const detail = useQuery(instanceDetailQuery(instance));
  const [resizing, setResizing] = useState<ResizableDisk | null>(null);
  const title = detail.data
    ? detail.data.name || `Guest ${instance.vmid}`
    : `Guest ${instance.vmid}`;
  const lock = detail.data?.lock ?? null;

  return (
    <section className="card" aria-labelledby="detail-title" data-testid="instance-detail">
      <header className="card-header">
        <h2 id="detail-title" className="card-title">
          {title} <span className="card-title-sub">{instance.vmid}</span>
        </h2>
        <button
          type="button"
          className="button button-quiet button-small"
          onClick={onClose}
          aria-label="Close details"
        >
          Close
        </button>
      </header>
      <div className="card-body">
        {detail.isPending ? <Loading>Reading the configuration…</Loading> : null}
        {detail.isError ? (
          <ErrorMessage
            error={detail.error}
            title="Could not read this instance"
            onRetry={() => void detail.refetch()}
            testId="detail-error"
          />
        ) : null}
        {detail.data ? (
          <>
            <Facts detail={detail.data} />
            {lock !== null ? (
              <Notice testId="detail-locked">
                This instance is locked ({lock}); changes wait until the lock is released.
              </Notice>
            ) : null}
            <InstanceOperations detail={detail.data} onDestroyed={onClose} />
            <h3 className="section-title">Disks</h3>
            <AddDiskAction
              instance={instance}
              blockedReason={lock !== null ? `Locked (${lock})` : null}
            />
            <DiskTable
              disks={detail.data.disks}
              resizeBlockedReason={lock !== null ? `Locked (${lock})` : null}
              onResize={setResizing}
              instance={instance}
            />
            <NetworkSection detail={detail.data} />
            <PciSection detail={detail.data} />
            <BackupsSection detail={detail.data} />
            {detail.data.problems.length > 0 ? (
              <Notice testId="detail-problems" small>
                <p>Some settings could not be read and are left out:</p>
                <ul className="message-fields">
                  {detail.data.problems.map((problem) => (
                    <li key={problem.key}>
                      <code>{problem.key}</code>: {problem.reason}
                    </li>
                  ))}
                </ul>
              </Notice>
            ) : null}
            <TaskPanel vmid={instance.vmid} />
          </>
        ) : null}
      </div>
      {resizing !== null ? (
        <ResizeDialog
          instance={{ ...instance, name: detail.data?.name ?? '' }}
          disk={resizing}
          onClose={() => setResizing(null)}
        />
      ) : null}
    </section>
  );
}
