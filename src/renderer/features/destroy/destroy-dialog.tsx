import { useId, useRef, useState, type ReactNode } from 'react';
import type { Disk, InstanceDetail } from '../../../shared/contract';
import { formatBytes } from '../../../shared/units';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { useSelectedTask, useTaskFeed } from '../tasks/task-feed-context';
import { TaskProgress } from '../tasks/task-progress';
import { confirmsVmid, destroyedDisks, keptDisks } from './destroy-rules';
import { useDestroyInstance } from './use-destroy-instance';

/** Props of the destroy confirmation. */
export interface DestroyDialogProps {
  detail: InstanceDetail;
  onClose: () => void;
  /** Called once the guest is gone. */
  onDestroyed?: () => void;
}

// The input field main names in a refusal, and the field that shows it.
const serverFields = { confirmVmid: 'confirmVmid' } as const;

function DiskList({ disks, testId }: { disks: Disk[]; testId: string }): ReactNode {
  return (
    <ul className="message-fields" data-testid={testId}>
      {disks.map((disk) => (
        <li key={disk.key}>
          <code>{disk.key}</code> {disk.volume}
          {disk.sizeBytes !== null ? ` (${formatBytes(disk.sizeBytes)})` : ''}
        </li>
      ))}
    </ul>
  );
}

/** Explains what destroying a guest removes and asks the user to type its vmid. */
export function DestroyDialog({ detail, onClose, onDestroyed }: DestroyDialogProps): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const inputId = useId();
  const feed = useTaskFeed();
  const destroy = useDestroyInstance(detail);
  const [typed, setTyped] = useState('');
  const [taskMark, setTaskMark] = useState<number | null>(null);
  const label = detail.name || `guest ${detail.vmid}`;
  const doomed = destroyedDisks(detail.disks);
  const kept = keptDisks(detail.disks);
  const confirmed = confirmsVmid(typed, detail.vmid);
  // A refusal of the typed vmid, by main's own check, shows under the field.
  const confirmError = fieldErrorsFrom(destroy.error, serverFields).confirmVmid;

  const failedUpid = isApiError(destroy.error) ? destroy.error.details?.upid : undefined;
  const task = useSelectedTask(
    taskMark === null
      ? null
      : { node: detail.node, since: taskMark, upid: destroy.data?.task.upid ?? failedUpid },
  );

  // The caller's view of the guest closes when the user dismisses the result, not under it.
  function close(): void {
    onClose();
    if (destroy.isSuccess) onDestroyed?.();
  }

  function run(): void {
    if (!confirmed) return;
    setTaskMark(feed.mark());
    destroy.mutate(detail.vmid);
  }

  return (
    <Dialog
      title={`Destroy ${label}?`}
      onClose={close}
      closable={!destroy.isPending}
      tone="danger"
      initialFocusRef={cancelRef}
      testId="destroy-dialog"
    >
      {destroy.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="destroy-done">
            {`Guest ${detail.vmid} is destroyed.`}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={close}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            run();
          }}
        >
          <p className="dialog-lead">
            {`${label} (${detail.vmid}) is removed from the cluster for good, with every volume below. Their data cannot be recovered.`}
          </p>
          {doomed.length > 0 ? (
            <DiskList disks={doomed} testId="destroy-disks" />
          ) : (
            <p className="field-hint">It has no disks.</p>
          )}
          {kept.length > 0 ? (
            <>
              <p className="field-hint">These stay where they are:</p>
              <DiskList disks={kept} testId="destroy-kept" />
            </>
          ) : null}
          <p className="field-hint">
            Other volumes named after vmid {detail.vmid} on the storages are removed too, and the
            guest is taken out of backup and replication jobs.
          </p>
          <div className="field">
            <label htmlFor={inputId}>Type {detail.vmid} to confirm</label>
            <input
              id={inputId}
              className="input"
              inputMode="numeric"
              autoComplete="off"
              value={typed}
              disabled={destroy.isPending}
              onChange={(event) => setTyped(event.target.value)}
              data-testid="destroy-confirm-input"
            />
            {confirmError !== undefined ? (
              <FieldError message={confirmError} testId="destroy-confirm-error" />
            ) : null}
          </div>
          {destroy.isError ? (
            <ErrorMessage
              error={destroy.error}
              title={`${label} was not destroyed`}
              testId="destroy-error"
              placedFields={serverFields}
            />
          ) : null}
          {taskMark !== null && (destroy.isPending || task !== null) ? (
            <TaskProgress
              task={task}
              running={destroy.isPending}
              preparingText="Sending the request to the cluster…"
            />
          ) : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              ref={cancelRef}
              onClick={onClose}
              disabled={destroy.isPending}
            >
              Cancel
            </button>
            <button
              type="submit"
              className="button button-primary"
              data-testid="destroy-confirm"
              disabled={!confirmed || destroy.isPending}
            >
              {destroy.isPending ? 'Destroying…' : 'Destroy'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
