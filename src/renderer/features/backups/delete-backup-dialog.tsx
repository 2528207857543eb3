import type { ReactNode } from 'react';
import type { Backup } from '../../../shared/backup-schemas';
import type { InstanceRef } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { DialogActions } from '../../components/dialog-actions';
import { ErrorMessage } from '../../components/error-message';
import { backupDateText, backupFileName } from './backup-labels';
import { useDeleteBackup } from './backup-queries';

/** Asks before deleting a backup, whose data is gone for good; it frees one of the count. */
export function DeleteBackupDialog({
  instance,
  backup,
  onClose,
}: {
  instance: InstanceRef;
  backup: Backup;
  onClose: () => void;
}): ReactNode {
  const remove = useDeleteBackup(instance);

  return (
    <Dialog
      title="Delete this backup?"
      onClose={onClose}
      closable={!remove.isPending}
      tone="danger"
      testId="backup-delete-dialog"
    >
      {remove.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="backup-deleted">
            Deleted {backupFileName(remove.data.volid)}.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="dialog-lead">
            The backup of {backupDateText(backup.createdAtMs)} on {backup.storage} (
            <span className="mono">{backupFileName(backup.volid)}</span>) is deleted from the
            storage and cannot be restored afterwards.
          </p>
          {remove.isError ? (
            <ErrorMessage
              error={remove.error}
              title="The backup was not deleted"
              testId="backup-delete-error"
            />
          ) : null}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              remove.mutate(backup.volid);
            }}
          >
            <DialogActions
              busy={remove.isPending}
              blocked={false}
              onCancel={onClose}
              confirmLabel="Delete"
              busyLabel="Deleting…"
              confirmTestId="backup-delete-confirm"
            />
          </form>
        </>
      )}
    </Dialog>
  );
}
