import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type ReactNode } from 'react';
import type { Disk, InstanceRef } from '../../../shared/contract';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { quotaConstraintsQuery } from '../disk-slots/use-disk-slots';
import { QuotaRefusal } from '../disks/quota-refusal';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { moveTargets } from './move-targets';
import { useMoveDisk } from './use-disk-move';

/** Props of the move dialog. */
export interface MoveDialogProps {
  instance: InstanceRef;
  disk: Disk;
  onClose: () => void;
}

// The input fields main and PVE name in a refusal, and the fields of this form that show them.
const serverFields = { targetStorage: 'targetStorage', deleteSource: 'deleteSource' } as const;

/** Moves a disk or mount point to another storage the policy allows for its bus. */
export function MoveDialog({ instance, disk, onClose }: MoveDialogProps): ReactNode {
  const formId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const constraints = useQuery(quotaConstraintsQuery());
  const move = useMoveDisk(instance);
  const targets = constraints.data ? moveTargets(constraints.data, disk.key, disk.storage) : [];
  const [target, setTarget] = useState<string | null>(null);
  const [deleteSource, setDeleteSource] = useState(false);
  const chosen = target ?? targets[0] ?? null;
  const fieldErrors = fieldErrorsFrom(move.error, serverFields);
  const preview = useQuotaPreview(
    chosen !== null && !move.isPending
      ? {
          kind: 'disk:move',
          node: instance.node,
          type: instance.type,
          vmid: instance.vmid,
          disk: disk.key,
          targetStorage: chosen,
          deleteSource,
        }
      : null,
  );

  return (
    <Dialog
      title={`Move ${disk.key}`}
      onClose={onClose}
      closable={!move.isPending}
      initialFocusRef={cancelRef}
      testId="disk-move-dialog"
    >
      {move.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="disk-move-done">
            {`${move.data.disk} is now on ${move.data.toStorage}`}
            {move.data.keptAs === null ? '.' : `; the source is kept as ${move.data.keptAs}.`}
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
            The volume is copied to the new storage, which must have room in your quota for its full
            size. Unless you delete the source, it stays on {disk.storage ?? 'its storage'} as an
            unused volume and still counts.
          </p>
          {constraints.data && targets.length === 0 ? (
            <p className="message" data-testid="disk-move-none">
              Your policy names no other storage that allows this disk.
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={`${formId}-storage`}>Target storage</label>
            <select
              id={`${formId}-storage`}
              data-testid="disk-move-storage"
              value={chosen ?? ''}
              disabled={move.isPending || targets.length === 0}
              onChange={(event) => setTarget(event.target.value)}
            >
              {targets.map((storage) => (
                <option key={storage} value={storage}>
                  {storage}
                </option>
              ))}
            </select>
            {fieldErrors.targetStorage !== undefined ? (
              <FieldError message={fieldErrors.targetStorage} testId="disk-move-storage-error" />
            ) : null}
          </div>
          <div className="field">
            <label>
              <input
                type="checkbox"
                data-testid="disk-move-delete"
                checked={deleteSource}
                disabled={move.isPending}
                onChange={(event) => setDeleteSource(event.target.checked)}
              />{' '}
              Delete the source volume after the copy
            </label>
            {fieldErrors.deleteSource !== undefined ? (
              <FieldError message={fieldErrors.deleteSource} testId="disk-move-delete-error" />
            ) : null}
          </div>
          <QuotaPreviewPanel verdict={preview} />
          {isApiError(move.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={move.error.message}
              shortfalls={move.error.details?.shortfalls ?? []}
            />
          ) : move.isError ? (
            <ErrorMessage
              error={move.error}
              title="The move failed"
              testId="disk-move-error"
              placedFields={serverFields}
            />
          ) : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              ref={cancelRef}
              onClick={onClose}
              disabled={move.isPending}
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="disk-move-confirm"
              disabled={move.isPending || chosen === null || blocksConfirm(preview)}
              onClick={() => {
                if (chosen !== null)
                  move.mutate({ disk: disk.key, targetStorage: chosen, deleteSource });
              }}
            >
              {move.isPending ? 'Moving…' : 'Move'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
