import { useState, type ReactNode } from 'react';
import type { Disk, InstanceRef } from '../../../shared/contract';
import { MoveDialog } from './move-dialog';

/** Props of a disk row's Move action. */
export interface DiskMoveActionProps {
  instance: InstanceRef;
  disk: Disk;
  /** Why changes are unavailable right now (e.g. the guest is locked), if they are. */
  blockedReason: string | null;
}

/** A Move button for a disk or mount point on a storage, with its dialog. */
export function DiskMoveAction({ instance, disk, blockedReason }: DiskMoveActionProps): ReactNode {
  const [open, setOpen] = useState(false);
  // Only volumes on a storage can move; bind mounts, CD drives and unused volumes cannot.
  if (disk.kind !== 'disk' || disk.storage === null) return null;
  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-testid={`move-${disk.key}`}
        aria-label={`Move ${disk.key}`}
        disabled={blockedReason !== null}
        title={blockedReason ?? undefined}
        onClick={() => setOpen(true)}
      >
        Move
      </button>
      {open ? <MoveDialog instance={instance} disk={disk} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
