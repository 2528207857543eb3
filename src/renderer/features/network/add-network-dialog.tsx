import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useRef, useState, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { InstanceDetail } from '../../../shared/contract';
import { lxcIpModes, nicModels } from '../../../shared/network-schemas';
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
import {
  addNetworkFormSchema,
  createRequest,
  initialAddValues,
  type AddNetworkFormOutput,
  type AddNetworkFormValues,
} from './network-form-schema';
import { rateText } from './network-labels';
import { useCreateNetwork } from './use-network-mutations';

/** Props of the add-interface dialog. */
export interface AddNetworkDialogProps {
  detail: InstanceDetail;
  onClose: () => void;
}

type TextField = 'name' | 'bridge' | 'vlanTag' | 'rateMBps';

const hints: Record<TextField, string> = {
  name: 'The interface name inside the container.',
  bridge: 'The bridge on the node, e.g. vmbr0.',
  vlanTag: 'Optional, 1 to 4094.',
  rateMBps: 'Optional. Empty means no limit, which your quota counts at its unlimited cost.',
};

// The input fields main and PVE name in a refusal, and the form fields that show them.
const serverFields = {
  name: 'name',
  bridge: 'bridge',
  vlanTag: 'vlanTag',
  rateMBps: 'rateMBps',
} as const;

/** Adds a network interface in the first free slot; the quota is checked before anything is sent. */
export function AddNetworkDialog({ detail, onClose }: AddNetworkDialogProps): ReactNode {
  const formId = useId();
  const firstRef = useRef<HTMLElement | null>(null);
  const create = useCreateNetwork(detail);
  const [nameError, setNameError] = useState<string | null>(null);
  const form = useForm<AddNetworkFormValues, unknown, AddNetworkFormOutput>({
    resolver: zodResolver(addNetworkFormSchema),
    defaultValues: initialAddValues(detail.networks),
    mode: 'onChange',
  });
  const vm = detail.type === 'qemu';
  const watched = addNetworkFormSchema.safeParse(useWatch({ control: form.control }));
  const wanted = watched.success ? createRequest(detail, watched.data) : null;
  const preview = useQuotaPreview(
    wanted !== null && !('nameError' in wanted) && !create.isPending
      ? { kind: 'net:create', ...wanted }
      : null,
  );
  useServerFieldErrors(form.setError, create.error, serverFields);

  const submit = form.handleSubmit((values) => {
    const request = createRequest(detail, values);
    if ('nameError' in request) {
      setNameError(request.nameError);
      return;
    }
    setNameError(null);
    create.mutate(request);
  });
  const onEdit = (): void => {
    if (create.isError) create.reset();
  };

  function textField(name: TextField, label: string, testId: string): ReactNode {
    const error =
      name === 'name'
        ? (nameError ?? form.formState.errors.name?.message)
        : form.formState.errors[name]?.message;
    const inputId = `${formId}-${name}`;
    const { ref, ...rest } = form.register(name, {
      onChange: () => {
        if (name === 'name') setNameError(null);
        onEdit();
      },
    });
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          {...rest}
          ref={(element) => {
            ref(element);
            if (name === 'name') firstRef.current = element;
          }}
          id={inputId}
          className={name === 'vlanTag' || name === 'rateMBps' ? 'input input-number' : 'input'}
          inputMode={name === 'vlanTag' ? 'numeric' : name === 'rateMBps' ? 'decimal' : undefined}
          data-testid={testId}
          aria-invalid={error !== undefined}
          aria-describedby={error !== undefined ? `${inputId}-error` : undefined}
          disabled={create.isPending}
        />
        {error !== undefined ? (
          <FieldError id={`${inputId}-error`} message={error} testId={`${testId}-error`} />
        ) : (
          <p className="field-hint">{hints[name]}</p>
        )}
      </div>
    );
  }

  const modelField = form.register('model', { onChange: onEdit });
  const ipField = form.register('ip', { onChange: onEdit });

  return (
    <Dialog
      title={`Add a network interface to ${detail.name || `guest ${detail.vmid}`}`}
      onClose={onClose}
      closable={!create.isPending}
      initialFocusRef={firstRef}
      testId="network-add-dialog"
    >
      {create.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="network-added">
            Added {create.data.key} ({rateText(create.data.network)}).
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
          {vm ? (
            <div className="field">
              <label htmlFor={`${formId}-model`}>Model</label>
              <select
                {...modelField}
                ref={(element) => {
                  modelField.ref(element);
                  firstRef.current = element;
                }}
                id={`${formId}-model`}
                className="input"
                data-testid="network-model"
                disabled={create.isPending}
              >
                {nicModels.map((model) => (
                  <option key={model} value={model}>
                    {model}
                  </option>
                ))}
              </select>
              <p className="field-hint">
                virtio is fastest; e1000 suits guests without its driver.
              </p>
            </div>
          ) : (
            <>
              {textField('name', 'Name', 'network-name')}
              <div className="field">
                <label htmlFor={`${formId}-ip`}>IPv4</label>
                <select
                  {...ipField}
                  id={`${formId}-ip`}
                  className="input"
                  data-testid="network-ip"
                  disabled={create.isPending}
                >
                  {lxcIpModes.map((mode) => (
                    <option key={mode} value={mode}>
                      {mode === 'dhcp' ? 'DHCP' : 'Set inside the container'}
                    </option>
                  ))}
                </select>
              </div>
            </>
          )}
          {textField('bridge', 'Bridge', 'network-bridge')}
          {textField('vlanTag', 'VLAN tag', 'network-vlan')}
          {textField('rateMBps', 'Rate limit (MB/s)', 'network-rate')}

          <QuotaPreviewPanel verdict={preview} />
          {isApiError(create.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={create.error.message}
              shortfalls={create.error.details?.shortfalls ?? []}
            />
          ) : create.isError ? (
            <ErrorMessage
              error={create.error}
              title="The interface was not added"
              testId="network-error"
              placedFields={serverFields}
            />
          ) : null}

          <DialogActions
            busy={create.isPending}
            blocked={blocksConfirm(preview)}
            onCancel={onClose}
            confirmLabel="Add"
            busyLabel="Checking and adding…"
            confirmTestId="network-add-submit"
          />
        </form>
      )}
    </Dialog>
  );
}
