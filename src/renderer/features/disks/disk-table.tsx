import { useState, type ReactNode } from 'react';
import type { Disk, InstanceRef } from '../../../shared/contract';
import { formatBytes } from '../../../shared/units';
import { DiskSlotActions, DiskSlotDialog, type SlotRequest } from '../disk-slots/disk-slot-actions';
import { DiskMoveAction } from '../disk-create-move/disk-move-action';
import { diskKindLabel, isResizable, type ResizableDisk } from './disk-labels';

/** Props of an instance's disks table. */
export interface DiskTableProps {
  disks: readonly Disk[];
  /** Why resizing is unavailable right now (e.g. the guest is locked), if it is. */
  resizeBlockedReason: string | null;
  onResize: (disk: ResizableDisk) => void;
  /** The guest, for the detach, attach and delete actions; without it they are not offered. */
  instance?: InstanceRef;
}

/** The disks, mount points and unused volumes of one instance. */
export function DiskTable({
  disks,
  resizeBlockedReason,
  onResize,
  instance,
}: DiskTableProps): ReactNode {
  // Held here, not in the row: a detach or delete removes the row whose dialog shows the result.
  const [slotRequest, setSlotRequest] = useState<SlotRequest | null>(null);
  if (disks.length === 0) return <p className="empty">This instance has no disks.</p>;

  return (
    <div className="table-scroll">
      <table className="table" data-testid="disk-table">
        <thead>
          <tr>
            <th scope="col">Disk</th>
            <th scope="col">Volume</th>
            <th scope="col">Storage</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Kind</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {disks.map((disk) => (
            <tr key={disk.key} data-testid={`disk-row-${disk.key}`}>
              <td className="mono">{disk.key}</td>
              <td>
                <span className="mono volume" title={disk.volume}>
                  {disk.volume}
                </span>
                {disk.mountPath ? <span className="muted"> at {disk.mountPath}</span> : null}
              </td>
              <td>{disk.storage ?? <span className="muted">—</span>}</td>
              <td className="numeric" data-testid={`disk-size-${disk.key}`}>
                {disk.sizeBytes === null ? (
                  <span className="muted">—</span>
                ) : (
                  formatBytes(disk.sizeBytes)
                )}
              </td>
              <td>{diskKindLabel(disk.kind)}</td>
              <td className="actions">
                {isResizable(disk) ? (
                  <button
                    type="button"
                    className="button button-small"
                    data-testid={`resize-${disk.key}`}
                    aria-label={`Resize ${disk.key}`}
                    disabled={resizeBlockedReason !== null}
                    title={resizeBlockedReason ?? undefined}
                    onClick={() => onResize(disk)}
                  >
                    Resize
                  </button>
                ) : null}
                {instance !== undefined ? (
                  <DiskMoveAction
                    instance={instance}
                    disk={disk}
                    blockedReason={resizeBlockedReason}
                  />
                ) : null}
                {instance !== undefined ? (
                  <DiskSlotActions
                    type={instance.type}
                    disk={disk}
                    blockedReason={resizeBlockedReason}
                    onOpen={setSlotRequest}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {instance !== undefined && slotRequest !== null ? (
        <DiskSlotDialog
          instance={instance}
          request={slotRequest}
          onClose={() => setSlotRequest(null)}
        />
      ) : null}
    </div>
  );
}
