import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { InstanceRef, InstanceSummary } from '../../../shared/contract';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/spinner';
import { NewInstanceButton } from '../instance-create/new-instance-button';
import { instanceTypeLabel } from './instance-labels';
import { instanceListQuery } from './instance-queries';
import { StatusDot } from './status-dot';

/** Props of the instance table. */
export interface InstanceTableProps {
  selected: InstanceRef | null;
  onSelect: (ref: InstanceRef) => void;
}

function isSelected(row: InstanceSummary, selected: InstanceRef | null): boolean {
  return (
    selected !== null &&
    row.vmid === selected.vmid &&
    row.node === selected.node &&
    row.type === selected.type
  );
}

/** The user's instances; choosing a row opens its detail. */
export function InstanceTable({ selected, onSelect }: InstanceTableProps): ReactNode {
  const instances = useQuery(instanceListQuery());

  return (
    <section className="card" aria-labelledby="instances-title" data-testid="instance-panel">
      <header className="card-header">
        <h2 id="instances-title" className="card-title">
          Instances
        </h2>
        {instances.data ? (
          <span className="card-hint">
            {instances.isFetching
              ? 'Updating…'
              : `${instances.data.length} ${instances.data.length === 1 ? 'instance' : 'instances'}`}
          </span>
        ) : null}
        <NewInstanceButton onCreated={onSelect} />
      </header>
      {instances.isPending ? (
        <div className="card-body">
          <Loading>Loading your instances…</Loading>
        </div>
      ) : null}
      {instances.isError ? (
        <div className="card-body">
          <ErrorMessage
            error={instances.error}
            title="Could not load your instances"
            onRetry={() => void instances.refetch()}
            testId="instances-error"
          />
        </div>
      ) : null}
      {instances.data?.length === 0 ? (
        <div className="card-body">
          <p className="empty">
            You have no instances yet. Virtual machines and containers in your pools appear here.
          </p>
        </div>
      ) : null}
      {instances.data && instances.data.length > 0 ? (
        <div className="table-scroll">
          <table className="table table-selectable" data-testid="instance-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="numeric">
                  VMID
                </th>
                <th scope="col">Type</th>
                <th scope="col">Node</th>
                <th scope="col">Status</th>
                <th scope="col">Pool</th>
              </tr>
            </thead>
            <tbody>
              {instances.data.map((row) => {
                const ref = { node: row.node, type: row.type, vmid: row.vmid };
                const active = isSelected(row, selected);
                return (
                  <tr
                    key={`${row.node}/${row.type}/${row.vmid}`}
                    data-testid={`instance-row-${row.vmid}`}
                    data-selected={active}
                    className={active ? 'selected' : undefined}
                    onClick={() => onSelect(ref)}
                  >
                    <td>
                      {/* The button gives keyboard and screen-reader users the same way in. */}
                      <button
                        type="button"
                        className="row-link"
                        aria-current={active ? 'true' : undefined}
                        onClick={(event) => {
                          event.stopPropagation();
                          onSelect(ref);
                        }}
                      >
                        {row.name || `(unnamed ${row.vmid})`}
                      </button>
                      {row.lock ? <span className="badge">locked: {row.lock}</span> : null}
                    </td>
                    <td className="numeric mono">{row.vmid}</td>
                    <td>{instanceTypeLabel(row.type)}</td>
                    <td>{row.node}</td>
                    <td>
                      <StatusDot status={row.status} />
                    </td>
                    <td>{row.pool ?? <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
