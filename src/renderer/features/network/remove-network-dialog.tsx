import { useRef, type ReactNode } from 'react';
import type { InstanceDetail, NetworkInterface } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useDeleteNetwork } from './use-network-mutations';

/** Props of the remove-interface confirmation. */
export interface RemoveNetworkDialogProps {
  detail: InstanceDetail;
  network: NetworkInterface;
  onClose: () => void;
}

/** Asks before removing an interface; a running guest loses that connection at once. */
export function RemoveNetworkDialog({
  detail,
  network,
  onClose,
}: RemoveNetworkDialogProps): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const remove = useDeleteNetwork(detail);

  return (
    <Dialog
      title={`Remove ${network.key}?`}
      onClose={onClose}
      closable={!remove.isPending}
      tone="danger"
      initialFocusRef={cancelRef}
      testId="network-remove-dialog"
    >
      {remove.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="network-removed">
            Removed {remove.data.key}.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="dialog-lead">
            {network.key}
            {network.mac !== null ? ` (${network.mac})` : ''} is removed from the configuration; a
            running guest loses this connection. Its MAC address is not kept.
          </p>
          {remove.isError ? (
            <ErrorMessage
              error={remove.error}
              title="The interface was not removed"
              testId="network-remove-error"
            />
          ) : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              ref={cancelRef}
              onClick={onClose}
              disabled={remove.isPending}
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="network-remove-confirm"
              disabled={remove.isPending}
              onClick={() => remove.mutate(network.key)}
            >
              {remove.isPending ? 'Removing…' : 'Remove'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
