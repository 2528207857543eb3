import { useId, useState, type ReactNode } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { useTrustCa } from './cluster-mutations';

// The input field main names when it cannot use the certificate (not PEM, not a CA, expired).
const serverFields = { caPem: 'caPem' } as const;

/** Props of the root-CA path of the trust dialog. */
export interface TrustCaFormProps {
  url: string;
  onTrusted: (url: string) => void;
  onBack: () => void;
  /** Reports whether a request is running, so the dialog can stay open meanwhile. */
  onPendingChange: (pending: boolean) => void;
}

/**
 * Trusts the cluster's root CA instead of one node's certificate: every node certificate PVE
 * issues with it, including renewed ones, is then accepted for this address.
 */
export function TrustCaForm({
  url,
  onTrusted,
  onBack,
  onPendingChange,
}: TrustCaFormProps): ReactNode {
  const textId = useId();
  const hintId = useId();
  const [caPem, setCaPem] = useState('');
  const trustCa = useTrustCa();
  const pemError = fieldErrorsFrom(trustCa.error, serverFields).caPem;

  const submit = (): void => {
    onPendingChange(true);
    trustCa.mutate(
      { url, caPem },
      {
        onSuccess: (trusted) => onTrusted(trusted.url),
        onSettled: () => onPendingChange(false),
      },
    );
  };

  return (
    <div data-testid="trust-ca-form">
      <p>
        Every PVE cluster has its own root CA, which signs each node&apos;s default certificate.
        Trusting it means ProxDesk also accepts this node&apos;s certificate after it is renewed.
      </p>
      <div className="field">
        <label htmlFor={textId}>Root CA certificate (PEM)</label>
        <textarea
          id={textId}
          className="input ca-pem"
          spellCheck={false}
          value={caPem}
          placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
          aria-describedby={pemError === undefined ? hintId : `${hintId}-error ${hintId}`}
          aria-invalid={pemError !== undefined}
          disabled={trustCa.isPending}
          data-testid="trust-ca-pem"
          onChange={(event) => {
            setCaPem(event.target.value);
            if (trustCa.isError) trustCa.reset();
          }}
        />
        {pemError !== undefined ? (
          <FieldError id={`${hintId}-error`} message={pemError} testId="trust-ca-pem-error" />
        ) : null}
        <p className="field-hint" id={hintId}>
          In the PVE web UI: <strong>Datacenter → your node → System → Certificates</strong>, the
          entry <strong>pve-root-ca.pem</strong> (View Certificate). On a node it is the file{' '}
          <code>/etc/pve/pve-root-ca.pem</code>. Get it from your lab admin or the web UI, never
          from the connection you are checking.
        </p>
      </div>
      {trustCa.isError ? (
        <ErrorMessage
          error={trustCa.error}
          title="Nothing was trusted"
          testId="trust-ca-error"
          placedFields={serverFields}
        />
      ) : null}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          onClick={onBack}
          disabled={trustCa.isPending}
          data-testid="trust-ca-back"
        >
          Back
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="trust-ca-button"
          disabled={trustCa.isPending || caPem.trim() === ''}
          onClick={submit}
        >
          {trustCa.isPending ? 'Checking…' : 'Trust this root CA and continue'}
        </button>
      </div>
    </div>
  );
}
