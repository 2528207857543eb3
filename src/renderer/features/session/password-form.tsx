import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import type { LoginResult, RealmInfo } from '../../../shared/contract';
import { isApiError } from '../../api';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { useServerFieldErrors } from '../../components/server-field-errors';
import { Spinner } from '../../components/spinner';
import { useSignIn } from './session-mutations';
import { signInFormSchema } from './sign-in-form-schema';

/** What PVE asked for after a right password. */
export type SecondFactorRequest = Extract<LoginResult, { signedIn: false }>['secondFactor'];

/** Props of the password step. */
export interface PasswordFormProps {
  clusterUrl: string;
  realms: readonly RealmInfo[];
  /** PVE accepted the password and asks for a second factor. */
  onSecondFactor: (request: SecondFactorRequest) => void;
  /** The realm and user name to start with, when signing the same user in again. */
  initial?: { realm: string; username: string };
}

// The input fields main names in a refusal, and the form fields that show them.
const loginFields = {
  realm: 'realm',
  username: 'username',
  password: 'password',
  staySignedIn: 'staySignedIn',
} as const;

function realmLabel(realm: RealmInfo): string {
  return realm.comment ? `${realm.comment} (${realm.realm})` : realm.realm;
}

/** Realm, user name and password; the password leaves the form the moment it is submitted. */
export function PasswordForm({
  clusterUrl,
  realms,
  onSecondFactor,
  initial,
}: PasswordFormProps): ReactNode {
  const ids = {
    realm: useId(),
    username: useId(),
    usernameError: useId(),
    password: useId(),
    passwordError: useId(),
    staySignedIn: useId(),
    staySignedInHint: useId(),
    staySignedInError: useId(),
    failure: useId(),
  };
  const signIn = useSignIn();
  // The failure is kept here, not in the mutation, so the mutation (and the password it was
  // called with) can be let go as soon as it settles.
  const [failure, setFailure] = useState<unknown>(null);
  const preferred =
    realms.find((realm) => realm.realm === initial?.realm) ??
    realms.find((realm) => realm.default) ??
    realms[0];
  const form = useForm({
    resolver: zodResolver(signInFormSchema),
    defaultValues: {
      realm: preferred?.realm ?? '',
      username: initial?.username ?? '',
      password: '',
      staySignedIn: false,
    },
  });
  const { errors } = form.formState;
  useServerFieldErrors(form.setError, failure, loginFields);

  const submit = form.handleSubmit((values) => {
    form.resetField('password');
    setFailure(null);
    signIn.mutate(
      { url: clusterUrl, ...values },
      {
        onSuccess: (result) => {
          signIn.reset();
          if (!result.signedIn) onSecondFactor(result.secondFactor);
        },
        onError: (error) => {
          setFailure(error);
          signIn.reset();
          form.setFocus('password');
        },
      },
    );
  });

  const wrongPassword = isApiError(failure, 'PVE_AUTH');

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={signIn.isPending}
    >
      <div className="field">
        <label htmlFor={ids.realm}>Realm</label>
        <select
          {...form.register('realm')}
          id={ids.realm}
          className="input"
          data-testid="realm-select"
          disabled={signIn.isPending}
        >
          {realms.map((realm) => (
            <option key={realm.realm} value={realm.realm}>
              {realmLabel(realm)}
            </option>
          ))}
        </select>
        {errors.realm?.message ? <FieldError message={errors.realm.message} /> : null}
      </div>

      <div className="field">
        <label htmlFor={ids.username}>User name</label>
        <input
          {...form.register('username')}
          id={ids.username}
          className="input"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus={initial === undefined}
          data-testid="username"
          aria-invalid={errors.username !== undefined}
          aria-describedby={errors.username ? ids.usernameError : undefined}
          disabled={signIn.isPending}
        />
        {errors.username?.message ? (
          <FieldError
            id={ids.usernameError}
            message={errors.username.message}
            testId="username-error"
          />
        ) : null}
      </div>

      <div className="field">
        <label htmlFor={ids.password}>Password</label>
        <input
          {...form.register('password')}
          id={ids.password}
          className="input"
          type="password"
          autoComplete="off"
          autoFocus={initial !== undefined}
          data-testid="password"
          aria-invalid={errors.password !== undefined || wrongPassword}
          aria-describedby={
            errors.password ? ids.passwordError : failure !== null ? ids.failure : undefined
          }
          disabled={signIn.isPending}
        />
        {errors.password?.message ? (
          <FieldError
            id={ids.passwordError}
            message={errors.password.message}
            testId="password-error"
          />
        ) : null}
      </div>

      <div className="field field-check">
        <input
          {...form.register('staySignedIn')}
          id={ids.staySignedIn}
          type="checkbox"
          data-testid="stay-signed-in"
          aria-describedby={errors.staySignedIn ? ids.staySignedInError : ids.staySignedInHint}
          disabled={signIn.isPending}
        />
        <label htmlFor={ids.staySignedIn}>Stay signed in on this computer</label>
      </div>
      <p className="field-hint" id={ids.staySignedInHint}>
        Keeps the renewable PVE ticket, never your password, in the OS keychain, so ProxDesk opens
        signed in next time. Signing out forgets it.
      </p>
      {errors.staySignedIn?.message ? (
        <FieldError
          id={ids.staySignedInError}
          message={errors.staySignedIn.message}
          testId="stay-signed-in-error"
        />
      ) : null}

      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-wide"
          data-testid="sign-in-button"
          disabled={signIn.isPending}
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </div>

      {signIn.isPending ? (
        <p className="waiting" role="status" data-testid="sign-in-pending">
          <Spinner />
          Waiting for the cluster. PVE holds back the answer to a failed sign-in for a few seconds,
          so this can take a moment.
        </p>
      ) : null}

      <div id={ids.failure}>
        {wrongPassword ? (
          <div className="message message-error" role="alert" data-testid="sign-in-error">
            <p className="message-title">Sign-in failed</p>
            <p>
              The user name or password is not correct for this realm. Check both and try again.
            </p>
          </div>
        ) : failure !== null ? (
          <ErrorMessage
            error={failure}
            title="Sign-in failed"
            testId="sign-in-error"
            placedFields={loginFields}
          />
        ) : null}
      </div>
    </form>
  );
}
