import type { ReactNode } from 'react';
import { FingerprintBlock } from './fingerprint-block';

/** Props of the changed-certificate warning. */
export interface CertificateMismatchProps {
  url: string;
  pinnedFingerprint: string;
  presentedFingerprint: string;
}

/** A refusal to connect because a node presented a different certificate from the pinned one. */
export function CertificateMismatch({
  url,
  pinnedFingerprint,
  presentedFingerprint,
}: CertificateMismatchProps): ReactNode {
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
    </div>
  );
}
