import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { backupModes } from '../../../shared/backup-schemas';
import type { BackupList } from '../../../shared/backup-schemas';
import type { InstanceRef } from '../../../shared/contract';
import { formatBytes } from '../../../shared/units';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { QuotaRefusal } from '../disks/quota-refusal';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { backupCreateChange, pricedBackupsUsed } from './backup-change';
import {
  backupBlockedReason,
  backupCountText,
  backupFileName,
  backupModeLabels,
} from './backup-labels';
import { backupFormSchema, type BackupFormValues } from './backup-form-schema';
import { backupKeys, useCreateBackup } from './backup-queries';

/** Props of the "Back up now" dialog. */
export interface CreateBackupDialogProps {
  instance: InstanceRef;
  list: BackupList;
  onClose: () => void;
}

/** Backs a guest up to one of its node's backup storages, within the user's backup count. */
export function CreateBackupDialog({
  instance,
  list,
  onClose,
}: CreateBackupDialogProps): ReactNode {
  const id = useId();
  const storageRef = useRef<HTMLSelectElement | null>(null);
  const create = useCreateBackup(instance);
  const form = useForm<BackupFormValues>({
    resolver: zodResolver(backupFormSchema),
    defaultValues: { storage: list.storages[0]?.storage ?? '', mode: 'snapshot', notes: '' },
    mode: 'onChange',
  });
  const submit = form.handleSubmit((values) => create.mutate(values));
  const errors = form.formState.errors;
  const [storage, mode] = useWatch({ control: form.control, name: ['storage', 'mode'] });
  // Priced by backup:create's own planner; main counts again when the backup is confirmed. Not
  // while a backup is sent or its error shows: until its outcome is certain it holds a slot and
  // locks the guest, and the error already says what happened.
  const preview = useQuotaPreview(
    create.isIdle ? backupCreateChange(instance, { storage, mode }) : null,
  );
  // The preview reads the storages now; when it counts other than the panel's reading, a backup
  // was made or deleted since (in the PVE web UI, by a lab job), so the panel reads again and the
  // count above the form agrees with the one the preview itemises.
  const queryClient = useQueryClient();
  const pricedUsed = pricedBackupsUsed(preview);
  const listedUsed = list.count.used;
  const { node, type, vmid } = instance;
  useEffect(() => {
    if (pricedUsed === null || listedUsed === null || pricedUsed === listedUsed) return;
    void queryClient.invalidateQueries({ queryKey: backupKeys.list({ node, type, vmid }) });
  }, [pricedUsed, listedUsed, queryClient, node, type, vmid]);
  const blocked = backupBlockedReason(list.count);
  // A new storage or mode is another backup: the last one's error no longer applies.
  const resetError = (): void => {
    if (create.isError) create.reset();
  };
  const { ref: storageFieldRef, ...storageField } = form.register('storage', {
    onChange: resetError,
  });

  return (
    <Dialog
      title={`Back up guest ${instance.vmid}`}
      onClose={onClose}
      initialFocusRef={storageRef}
      testId="backup-create-dialog"
    >
      {create.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="backup-created">
            {create.data.backup === null
              ? 'The backup is made.'
              : `Backed up as ${backupFileName(create.data.backup.volid)} (${formatBytes(create.data.backup.sizeBytes)}).`}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form
          className="form"
          noValidate
          onSubmit={(event) => void submit(event)}
          aria-busy={create.isPending}
        >
          <p className="dialog-lead" data-testid="backup-count">
            {backupCountText(list.count)} A backup counts until it is deleted.
          </p>
          <div className="field">
            <label htmlFor={`${id}-storage`}>Storage</label>
            <select
              {...storageField}
              ref={(element) => {
                storageFieldRef(element);
                storageRef.current = element;
              }}
              id={`${id}-storage`}
              className="input"
              data-testid="backup-storage"
              disabled={create.isPending}
            >
              {list.storages.map((storage) => (
                <option key={storage.storage} value={storage.storage}>
                  {storage.storage}
                  {storage.shared ? ' (shared)' : ''}
                </option>
              ))}
            </select>
            {errors.storage?.message !== undefined ? (
              <FieldError id={`${id}-storage-error`} message={errors.storage.message} />
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={`${id}-mode`}>Mode</label>
            <select
              {...form.register('mode', { onChange: resetError })}
              id={`${id}-mode`}
              className="input"
              data-testid="backup-mode"
              disabled={create.isPending}
            >
              {backupModes.map((mode) => (
                <option key={mode} value={mode}>
                  {backupModeLabels[mode]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-notes`}>Notes (optional)</label>
            <input
              {...form.register('notes')}
              id={`${id}-notes`}
              className="input"
              data-testid="backup-notes"
              maxLength={200}
              aria-invalid={errors.notes !== undefined}
              aria-describedby={errors.notes !== undefined ? `${id}-notes-error` : undefined}
              disabled={create.isPending}
            />
            {errors.notes?.message !== undefined ? (
              <FieldError
                id={`${id}-notes-error`}
                message={errors.notes.message}
                testId="backup-notes-error"
              />
            ) : (
              <p className="field-hint">
                One line; {'{{guestname}}'}, {'{{vmid}}'}, {'{{node}}'} and {'{{cluster}}'} are
                filled in by PVE.
              </p>
            )}
          </div>
          <QuotaPreviewPanel verdict={preview} />
          {blocked !== null ? (
            <p className="message message-error" role="alert" data-testid="backup-blocked">
              {blocked}
            </p>
          ) : null}
          {isApiError(create.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={create.error.message}
              shortfalls={create.error.details?.shortfalls ?? []}
            />
          ) : create.isError ? (
            <ErrorMessage
              error={create.error}
              title={
                isApiError(create.error, 'TASK_TIMEOUT', 'OUTCOME_UNKNOWN')
                  ? 'The backup is still running, or its outcome is unknown'
                  : 'The backup was not made'
              }
              testId="backup-create-error"
            />
          ) : null}
          {/* Not DialogActions: its Cancel waits while busy, and vzdump may outlast the wait. */}
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              data-testid="backup-create-close"
              onClick={onClose}
            >
              {create.isPending ? 'Close' : 'Cancel'}
            </button>
            <button
              type="submit"
              className="button button-primary"
              data-testid="backup-create-submit"
              disabled={
                create.isPending ||
                blocked !== null ||
                list.storages.length === 0 ||
                blocksConfirm(preview)
              }
            >
              {create.isPending ? 'Backing up…' : 'Back up now'}
            </button>
          </div>
          {create.isPending ? (
            <p className="field-hint" role="status" data-testid="backup-create-continues">
              You can close this; the backup continues and shows in Tasks.
            </p>
          ) : null}
        </form>
      )}
    </Dialog>
  );
}
