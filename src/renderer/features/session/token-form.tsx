import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { isApiError } from '../../api';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { useServerFieldErrors } from '../../components/server-field-errors';
import { Spinner } from '../../components/spinner';
import { useForgetToken, useTokenSignIn } from './session-mutations';
import { rememberedTokensQuery } from './session-queries';
import { tokenFormSchema, type TokenFormValues } from './token-form-schema';

/** Props of the API-token form. */
export interface TokenFormProps {
  clusterUrl: string;
}

// The input fields main names in a refusal, and the form fields that show them.
const serverFields = { tokenId: 'tokenId', secret: 'secret' } as const;

/** Sign-in with a PVE API token; the secret can be remembered in the OS keychain. */
export function TokenForm({ clusterUrl }: TokenFormProps): ReactNode {
  const ids = {
    tokenId: useId(),
    tokenIdError: useId(),
    secret: useId(),
    secretError: useId(),
    secretHint: useId(),
    remember: useId(),
  };
  const remembered = useQuery(rememberedTokensQuery(clusterUrl));
  const rememberedIds = useMemo(() => remembered.data ?? [], [remembered.data]);
  const signIn = useTokenSignIn();
  const forget = useForgetToken();
  const [failure, setFailure] = useState<unknown>(null);
  const resolver = useMemo(() => zodResolver(tokenFormSchema(rememberedIds)), [rememberedIds]);
  const form = useForm<
    TokenFormValues,
    unknown,
    { tokenId: string; secret: string | undefined; remember: boolean }
  >({
    resolver,
    defaultValues: { tokenId: '', secret: '', remember: false },
  });
  const { errors } = form.formState;
  useServerFieldErrors(form.setError, failure, serverFields);
  const tokenId = useWatch({ control: form.control, name: 'tokenId' }).trim();
  const isRemembered = rememberedIds.includes(tokenId);

  const submit = form.handleSubmit((values) => {
    form.resetField('secret');
    setFailure(null);
    signIn.mutate(
      {
        url: clusterUrl,
        tokenId: values.tokenId,
        secret: values.secret,
        remember: values.remember,
      },
      {
        onError: (error) => {
          setFailure(error);
          signIn.reset();
          form.setFocus('secret');
        },
      },
    );
  });

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={signIn.isPending}
      data-testid="token-form"
    >
      <div className="field">
        <label htmlFor={ids.tokenId}>Token id</label>
        <input
          {...form.register('tokenId')}
          id={ids.tokenId}
          className="input mono"
          list={rememberedIds.length > 0 ? `${ids.tokenId}-remembered` : undefined}
          placeholder="user@realm!tokenid"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
          data-testid="token-id"
          aria-invalid={errors.tokenId !== undefined}
          aria-describedby={errors.tokenId ? ids.tokenIdError : undefined}
          disabled={signIn.isPending}
        />
        {rememberedIds.length > 0 ? (
          <datalist id={`${ids.tokenId}-remembered`}>
            {rememberedIds.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        ) : null}
        {errors.tokenId?.message ? (
          <FieldError
            id={ids.tokenIdError}
            message={errors.tokenId.message}
            testId="token-id-error"
          />
        ) : null}
      </div>

      <div className="field">
        <label htmlFor={ids.secret}>Secret</label>
        <input
          {...form.register('secret')}
          id={ids.secret}
          className="input mono"
          type="password"
          autoComplete="off"
          placeholder={
            isRemembered ? 'remembered on this computer' : 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'
          }
          data-testid="token-secret"
          aria-invalid={errors.secret !== undefined || isApiError(failure, 'PVE_AUTH')}
          aria-describedby={errors.secret ? ids.secretError : ids.secretHint}
          disabled={signIn.isPending}
        />
        <p className="field-hint" id={ids.secretHint}>
          {isRemembered
            ? 'Leave empty to use the remembered secret.'
            : 'PVE shows the secret once, when the token is made.'}
        </p>
        {errors.secret?.message ? (
          <FieldError
            id={ids.secretError}
            message={errors.secret.message}
            testId="token-secret-error"
          />
        ) : null}
      </div>

      <div className="field field-check">
        <input
          {...form.register('remember')}
          id={ids.remember}
          type="checkbox"
          data-testid="token-remember"
          disabled={signIn.isPending}
        />
        <label htmlFor={ids.remember}>Remember this token on this computer (OS keychain)</label>
      </div>

      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-wide"
          data-testid="token-sign-in-button"
          disabled={signIn.isPending}
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in with token'}
        </button>
      </div>

      {signIn.isPending ? (
        <p className="waiting" role="status">
          <Spinner />
          Checking the token with the cluster.
        </p>
      ) : null}

      {isRemembered ? (
        <p className="auth-footer">
          <button
            type="button"
            className="link-button"
            data-testid="token-forget"
            disabled={forget.isPending}
            onClick={() => forget.mutate({ url: clusterUrl, tokenId })}
          >
            Forget the remembered secret of {tokenId}
          </button>
        </p>
      ) : null}

      {isApiError(failure, 'PVE_AUTH') ? (
        <div className="message message-error" role="alert" data-testid="token-sign-in-error">
          <p className="message-title">Sign-in failed</p>
          <p>
            PVE did not accept this token id and secret. Check both, and that the token has not
            expired.
          </p>
        </div>
      ) : failure !== null ? (
        <ErrorMessage
          error={failure}
          title="Sign-in failed"
          testId="token-sign-in-error"
          placedFields={serverFields}
        />
      ) : null}
    </form>
  );
}
