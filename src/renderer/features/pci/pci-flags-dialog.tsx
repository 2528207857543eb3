import { useState, type ReactNode } from 'react';
import type { InstanceRef } from '../../../shared/contract';
import type { PciAttached } from '../../../shared/pci-schemas';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { PciFlagFields, type PciFlagValues } from './pci-flag-fields';
import { useModifyPci } from './use-pci';

// The input fields main and PVE name in a refusal, and the flags of this form that show them.
const serverFields = { pcie: 'pcie', xVga: 'xVga', rombar: 'rombar' } as const;

/** Changes the flags of an attached device; the device itself stays as it is. */
export function PciFlagsDialog({
  instance,
  device,
  onClose,
}: {
  instance: InstanceRef;
  device: PciAttached;
  onClose: () => void;
}): ReactNode {
  const modify = useModifyPci(instance);
  const [flags, setFlags] = useState<PciFlagValues>({
    pcie: device.pcie,
    xVga: device.xVga,
    rombar: device.rombar ?? true,
  });

  return (
    <Dialog
      title={`Options of ${device.key}`}
      onClose={onClose}
      closable={!modify.isPending}
      testId="pci-flags-dialog"
    >
      {modify.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="pci-flags-saved">
            {modify.data.changed ? `Changed ${device.key}.` : 'Nothing needed to change.'}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <PciFlagFields
            values={flags}
            disabled={modify.isPending}
            onChange={setFlags}
            errors={fieldErrorsFrom(modify.error, serverFields)}
          />
          {modify.isError ? (
            <ErrorMessage
              error={modify.error}
              title="The options were not changed"
              placedFields={serverFields}
            />
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose} disabled={modify.isPending}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="pci-flags-submit"
              disabled={modify.isPending}
              onClick={() => modify.mutate({ key: device.key, ...flags })}
            >
              {modify.isPending ? 'Saving…' : 'Save'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
