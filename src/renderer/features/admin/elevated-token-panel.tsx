import { useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { Loading } from '../../components/spinner';
import {
  elevatedStatusQuery,
  useInstallElevatedToken,
  useRemoveElevatedToken,
} from './elevated-queries';
import { readElevatedTokenForm } from './elevated-token-form-schema';

type FieldErrors = Partial<Record<'tokenId' | 'secret', string>>;

// The input fields main names in a refusal (a token PVE refused, no keychain for the secret).
const serverFields = { tokenId: 'tokenId', secret: 'secret' } as const;

/**
 * Elevated mode for lab admins: which privileged API token commits approved changes to this
 * cluster, installing one (checked against the cluster first) and removing it. The secret is
 * typed here once and never shown again; main keeps it in the OS keychain.
 */
export function ElevatedTokenPanel(): ReactNode {
  const ids = { title: useId(), tokenId: useId(), secret: useId(), hint: useId() };
  const status = useQuery(elevatedStatusQuery());
  const install = useInstallElevatedToken();
  const remove = useRemoveElevatedToken();
  const [tokenId, setTokenId] = useState('');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const token = status.data?.token ?? null;
  // The form's own checks come first; main's reasons show until the user edits a field.
  const shown: FieldErrors = { ...fieldErrorsFrom(install.error, serverFields), ...errors };
  const edited = (): void => {
    if (install.isError) install.reset();
  };

  function submit(): void {
    const read = readElevatedTokenForm({ tokenId, secret });
    if (!read.ok) {
      setErrors(read.errors);
      return;
    }
    setErrors({});
    remove.reset();
    install.mutate(read.values, {
      // The secret leaves the form either way: installed, or refused and typed again.
      onSettled: () => setSecret(''),
      onSuccess: () => setTokenId(''),
    });
  }

  return (
    <section className="card" aria-labelledby={ids.title} data-testid="elevated-panel">
      <header className="card-header">
        <h2 id={ids.title} className="card-title">
          Lab token (elevated mode)
        </h2>
      </header>
      <div className="card-body form">
        <p className="field-hint">
          With a lab token installed, users may hold read-only rights in PVE: ProxDesk reads
          everything with their own account and commits only the changes the quota approves with
          this token.
        </p>
        {status.isPending ? <Loading>Reading the installed token…</Loading> : null}
        {status.isError ? (
          <ErrorMessage error={status.error} title="Could not read the lab token" />
        ) : null}
        {status.data ? (
          <p className="message" role="status" data-testid="elevated-status">
            {token === null
              ? 'No lab token is installed: changes are made with each user’s own PVE rights.'
              : `Installed: ${token.tokenId}, by ${token.installedBy} on ${new Date(token.installedAt).toLocaleString()}.`}
          </p>
        ) : null}

        <form
          className="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <div className="field">
            <label htmlFor={ids.tokenId}>Token id</label>
            <input
              id={ids.tokenId}
              className="input mono"
              value={tokenId}
              placeholder="user@realm!tokenid"
              autoComplete="off"
              spellCheck={false}
              data-testid="elevated-token-id"
              aria-invalid={shown.tokenId !== undefined}
              disabled={install.isPending}
              onChange={(event) => {
                setTokenId(event.target.value);
                edited();
              }}
            />
            {shown.tokenId ? (
              <FieldError message={shown.tokenId} testId="elevated-token-id-error" />
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={ids.secret}>Secret</label>
            <input
              id={ids.secret}
              className="input mono"
              type="password"
              value={secret}
              placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
              autoComplete="off"
              data-testid="elevated-token-secret"
              aria-invalid={shown.secret !== undefined}
              aria-describedby={ids.hint}
              disabled={install.isPending}
              onChange={(event) => {
                setSecret(event.target.value);
                edited();
              }}
            />
            {shown.secret ? (
              <FieldError message={shown.secret} testId="elevated-token-secret-error" />
            ) : null}
            <p className="field-hint" id={ids.hint}>
              ProxDesk checks the token with the cluster and keeps the secret encrypted with this
              computer’s keychain. Anyone who can run programs as this computer account can use it.
            </p>
          </div>
          {install.isError ? (
            <ErrorMessage
              error={install.error}
              title="The token was not installed"
              testId="elevated-install-error"
              placedFields={serverFields}
            />
          ) : null}
          {install.isSuccess ? (
            <p className="message message-success" role="status" data-testid="elevated-installed">
              Installed {install.data.token?.tokenId}: approved changes are now committed with it.
            </p>
          ) : null}
          {remove.isError ? (
            <ErrorMessage error={remove.error} title="The token was not removed" />
          ) : null}
          <div className="dialog-actions">
            {token !== null ? (
              <button
                type="button"
                className="button"
                data-testid="elevated-remove"
                disabled={remove.isPending || install.isPending}
                onClick={() => {
                  install.reset();
                  remove.mutate();
                }}
              >
                {remove.isPending ? 'Removing…' : 'Remove token'}
              </button>
            ) : null}
            <button
              type="submit"
              className="button button-primary"
              data-testid="elevated-install"
              disabled={install.isPending}
            >
              {install.isPending
                ? 'Checking with the cluster…'
                : token === null
                  ? 'Check and install'
                  : 'Check and replace'}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
