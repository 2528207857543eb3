import { useRef, type ReactNode } from 'react';
import { Dialog } from '../../components/dialog';

/** Props of the stop confirmation. */
export interface StopConfirmDialogProps {
  guestLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before a hard stop, which is like pulling the power plug. */
export function StopConfirmDialog({
  guestLabel,
  onConfirm,
  onCancel,
}: StopConfirmDialogProps): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={`Stop ${guestLabel}?`}
      onClose={onCancel}
      tone="danger"
      initialFocusRef={cancelRef}
      testId="power-stop-confirm"
    >
      <p className="dialog-lead">
        Stopping ends every process at once, like pulling the power plug; unsaved data in the guest
        is lost. Shut down asks the guest to power off cleanly instead.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" ref={cancelRef} onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={onConfirm}
          data-testid="power-stop-confirm-button"
        >
          Stop now
        </button>
      </div>
    </Dialog>
  );
}
