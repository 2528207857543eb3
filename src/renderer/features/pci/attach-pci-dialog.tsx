import { useState, type FormEvent, type ReactNode } from 'react';
import type { InstanceRef } from '../../../shared/contract';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { QuotaRefusal } from '../disks/quota-refusal';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { pciChoice, pciOptionText } from './pci-choice';
import { flagsToSend, PciFlagFields, type PciFlagValues } from './pci-flag-fields';
import { useAttachPci, useAvailablePci } from './use-pci';

// The input fields main and PVE name in a refusal, and the fields of this form that show them.
const serverFields = { device: 'device', pcie: 'pcie', xVga: 'xVga', rombar: 'rombar' } as const;

/** Picks a device the policy allows and attaches it; a refusal shows the itemised shortfall. */
export function AttachPciDialog({
  instance,
  onClose,
}: {
  instance: InstanceRef;
  onClose: () => void;
}): ReactNode {
  const available = useAvailablePci(instance.node);
  const attach = useAttachPci(instance);
  const [item, setItem] = useState('');
  const [flags, setFlags] = useState<PciFlagValues>({ pcie: false, xVga: false, rombar: true });
  const devices = available.data?.devices ?? [];
  const chosen = pciChoice(devices, item);
  // A mapping with no device on this node cannot be attached whatever the quota says, so it is
  // not priced: a preview that fits would read as if it could.
  const notOnNode = chosen?.unavailable?.reason === 'not-on-node';
  const fieldErrors = fieldErrorsFrom(attach.error, serverFields);
  const preview = useQuotaPreview(
    chosen && !notOnNode && !attach.isPending
      ? {
          kind: 'pci:attach',
          node: instance.node,
          type: instance.type,
          vmid: instance.vmid,
          device: chosen.kind === 'mapping' ? { mapping: chosen.id } : { host: chosen.id },
          ...flagsToSend(flags),
        }
      : null,
  );

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!chosen) return;
    const device = chosen.kind === 'mapping' ? { mapping: chosen.id } : { host: chosen.id };
    attach.mutate({ device, ...flagsToSend(flags) });
  };

  return (
    <Dialog
      title="Attach a PCI device"
      onClose={onClose}
      closable={!attach.isPending}
      testId="pci-attach-dialog"
    >
      {attach.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="pci-attached">
            Attached as {attach.data.key}. A running VM takes it at its next start.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          {available.isError ? (
            <ErrorMessage error={available.error} title="The devices could not be listed" />
          ) : available.isPending ? (
            <p className="muted">Reading the devices you may use…</p>
          ) : devices.length === 0 ? (
            <p className="empty" data-testid="pci-none-available">
              Your quota allows no PCI device on {instance.node}.
            </p>
          ) : (
            <div className="field">
              <label htmlFor="pci-device">Device</label>
              <select
                id="pci-device"
                className="input"
                data-testid="pci-device"
                value={chosen?.item ?? ''}
                disabled={attach.isPending}
                onChange={(event) => {
                  setItem(event.target.value);
                  if (attach.isError) attach.reset();
                }}
              >
                {devices.map((device) => (
                  <option
                    key={device.item}
                    value={device.item}
                    disabled={device.unavailable !== null}
                  >
                    {pciOptionText(device, instance.node)}
                  </option>
                ))}
              </select>
              {notOnNode ? (
                <p className="field-hint" data-testid="pci-unavailable-reason">
                  {chosen.unavailable?.message} Ask a lab admin to map a device of {instance.node}{' '}
                  to {chosen.id}
                  {devices.some((device) => device.unavailable === null)
                    ? ', or choose another device.'
                    : '.'}
                </p>
              ) : null}
              {chosen?.unavailable?.reason === 'usage-unknown' ? (
                <p className="field-hint" data-testid="pci-unavailable-reason">
                  {chosen.unavailable.message} Attaching waits until they can be read.
                </p>
              ) : null}
              {fieldErrors.device !== undefined ? (
                <FieldError message={fieldErrors.device} testId="pci-device-error" />
              ) : null}
            </div>
          )}
          {available.data?.hostDevicesReadable === false ? (
            <p className="muted small">
              You may not read this node&apos;s hardware, so only resource mappings are listed.
            </p>
          ) : null}
          <PciFlagFields
            values={flags}
            disabled={attach.isPending}
            onChange={setFlags}
            errors={fieldErrors}
          />
          <QuotaPreviewPanel verdict={preview} />
          {isApiError(attach.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={attach.error.message}
              shortfalls={attach.error.details?.shortfalls ?? []}
            />
          ) : attach.isError ? (
            <ErrorMessage
              error={attach.error}
              title="The device was not attached"
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
              data-testid="pci-attach-submit"
              disabled={
                attach.isPending || !chosen || chosen.unavailable !== null || blocksConfirm(preview)
              }
            >
              {attach.isPending ? 'Checking and attaching…' : 'Attach'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
