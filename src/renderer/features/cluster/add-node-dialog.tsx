import { useRef, type ReactNode } from 'react';
import type { CertificateInfo } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { useAddNode } from './cluster-mutations';
import { FingerprintBlock } from './fingerprint-block';

// The input fields main may name in a refusal; each shows under what the dialog says of it.
const serverFields = { url: 'url', name: 'name', fingerprint: 'fingerprint' } as const;

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
  const fieldErrors = fieldErrorsFrom(add.error, serverFields);
  const nodeError = [fieldErrors.url, fieldErrors.name].filter((why) => why !== undefined);

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
      {nodeError.length > 0 ? (
        <FieldError message={nodeError.join('; ')} testId="add-node-address-error" />
      ) : null}
      <p>
        Compare this SHA-256 fingerprint with the one the PVE web UI shows under{' '}
        <strong>Datacenter → {name} → System → Certificates</strong>.
      </p>
      <FingerprintBlock fingerprint={certificate.fingerprint} testId="add-node-fingerprint" />
      {fieldErrors.fingerprint !== undefined ? (
        <FieldError message={fieldErrors.fingerprint} testId="add-node-fingerprint-error" />
      ) : null}
      {add.isError ? (
        <ErrorMessage
          error={add.error}
          title="Nothing was added"
          testId="add-node-error"
          placedFields={serverFields}
        />
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
