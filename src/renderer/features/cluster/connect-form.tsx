import { zodResolver } from '@hookform/resolvers/zod';
import { useId, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { isApiError } from '../../api';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { Spinner } from '../../components/spinner';
import { CertificateMismatch } from './certificate-mismatch';
import { useProbeCluster } from './cluster-mutations';
import { connectFormSchema } from './connect-form-schema';
import { TrustDialog } from './trust-dialog';

/** Props of the connect form. */
export interface ConnectFormProps {
  defaultUrl: string;
  /** Called with the cluster's address once its certificate is trusted. */
  onConnected: (url: string) => void;
}

/** Asks for a cluster address, checks its certificate and, on first use, asks to trust it. */
export function ConnectForm({ defaultUrl, onConnected }: ConnectFormProps): ReactNode {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const probe = useProbeCluster();
  const form = useForm({
    resolver: zodResolver(connectFormSchema),
    defaultValues: { url: defaultUrl },
  });
  const fieldError = form.formState.errors.url?.message;

  const submit = form.handleSubmit(({ url }) => {
    probe.mutate(url, {
      onSuccess: (certificate) => {
        if (certificate.trust === 'trusted' || certificate.trust === 'trusted-ca')
          onConnected(certificate.url);
      },
      onError: (error) => {
        const reason = isApiError(error, 'INVALID_INPUT') ? error.details?.fields?.url : undefined;
        if (reason !== undefined) form.setError('url', { message: reason }, { shouldFocus: true });
      },
    });
  });

  const certificate = probe.data;
  const mismatchError = isApiError(probe.error, 'CERT_MISMATCH') ? probe.error : null;
  const fieldLevelError =
    isApiError(probe.error, 'INVALID_INPUT') && probe.error.details?.fields?.url !== undefined;

  return (
    <>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor={inputId}>Cluster address</label>
          <input
            {...form.register('url', {
              // Warnings are about the address that was checked, not the one being typed.
              onChange: () => {
                if (probe.isError || probe.data?.trust === 'mismatch') probe.reset();
              },
            })}
            id={inputId}
            className="input"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder="https://pve1.example.org:8006"
            autoFocus
            data-testid="connect-url"
            aria-invalid={fieldError !== undefined}
            aria-describedby={fieldError !== undefined ? errorId : hintId}
            disabled={probe.isPending}
          />
          {fieldError !== undefined ? (
            <FieldError id={errorId} message={fieldError} testId="connect-url-error" />
          ) : (
            <p className="field-hint" id={hintId}>
              Any node of the cluster will do; port 8006 is PVE&apos;s default.
            </p>
          )}
        </div>

        {probe.isError && mismatchError === null && !fieldLevelError ? (
          <ErrorMessage error={probe.error} title="Could not connect" testId="connect-error" />
        ) : null}
        {mismatchError !== null ? (
          <CertificateMismatch
            url={probe.variables ?? ''}
            pinnedFingerprint={mismatchError.details?.pinnedFingerprint ?? 'unknown'}
            presentedFingerprint={mismatchError.details?.presentedFingerprint ?? 'unknown'}
            onRepinned={onConnected}
          />
        ) : null}
        {certificate?.trust === 'mismatch' && certificate.pinnedFingerprint !== null ? (
          <CertificateMismatch
            url={certificate.url}
            pinnedFingerprint={certificate.pinnedFingerprint}
            presentedFingerprint={certificate.fingerprint}
            onRepinned={onConnected}
          />
        ) : null}
        {certificate?.trust === 'mismatch' && certificate.pinnedFingerprint === null ? (
          <div className="message message-error" role="alert" data-testid="ca-mismatch">
            <p className="message-title">{certificate.url} is not vouched for by its root CA</p>
            <p>
              You trusted this cluster&apos;s root CA for this address, but the certificate the node
              presents was not issued by it for this address (issuer: {certificate.issuer}).
              ProxDesk will not connect. Ask your lab admin whether the cluster&apos;s CA changed.
            </p>
          </div>
        ) : null}

        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary button-wide"
            data-testid="connect-button"
            disabled={probe.isPending}
          >
            {probe.isPending ? (
              <>
                <Spinner /> Connecting…
              </>
            ) : (
              'Connect'
            )}
          </button>
        </div>
      </form>

      {certificate?.trust === 'new' ? (
        <TrustDialog
          certificate={certificate}
          onTrusted={onConnected}
          onCancel={() => probe.reset()}
        />
      ) : null}
    </>
  );
}
