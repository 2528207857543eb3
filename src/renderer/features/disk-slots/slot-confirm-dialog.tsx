import { useRef, type ReactNode } from 'react';
import type { Disk, InstanceRef } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useDeleteDisk, useDetachDisk } from './use-disk-slots';

/** Props of the detach and delete confirmations. */
export interface SlotConfirmDialogProps {
  instance: InstanceRef;
  disk: Disk;
  action: 'detach' | 'delete';
  onClose: () => void;
}

function lead(disk: Disk, action: 'detach' | 'delete'): string {
  if (action === 'detach') {
    return `${disk.key} is taken out of the configuration and kept on ${disk.storage ?? 'its storage'} as an unused volume, where it still counts against your quota. You can attach it again later.`;
  }
  if (disk.kind === 'unused') {
    return `The volume ${disk.volume} is deleted from ${disk.storage ?? 'its storage'}. Its data is destroyed and cannot be recovered.`;
  }
  return `The CD drive ${disk.key} is removed from the configuration. The ISO image itself stays on its storage.`;
}

/** Asks before detaching a disk or deleting an unused volume or CD drive. */
export function SlotConfirmDialog({
  instance,
  disk,
  action,
  onClose,
}: SlotConfirmDialogProps): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const detach = useDetachDisk(instance);
  const remove = useDeleteDisk(instance);
  const mutation = action === 'detach' ? detach : remove;
  const verb = action === 'detach' ? 'Detach' : 'Delete';
  const destroys = action === 'delete' && disk.kind === 'unused';

  return (
    <Dialog
      title={`${verb} ${disk.key}?`}
      onClose={onClose}
      closable={!mutation.isPending}
      tone={action === 'delete' ? 'danger' : 'default'}
      initialFocusRef={cancelRef}
      testId={`disk-${action}-dialog`}
    >
      {mutation.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid={`disk-${action}-done`}>
            {mutation.data.newKey === null
              ? `Removed ${mutation.data.key}.`
              : `${mutation.data.key} is now ${mutation.data.newKey}.`}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="dialog-lead" data-testid={`disk-${action}-lead`}>
            {lead(disk, action)}
          </p>
          {mutation.isError ? (
            <ErrorMessage
              error={mutation.error}
              title={`${disk.key} was not ${action === 'detach' ? 'detached' : 'deleted'}`}
              testId={`disk-${action}-error`}
            />
          ) : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              ref={cancelRef}
              onClick={onClose}
              disabled={mutation.isPending}
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid={`disk-${action}-confirm`}
              disabled={mutation.isPending}
              onClick={() => mutation.mutate(disk.key)}
            >
              {mutation.isPending
                ? `${verb === 'Detach' ? 'Detaching' : 'Deleting'}…`
                : destroys
                  ? 'Delete the data'
                  : verb}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
