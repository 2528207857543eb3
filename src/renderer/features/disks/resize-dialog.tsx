import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { InstanceRef } from '../../../shared/contract';
import { formatBytes, gibToBytes } from '../../../shared/units';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { DialogActions } from '../../components/dialog-actions';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { useServerFieldErrors } from '../../components/server-field-errors';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { useSelectedTask, useTaskFeed } from '../tasks/task-feed-context';
import { TaskProgress } from '../tasks/task-progress';
import type { ResizableDisk } from './disk-labels';
import { QuotaRefusal } from './quota-refusal';
import { ResizeResultView } from './resize-result';
import { resizeFormSchema } from './resize-form-schema';
import { useResizeDisk } from './use-resize-disk';

/** Props of the resize dialog. */
export interface ResizeDialogProps {
  instance: InstanceRef & { name: string };
  disk: ResizableDisk;
  onClose: () => void;
}

// The input field main names in a refusal, and the form field that shows it.
const serverFields = { addGiB: 'addGiB' } as const;

/** Asks how much to grow a disk, runs the resize and shows its progress and outcome. */
export function ResizeDialog({ instance, disk, onClose }: ResizeDialogProps): ReactNode {
  const inputId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement | null>(null);
  const doneRef = useRef<HTMLButtonElement>(null);
  const feed = useTaskFeed();
  const resize = useResizeDisk(instance);
  const [taskMark, setTaskMark] = useState<number | null>(null);

  const form = useForm({
    resolver: zodResolver(resizeFormSchema),
    defaultValues: { addGiB: 1 },
    mode: 'onChange',
  });
  useServerFieldErrors(form.setError, resize.error, serverFields);
  const addGiB = useWatch({ control: form.control, name: 'addGiB' });
  const fieldError = form.formState.errors.addGiB?.message;
  const validAmount = Number.isInteger(addGiB) && addGiB >= 1;
  const { ref: registerRef, ...addGiBField } = form.register('addGiB', {
    valueAsNumber: true,
    // A refusal or error was about the amount that was sent; a new amount deserves a fresh look.
    onChange: () => {
      if (resize.isError) resize.reset();
    },
  });

  const failedUpid = isApiError(resize.error) ? resize.error.details?.upid : undefined;
  const task = useSelectedTask(
    taskMark === null
      ? null
      : { node: instance.node, since: taskMark, upid: resize.data?.task.upid ?? failedUpid },
  );

  useEffect(() => {
    // The form, and the button that had focus, are gone once the result shows.
    if (resize.isSuccess) doneRef.current?.focus();
  }, [resize.isSuccess]);

  const preview = useQuotaPreview(
    validAmount && !resize.isPending
      ? {
          kind: 'disk:resize',
          node: instance.node,
          type: instance.type,
          vmid: instance.vmid,
          disk: disk.key,
          addGiB,
        }
      : null,
  );

  const submit = form.handleSubmit((values) => {
    setTaskMark(feed.mark());
    resize.mutate({ disk: disk.key, addGiB: values.addGiB });
  });

  return (
    <Dialog
      title={`Resize ${disk.key}`}
      onClose={onClose}
      closable={!resize.isPending}
      initialFocusRef={inputRef}
      testId="resize-dialog"
    >
      <p className="dialog-lead">
        <span className="mono">{disk.volume}</span> of {instance.name || `guest ${instance.vmid}`}{' '}
        on {disk.storage}
      </p>

      {resize.isSuccess ? (
        <ResizeResultView result={resize.data} previousSizeBytes={disk.sizeBytes} />
      ) : (
        <form
          className="form"
          noValidate
          onSubmit={(event) => void submit(event)}
          aria-busy={resize.isPending}
        >
          <dl className="size-summary">
            <div>
              <dt>Current size</dt>
              <dd data-testid="resize-current-size">{formatBytes(disk.sizeBytes)}</dd>
            </div>
            <div>
              <dt>New size</dt>
              <dd data-testid="resize-new-size">
                {validAmount ? formatBytes(disk.sizeBytes + gibToBytes(addGiB)) : '—'}
              </dd>
            </div>
          </dl>

          <QuotaPreviewPanel verdict={preview} />

          <div className="field">
            <label htmlFor={inputId}>GiB to add</label>
            <input
              {...addGiBField}
              ref={(element) => {
                registerRef(element);
                inputRef.current = element;
              }}
              id={inputId}
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              className="input input-number"
              data-testid="resize-gib"
              aria-invalid={fieldError !== undefined}
              aria-describedby={fieldError !== undefined ? errorId : undefined}
              disabled={resize.isPending}
            />
            {fieldError !== undefined ? (
              <FieldError id={errorId} message={fieldError} testId="resize-gib-error" />
            ) : (
              <p className="field-hint">Disks only grow; PVE cannot shrink a volume.</p>
            )}
          </div>

          {isApiError(resize.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={resize.error.message}
              shortfalls={resize.error.details?.shortfalls ?? []}
            />
          ) : resize.isError ? (
            <ErrorMessage
              error={resize.error}
              title="The resize failed"
              testId="resize-error"
              placedFields={serverFields}
            />
          ) : null}

          {taskMark !== null && (resize.isPending || task !== null) ? (
            <TaskProgress
              task={task}
              running={resize.isPending}
              preparingText="Checking your quota and sending the resize…"
            />
          ) : null}

          <DialogActions
            busy={resize.isPending}
            blocked={blocksConfirm(preview)}
            onCancel={onClose}
            confirmLabel="Resize"
            busyLabel="Resizing…"
            confirmTestId="resize-submit"
          />
        </form>
      )}

      {resize.isSuccess ? (
        <>
          {task !== null ? <TaskProgress task={task} running={false} preparingText="" /> : null}
          <div className="dialog-actions">
            <button type="button" className="button button-primary" ref={doneRef} onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
