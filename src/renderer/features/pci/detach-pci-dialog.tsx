import { useRef, type ReactNode } from 'react';
import type { InstanceRef } from '../../../shared/contract';
import type { PciAttached } from '../../../shared/pci-schemas';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { pciDeviceText } from './pci-labels';
import { useDetachPci } from './use-pci';

/** Asks before detaching a device, which gives its count back to the quota. */
export function DetachPciDialog({
  instance,
  device,
  onClose,
}: {
  instance: InstanceRef;
  device: PciAttached;
  onClose: () => void;
}): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const detach = useDetachPci(instance);

  return (
    <Dialog
      title={`Detach ${device.key}?`}
      onClose={onClose}
      closable={!detach.isPending}
      tone="danger"
      initialFocusRef={cancelRef}
      testId="pci-detach-dialog"
    >
      {detach.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="pci-detached">
            Detached {detach.data.key}.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="dialog-lead">{pciDeviceText(device)} is removed from the configuration.</p>
          {detach.isError ? (
            <ErrorMessage error={detach.error} title="The device was not detached" />
          ) : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              ref={cancelRef}
              onClick={onClose}
              disabled={detach.isPending}
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="pci-detach-confirm"
              disabled={detach.isPending}
              onClick={() => detach.mutate(device.key)}
            >
              {detach.isPending ? 'Detaching…' : 'Detach'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
