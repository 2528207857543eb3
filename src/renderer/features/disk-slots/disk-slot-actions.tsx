import type { ReactNode } from 'react';
import type { Disk, InstanceRef } from '../../../shared/contract';
import { AttachDialog } from './attach-dialog';
import { SlotConfirmDialog } from './slot-confirm-dialog';

/** Whether a disk can be detached: a volume on a storage, never a container's rootfs. */
export function canDetach(disk: Disk): boolean {
  return disk.kind === 'disk' && disk.storage !== null && disk.key !== 'rootfs';
}

/** Whether a disk can be deleted: an unused volume, or a VM's CD drive. */
export function canDelete(disk: Disk, type: InstanceRef['type']): boolean {
  return (
    disk.kind === 'unused' || (type === 'qemu' && (disk.kind === 'cdrom' || disk.kind === 'empty'))
  );
}

/** A slot action the user opened, with the disk as it was then (the row may go away). */
export interface SlotRequest {
  action: 'detach' | 'attach' | 'delete';
  disk: Disk;
}

/** Props of one disk row's slot actions. */
export interface DiskSlotActionsProps {
  type: InstanceRef['type'];
  disk: Disk;
  /** Why changes are unavailable right now (e.g. the guest is locked), if they are. */
  blockedReason: string | null;
  onOpen: (request: SlotRequest) => void;
}

/** The Detach, Attach and Delete buttons of one disk row. */
export function DiskSlotActions({
  type,
  disk,
  blockedReason,
  onOpen,
}: DiskSlotActionsProps): ReactNode {
  const button = (action: SlotRequest['action'], label: string): ReactNode => (
    <button
      type="button"
      className="button button-small"
      data-testid={`${action}-${disk.key}`}
      aria-label={`${label} ${disk.key}`}
      disabled={blockedReason !== null}
      title={blockedReason ?? undefined}
      onClick={() => onOpen({ action, disk })}
    >
      {label}
    </button>
  );

  return (
    <>
      {canDetach(disk) ? button('detach', 'Detach') : null}
      {disk.kind === 'unused' ? button('attach', 'Attach') : null}
      {canDelete(disk, type) ? button('delete', 'Delete') : null}
    </>
  );
}

/** Props of the dialog of an opened slot action. */
export interface DiskSlotDialogProps {
  instance: InstanceRef;
  request: SlotRequest;
  onClose: () => void;
}

/** The dialog of an opened slot action; it outlives the row, which a change may remove. */
export function DiskSlotDialog({ instance, request, onClose }: DiskSlotDialogProps): ReactNode {
  if (request.action === 'attach') {
    return <AttachDialog instance={instance} disk={request.disk} onClose={onClose} />;
  }
  return (
    <SlotConfirmDialog
      instance={instance}
      disk={request.disk}
      action={request.action}
      onClose={onClose}
    />
  );
}
