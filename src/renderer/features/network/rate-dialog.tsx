import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useRef, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { InstanceDetail, NetworkInterface } from '../../../shared/contract';
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
import { rateFieldText, rateFormSchema, type RateFormValues } from './network-form-schema';
import { rateText } from './network-labels';
import { useModifyNetworkRate } from './use-network-mutations';

/** Props of the change-rate dialog. */
export interface RateDialogProps {
  detail: InstanceDetail;
  network: NetworkInterface;
  onClose: () => void;
}

// The input field main names in a refusal, and the form field that shows it.
const serverFields = { rateMBps: 'rateMBps' } as const;

/** Changes one interface's rate limit; lowering it always passes, raising it is priced first. */
export function RateDialog({ detail, network, onClose }: RateDialogProps): ReactNode {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement | null>(null);
  const modify = useModifyNetworkRate(detail);
  const form = useForm<RateFormValues, unknown, { rateMBps: number | null }>({
    resolver: zodResolver(rateFormSchema),
    defaultValues: { rateMBps: rateFieldText(network.rateBytesPerSecond) },
    mode: 'onChange',
  });
  useServerFieldErrors(form.setError, modify.error, serverFields);
  const submit = form.handleSubmit(({ rateMBps }) => modify.mutate({ key: network.key, rateMBps }));
  const error = form.formState.errors.rateMBps?.message;
  const watched = rateFormSchema.safeParse(useWatch({ control: form.control }));
  const preview = useQuotaPreview(
    watched.success && !modify.isPending
      ? {
          kind: 'net:modify',
          node: detail.node,
          type: detail.type,
          vmid: detail.vmid,
          key: network.key,
          rateMBps: watched.data.rateMBps,
        }
      : null,
  );
  const { ref, ...field } = form.register('rateMBps', {
    onChange: () => {
      if (modify.isError) modify.reset();
    },
  });

  return (
    <Dialog
      title={`Rate of ${network.key}`}
      onClose={onClose}
      closable={!modify.isPending}
      initialFocusRef={inputRef}
      testId="network-rate-dialog"
    >
      {modify.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="network-rate-saved">
            {modify.data.changed
              ? `Saved: ${network.key} is now ${rateText(modify.data.network)}.`
              : 'Nothing needed to change.'}
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
          aria-busy={modify.isPending}
        >
          <p className="dialog-lead">Now: {rateText(network)}.</p>
          <div className="field">
            <label htmlFor={inputId}>Rate limit (MB/s)</label>
            <input
              {...field}
              ref={(element) => {
                ref(element);
                inputRef.current = element;
              }}
              id={inputId}
              className="input input-number"
              inputMode="decimal"
              data-testid="network-rate-input"
              aria-invalid={error !== undefined}
              aria-describedby={error !== undefined ? `${inputId}-error` : undefined}
              disabled={modify.isPending}
            />
            {error !== undefined ? (
              <FieldError
                id={`${inputId}-error`}
                message={error}
                testId="network-rate-input-error"
              />
            ) : (
              <p className="field-hint">
                Empty removes the limit; your quota then counts the interface at its unlimited cost.
              </p>
            )}
          </div>

          <QuotaPreviewPanel verdict={preview} />
          {isApiError(modify.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={modify.error.message}
              shortfalls={modify.error.details?.shortfalls ?? []}
            />
          ) : modify.isError ? (
            <ErrorMessage
              error={modify.error}
              title="The rate was not changed"
              testId="network-rate-error"
              placedFields={serverFields}
            />
          ) : null}

          <DialogActions
            busy={modify.isPending}
            blocked={blocksConfirm(preview)}
            onCancel={onClose}
            confirmLabel="Save"
            busyLabel="Checking and saving…"
            confirmTestId="network-rate-submit"
          />
        </form>
      )}
    </Dialog>
  );
}
