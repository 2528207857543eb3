import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useRef, useState, type ReactNode } from 'react';
import { useForm, useWatch, type FieldPath } from 'react-hook-form';
import type { InstanceDetail } from '../../../shared/contract';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { DialogActions } from '../../components/dialog-actions';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { useServerFieldErrors } from '../../components/server-field-errors';
import { QuotaRefusal } from '../disks/quota-refusal';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { CpuModelField } from './cpu-model-field';
import {
  changedResourceValues,
  initialResourceValues,
  resourcesFormSchema,
  type ResourcesFormValues,
} from './resources-form-schema';
import { useChangeResources } from './use-change-resources';

/** Props of the resource editor. */
export interface ResourcesDialogProps {
  detail: InstanceDetail;
  onClose: () => void;
}

interface FieldSpec {
  name: Exclude<FieldPath<ResourcesFormValues>, 'cpuType'>;
  label: string;
  hint: string;
}

function fieldsOf(type: 'qemu' | 'lxc'): FieldSpec[] {
  const cores: FieldSpec = {
    name: 'cores',
    label: 'Cores',
    hint: type === 'qemu' ? 'Per socket.' : 'The container may use this many host cores.',
  };
  const memory: FieldSpec = {
    name: 'memoryMiB',
    label: 'Memory (MiB)',
    hint: '1 GiB is 1024 MiB.',
  };
  if (type === 'qemu') {
    return [
      cores,
      { name: 'sockets', label: 'Sockets', hint: 'vCPUs are cores × sockets.' },
      memory,
    ];
  }
  return [cores, memory, { name: 'swapMiB', label: 'Swap (MiB)', hint: '0 turns swap off.' }];
}

const testIds: Record<FieldSpec['name'], string> = {
  cores: 'resources-cores',
  sockets: 'resources-sockets',
  memoryMiB: 'resources-memory',
  swapMiB: 'resources-swap',
};

// The input fields main and PVE name in a refusal, and the form fields that show them.
const serverFields = {
  cores: 'cores',
  sockets: 'sockets',
  memoryMiB: 'memoryMiB',
  swapMiB: 'swapMiB',
  cpuType: 'cpuType',
} as const;

/**
 * Edits a guest's cores, sockets, memory and swap, and a VM's CPU model; the quota is checked
 * before anything is sent.
 */
export function ResourcesDialog({ detail, onClose }: ResourcesDialogProps): ReactNode {
  const formId = useId();
  const firstRef = useRef<HTMLInputElement | null>(null);
  const change = useChangeResources(detail);
  const [initial] = useState(() => initialResourceValues(detail));
  const [nothingChanged, setNothingChanged] = useState(false);
  const form = useForm<ResourcesFormValues>({
    resolver: zodResolver(resourcesFormSchema),
    defaultValues: initial,
    mode: 'onChange',
  });
  useServerFieldErrors(form.setError, change.error, serverFields);
  const watched = resourcesFormSchema.safeParse(useWatch({ control: form.control }));
  const wanted = watched.success ? changedResourceValues(initial, watched.data) : {};
  const preview = useQuotaPreview(
    Object.keys(wanted).length > 0 && !change.isPending
      ? {
          kind: 'instance:resources',
          node: detail.node,
          type: detail.type,
          vmid: detail.vmid,
          ...wanted,
        }
      : null,
  );

  const edited = (): void => {
    setNothingChanged(false);
    if (change.isError) change.reset();
  };

  const submit = form.handleSubmit((values) => {
    const changed = changedResourceValues(initial, values);
    setNothingChanged(Object.keys(changed).length === 0);
    if (Object.keys(changed).length > 0) change.mutate(changed);
  });

  return (
    <Dialog
      title={`Resources of ${detail.name || `guest ${detail.vmid}`}`}
      onClose={onClose}
      closable={!change.isPending}
      initialFocusRef={firstRef}
      testId="resources-dialog"
    >
      {change.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="resources-saved">
            {change.data.changed ? 'Saved.' : 'Nothing needed to change.'}
            {detail.status === 'running' && detail.type === 'qemu'
              ? ' A running VM may only use some changes after its next reboot.'
              : ''}
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
          aria-busy={change.isPending}
        >
          {fieldsOf(detail.type).map((field, index) => {
            const error = form.formState.errors[field.name]?.message;
            const { ref, ...rest } = form.register(field.name, {
              valueAsNumber: true,
              onChange: edited,
            });
            const inputId = `${formId}-${field.name}`;
            return (
              <div className="field" key={field.name}>
                <label htmlFor={inputId}>{field.label}</label>
                <input
                  {...rest}
                  ref={(element) => {
                    ref(element);
                    if (index === 0) firstRef.current = element;
                  }}
                  id={inputId}
                  type="number"
                  inputMode="numeric"
                  step={1}
                  className="input input-number"
                  data-testid={testIds[field.name]}
                  aria-invalid={error !== undefined}
                  aria-describedby={error !== undefined ? `${inputId}-error` : undefined}
                  disabled={change.isPending}
                />
                {error !== undefined ? (
                  <FieldError
                    id={`${inputId}-error`}
                    message={error}
                    testId={`${testIds[field.name]}-error`}
                  />
                ) : (
                  <p className="field-hint">{field.hint}</p>
                )}
              </div>
            );
          })}
          {detail.type === 'qemu' ? (
            <CpuModelField
              form={form}
              current={detail.cpuType}
              node={detail.node}
              disabled={change.isPending}
              onChange={edited}
            />
          ) : null}

          <QuotaPreviewPanel verdict={preview} />
          {nothingChanged ? (
            <p className="field-hint" data-testid="resources-unchanged">
              Nothing was changed.
            </p>
          ) : null}
          {isApiError(change.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={change.error.message}
              shortfalls={change.error.details?.shortfalls ?? []}
            />
          ) : change.isError ? (
            <ErrorMessage
              error={change.error}
              title="The change failed"
              testId="resources-error"
              placedFields={serverFields}
            />
          ) : null}

          <DialogActions
            busy={change.isPending}
            blocked={blocksConfirm(preview)}
            onCancel={onClose}
            confirmLabel="Save"
            busyLabel="Checking and saving…"
            confirmTestId="resources-submit"
          />
        </form>
      )}
    </Dialog>
  );
}
