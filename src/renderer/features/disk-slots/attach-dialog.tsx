import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type ReactNode } from 'react';
import type { Disk, InstanceRef, QuotaConstraints } from '../../../shared/contract';
import { attachBuses, mountPathSchema, type AttachBus } from '../../../shared/disk-slot-schemas';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { Loading } from '../../components/spinner';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { quotaConstraintsQuery, useAttachDisk } from './use-disk-slots';

/** Props of the attach dialog. */
export interface AttachDialogProps {
  instance: InstanceRef;
  disk: Disk;
  onClose: () => void;
}

/** The buses the policy allows for a volume on this storage; every bus when it names none. */
export function allowedBuses(constraints: QuotaConstraints, storage: string | null): AttachBus[] {
  const entry = constraints.storages.find((s) => s.storage === storage);
  if (entry === undefined) return [...attachBuses];
  return attachBuses.filter((bus) => entry.buses.includes(bus));
}

/** Whether the policy allows container mount points on this storage. */
export function mountPointsAllowed(constraints: QuotaConstraints, storage: string | null): boolean {
  const entry = constraints.storages.find((s) => s.storage === storage);
  return entry === undefined || entry.buses.includes('mp');
}

// The input fields main and PVE name in a refusal, and the fields of this form that show them.
const serverFields = { bus: 'bus', mountPath: 'mountPath' } as const;

/** Attaches an unused volume on a bus (VM) or at a mount path (container). */
export function AttachDialog({ instance, disk, onClose }: AttachDialogProps): ReactNode {
  const formId = useId();
  const firstRef = useRef<HTMLElement | null>(null);
  const constraints = useQuery(quotaConstraintsQuery());
  const attach = useAttachDisk(instance);
  const [bus, setBus] = useState<AttachBus | null>(null);
  const [mountPath, setMountPath] = useState('');
  const [touched, setTouched] = useState(false);
  const vm = instance.type === 'qemu';

  const buses = constraints.data ? allowedBuses(constraints.data, disk.storage) : [];
  const chosenBus = bus ?? buses[0] ?? null;
  const pathCheck = mountPathSchema.safeParse(mountPath);
  const fieldErrors = fieldErrorsFrom(attach.error, serverFields);
  const pathError =
    !vm && touched && !pathCheck.success
      ? pathCheck.error.issues[0]?.message
      : fieldErrors.mountPath;
  const blocked = constraints.data
    ? vm
      ? buses.length === 0
      : !mountPointsAllowed(constraints.data, disk.storage)
    : true;

  const ref = { node: instance.node, type: instance.type, vmid: instance.vmid };
  const slot = vm
    ? chosenBus === null
      ? null
      : { bus: chosenBus }
    : pathCheck.success
      ? { mountPath: pathCheck.data }
      : null;
  const preview = useQuotaPreview(
    slot !== null && !blocked && !attach.isPending
      ? { kind: 'disk:attach', ...ref, volume: disk.key, ...slot }
      : null,
  );

  const submit = (): void => {
    setTouched(true);
    if (vm) {
      if (chosenBus !== null) attach.mutate({ volume: disk.key, bus: chosenBus });
    } else if (pathCheck.success) {
      attach.mutate({ volume: disk.key, mountPath: pathCheck.data });
    }
  };

  return (
    <Dialog
      title={`Attach ${disk.key}`}
      onClose={onClose}
      closable={!attach.isPending}
      initialFocusRef={firstRef}
      testId="disk-attach-dialog"
    >
      {attach.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="disk-attach-done">
            {disk.volume} is attached as {attach.data.newKey}.
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
          aria-busy={attach.isPending}
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <p className="dialog-lead">
            {disk.volume} goes to the first free slot. It already counts against your quota, so
            attaching it changes nothing there.
          </p>
          {constraints.isPending ? <Loading>Reading your quota policy…</Loading> : null}
          {constraints.isError ? (
            <ErrorMessage error={constraints.error} title="Could not read your quota policy" />
          ) : null}
          {constraints.data && blocked ? (
            <p className="message" data-testid="disk-attach-blocked">
              Your quota policy allows no {vm ? 'VM disk bus' : 'mount points'} on{' '}
              {disk.storage ?? 'this storage'}.
            </p>
          ) : null}
          {constraints.data && !blocked && vm ? (
            <div className="field">
              <label htmlFor={`${formId}-bus`}>Bus</label>
              <select
                ref={(element) => {
                  firstRef.current = element;
                }}
                id={`${formId}-bus`}
                className="input"
                data-testid="disk-attach-bus"
                value={chosenBus ?? ''}
                disabled={attach.isPending}
                onChange={(event) => {
                  setBus(event.target.value as AttachBus);
                  attach.reset();
                }}
              >
                {buses.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
              {fieldErrors.bus !== undefined ? (
                <FieldError message={fieldErrors.bus} testId="disk-attach-bus-error" />
              ) : (
                <p className="field-hint">Only the buses your policy allows on {disk.storage}.</p>
              )}
            </div>
          ) : null}
          {constraints.data && !blocked && !vm ? (
            <div className="field">
              <label htmlFor={`${formId}-path`}>Mount path</label>
              <input
                ref={(element) => {
                  firstRef.current = element;
                }}
                id={`${formId}-path`}
                className="input"
                data-testid="disk-attach-path"
                value={mountPath}
                placeholder="/data"
                aria-invalid={pathError !== undefined}
                aria-describedby={pathError !== undefined ? `${formId}-path-error` : undefined}
                disabled={attach.isPending}
                onChange={(event) => {
                  setMountPath(event.target.value);
                  attach.reset();
                }}
                onBlur={() => setTouched(true)}
              />
              {pathError !== undefined ? (
                <FieldError
                  id={`${formId}-path-error`}
                  message={pathError}
                  testId="disk-attach-path-error"
                />
              ) : (
                <p className="field-hint">An absolute path inside the container.</p>
              )}
            </div>
          ) : null}
          <QuotaPreviewPanel verdict={preview} />
          {attach.isError ? (
            <ErrorMessage
              error={attach.error}
              title={`${disk.key} was not attached`}
              testId="disk-attach-error"
              placedFields={serverFields}
            />
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose} disabled={attach.isPending}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button-primary"
              data-testid="disk-attach-confirm"
              disabled={attach.isPending || blocked || blocksConfirm(preview)}
            >
              {attach.isPending ? 'Attaching…' : 'Attach'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
