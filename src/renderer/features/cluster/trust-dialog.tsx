import { useRef, useState, type ReactNode } from 'react';
import type { CertificateInfo } from '../../../shared/contract';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useTrustCertificate } from './cluster-mutations';
import { FingerprintBlock } from './fingerprint-block';
import { TrustCaForm } from './trust-ca-form';
import { formatCertificateDate, isCurrentlyValid } from './fingerprint';

/** Props of the first-use trust dialog. */
export interface TrustDialogProps {
  certificate: CertificateInfo;
  onTrusted: (url: string) => void;
  onCancel: () => void;
}

/** Shows a certificate ProxDesk has not seen and asks the user to compare it before trusting. */
export function TrustDialog({ certificate, onTrusted, onCancel }: TrustDialogProps): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const trust = useTrustCertificate();
  const [openedAt] = useState(() => Date.now());
  const [viaCa, setViaCa] = useState(false);
  const [caPending, setCaPending] = useState(false);
  const valid = isCurrentlyValid(certificate.validFrom, certificate.validTo, openedAt);
  const host = new URL(certificate.url).host;

  return (
    <Dialog
      title="Check this certificate before you trust it"
      onClose={onCancel}
      closable={!trust.isPending && !caPending}
      initialFocusRef={cancelRef}
      testId="trust-dialog"
    >
      {viaCa ? (
        <TrustCaForm
          url={certificate.url}
          onTrusted={onTrusted}
          onBack={() => setViaCa(false)}
          onPendingChange={setCaPending}
        />
      ) : (
        <>
          <p className="dialog-lead">
            ProxDesk has not connected to <strong>{host}</strong> before. PVE nodes usually use a
            certificate that no public authority signed, so ProxDesk cannot tell on its own whether
            this is really your cluster.
          </p>
          <p>
            Compare this SHA-256 fingerprint with the one the PVE web UI shows under{' '}
            <strong>Datacenter → your node → System → Certificates</strong>. Trust it only if every
            character matches.
          </p>

          <FingerprintBlock fingerprint={certificate.fingerprint} testId="trust-fingerprint" />

          <dl className="cert-details">
            <div>
              <dt>Subject</dt>
              <dd>{certificate.subject}</dd>
            </div>
            <div>
              <dt>Issuer</dt>
              <dd>{certificate.issuer}</dd>
            </div>
            <div>
              <dt>Valid from</dt>
              <dd>{formatCertificateDate(certificate.validFrom)}</dd>
            </div>
            <div>
              <dt>Valid until</dt>
              <dd>{formatCertificateDate(certificate.validTo)}</dd>
            </div>
          </dl>

          {valid === false ? (
            <div className="message message-warning" role="alert">
              This certificate is outside its validity period. Ask your lab admin before trusting
              it.
            </div>
          ) : null}
          {trust.isError ? (
            <ErrorMessage error={trust.error} title="Nothing was trusted" testId="trust-error" />
          ) : null}

          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              ref={cancelRef}
              onClick={onCancel}
              disabled={trust.isPending}
              data-testid="trust-cancel"
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="trust-button"
              disabled={trust.isPending}
              onClick={() =>
                trust.mutate(
                  { url: certificate.url, fingerprint: certificate.fingerprint },
                  { onSuccess: (pinned) => onTrusted(pinned.url) },
                )
              }
            >
              {trust.isPending ? 'Trusting…' : 'Trust and continue'}
            </button>
          </div>
          <p>
            <button
              type="button"
              className="link-button"
              disabled={trust.isPending}
              data-testid="trust-ca-open"
              onClick={() => setViaCa(true)}
            >
              Trust the cluster&apos;s root CA instead
            </button>
          </p>
        </>
      )}
    </Dialog>
  );
}
