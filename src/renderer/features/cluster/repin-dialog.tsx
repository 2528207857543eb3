import { useRef, type ReactNode } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useRepinCertificate } from './cluster-mutations';
import { FingerprintBlock } from './fingerprint-block';

/** Props of the replace-the-pin confirmation. */
export interface RepinDialogProps {
  url: string;
  pinnedFingerprint: string;
  presentedFingerprint: string;
  onRepinned: (url: string) => void;
  onCancel: () => void;
}

/**
 * The second confirmation before ProxDesk trusts a node's new certificate in place of the old
 * one. Cancel has the focus: replacing a pin is what an attacker would want the user to click.
 */
export function RepinDialog({
  url,
  pinnedFingerprint,
  presentedFingerprint,
  onRepinned,
  onCancel,
}: RepinDialogProps): ReactNode {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const repin = useRepinCertificate();
  const host = new URL(url).host;

  return (
    <Dialog
      title="Trust the new certificate?"
      onClose={onCancel}
      closable={!repin.isPending}
      initialFocusRef={cancelRef}
      tone="danger"
      testId="repin-dialog"
    >
      <p className="dialog-lead">
        Do this only if you know the certificate of <strong>{host}</strong> was replaced. First open
        the PVE web UI of this node, go to{' '}
        <strong>Datacenter → your node → System → Certificates</strong>, and check that its
        fingerprint matches the new one below, character for character.
      </p>
      <div className="mismatch-prints">
        <div>
          <p className="mismatch-label">Trusted until now (will be forgotten)</p>
          <FingerprintBlock fingerprint={pinnedFingerprint} testId="repin-old" />
        </div>
        <div>
          <p className="mismatch-label">New certificate (will be trusted)</p>
          <FingerprintBlock fingerprint={presentedFingerprint} testId="repin-new" />
        </div>
      </div>
      <p>If you are signed in to this cluster, you will be signed out.</p>
      {repin.isError ? (
        <ErrorMessage error={repin.error} title="Nothing was replaced" testId="repin-error" />
      ) : null}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          ref={cancelRef}
          onClick={onCancel}
          disabled={repin.isPending}
          data-testid="repin-cancel"
        >
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="repin-confirm"
          disabled={repin.isPending}
          onClick={() =>
            repin.mutate(
              { url, pinnedFingerprint, presentedFingerprint },
              { onSuccess: (pinned) => onRepinned(pinned.url) },
            )
          }
        >
          {repin.isPending ? 'Trusting…' : 'The fingerprints match — trust the new one'}
        </button>
      </div>
    </Dialog>
  );
}
