import { useState, type ReactNode } from 'react';
import { FingerprintBlock } from './fingerprint-block';
import { RepinDialog } from './repin-dialog';

const sha256Fingerprint = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** Props of the changed-certificate warning. */
export interface CertificateMismatchProps {
  url: string;
  pinnedFingerprint: string;
  presentedFingerprint: string;
  /** Called once the user replaced the pin; without it the warning offers no replacement. */
  onRepinned?: (url: string) => void;
}

/** A refusal to connect because a node presented a different certificate from the pinned one. */
export function CertificateMismatch({
  url,
  pinnedFingerprint,
  presentedFingerprint,
  onRepinned,
}: CertificateMismatchProps): ReactNode {
  const [confirming, setConfirming] = useState(false);
  // A replacement is offered only for two real fingerprints, the ones shown here.
  const canRepin =
    onRepinned !== undefined &&
    sha256Fingerprint.test(pinnedFingerprint) &&
    sha256Fingerprint.test(presentedFingerprint);

  return (
    <div className="message message-error mismatch" role="alert" data-testid="cert-mismatch">
      <p className="message-title">The certificate of {url} has changed</p>
      <p>
        This node presented a different certificate from the one you trusted before. That happens
        when a certificate is renewed, but it is also what an attacker between you and the cluster
        would cause. ProxDesk will not connect. Ask your lab admin whether the certificate was
        changed.
      </p>
      <div className="mismatch-prints">
        <div>
          <p className="mismatch-label">Trusted before</p>
          <FingerprintBlock fingerprint={pinnedFingerprint} testId="mismatch-pinned" />
        </div>
        <div>
          <p className="mismatch-label">Presented now</p>
          <FingerprintBlock fingerprint={presentedFingerprint} testId="mismatch-presented" />
        </div>
      </div>
      {canRepin ? (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            data-testid="repin-open"
            onClick={() => setConfirming(true)}
          >
            I replaced this certificate — trust the new one
          </button>
        </div>
      ) : null}
      {canRepin && confirming ? (
        <RepinDialog
          url={url}
          pinnedFingerprint={pinnedFingerprint}
          presentedFingerprint={presentedFingerprint}
          onRepinned={(repinnedUrl) => {
            setConfirming(false);
            onRepinned(repinnedUrl);
          }}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
