import { useRef, type ReactNode } from 'react';
import type { CertificateInfo } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useAddNode } from './cluster-mutations';
import { FingerprintBlock } from './fingerprint-block';

/** Props of the confirmation before a discovered node is pinned and added. */
export interface AddNodeDialogProps {
  profileId: string;
  name: string;
  certificate: CertificateInfo;
  onAdded: () => void;
  onCancel: () => void;
}

/**
 * Shows the certificate a discovered node presents and pins it only once the user confirms that
 * it matches the one the node's web UI shows. Cancel has the focus.
 */
export function AddNodeDialog({
  profileId,
  name,
  certificate,
  onAdded,
  onCancel,
}: AddNodeDialogProps): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const add = useAddNode();
  const host = new URL(certificate.url).host;

  return (
    <Dialog
      title={`Check the certificate of ${name}`}
      onClose={onCancel}
      closable={!add.isPending}
      initialFocusRef={cancelRef}
      testId="add-node-dialog"
    >
      <p className="dialog-lead">
        PVE lists <strong>{name}</strong> at <strong>{host}</strong>. ProxDesk will use it when the
        node in use stops answering, but only with the certificate you confirm here.
      </p>
      <p>
        Compare this SHA-256 fingerprint with the one the PVE web UI shows under{' '}
        <strong>Datacenter → {name} → System → Certificates</strong>.
      </p>
      <FingerprintBlock fingerprint={certificate.fingerprint} testId="add-node-fingerprint" />
      {add.isError ? (
        <ErrorMessage error={add.error} title="Nothing was added" testId="add-node-error" />
      ) : null}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          ref={cancelRef}
          onClick={onCancel}
          disabled={add.isPending}
          data-testid="add-node-cancel"
        >
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="add-node-confirm"
          disabled={add.isPending}
          onClick={() =>
            add.mutate(
              { profileId, url: certificate.url, name, fingerprint: certificate.fingerprint },
              { onSuccess: onAdded },
            )
          }
        >
          {add.isPending ? 'Adding…' : 'The fingerprints match — add this node'}
        </button>
      </div>
    </Dialog>
  );
}
