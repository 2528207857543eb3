import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { SecondFactorMethod } from '../../../shared/contract';
import { isApiError } from '../../api';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { Spinner } from '../../components/spinner';
import { useSecondFactor } from './session-mutations';
import type { SecondFactorRequest } from './password-form';
import { secondFactorFormSchema, type SecondFactorFormValues } from './second-factor-form-schema';

/** Props of the second step. */
export interface SecondFactorFormProps {
  request: SecondFactorRequest;
  /** Back to the password step (also where an expired attempt starts again). */
  onRestart: () => void;
}

const labels: Record<SecondFactorMethod, { field: string; hint: string }> = {
  totp: {
    field: 'Code from your authenticator app',
    hint: 'Six digits; a new code appears every 30 seconds.',
  },
  recovery: {
    field: 'Recovery key',
    hint: 'One of the keys you saved when two-factor sign-in was set up. Each works once.',
  },
};

/** The second factor PVE asks for after a right password: a TOTP code, or a recovery key. */
export function SecondFactorForm({ request, onRestart }: SecondFactorFormProps): ReactNode {
  const ids = { code: useId(), codeError: useId(), hint: useId() };
  const secondFactor = useSecondFactor();
  const [failure, setFailure] = useState<unknown>(null);
  const initial: SecondFactorMethod = request.methods.includes('totp') ? 'totp' : 'recovery';
  const form = useForm<SecondFactorFormValues>({
    resolver: zodResolver(secondFactorFormSchema),
    defaultValues: { method: initial, code: '' },
  });
  const method = useWatch({ control: form.control, name: 'method' });
  const { errors } = form.formState;
  const other: SecondFactorMethod = method === 'totp' ? 'recovery' : 'totp';
  const canSwitch = request.methods.includes(other);
  const expired = isApiError(failure, 'SESSION_EXPIRED', 'NOT_SIGNED_IN');

  const submit = form.handleSubmit((values) => {
    form.resetField('code');
    setFailure(null);
    secondFactor.mutate(values, {
      onSuccess: () => secondFactor.reset(),
      onError: (error) => {
        setFailure(error);
        secondFactor.reset();
        form.setFocus('code');
      },
    });
  });

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={secondFactor.isPending}
      data-testid="second-factor-form"
    >
      <p className="auth-lead">
        The password of <span className="strong">{request.userid}</span> is right. This account also
        asks for a second factor.
      </p>
      <input type="hidden" {...form.register('method')} />
      <div className="field">
        <label htmlFor={ids.code}>{labels[method].field}</label>
        <input
          {...form.register('code')}
          key={method}
          id={ids.code}
          className="input mono"
          inputMode={method === 'totp' ? 'numeric' : 'text'}
          autoComplete="one-time-code"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
          maxLength={method === 'totp' ? 7 : 79}
          data-testid="second-factor-code"
          aria-invalid={errors.code !== undefined}
          aria-describedby={errors.code ? ids.codeError : ids.hint}
          disabled={secondFactor.isPending}
        />
        <p className="field-hint" id={ids.hint}>
          {labels[method].hint}
        </p>
        {errors.code?.message ? (
          <FieldError
            id={ids.codeError}
            message={errors.code.message}
            testId="second-factor-error"
          />
        ) : null}
      </div>

      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-wide"
          data-testid="second-factor-submit"
          disabled={secondFactor.isPending}
        >
          {secondFactor.isPending ? 'Checking…' : 'Verify and sign in'}
        </button>
      </div>

      {secondFactor.isPending ? (
        <p className="waiting" role="status">
          <Spinner />
          Waiting for the cluster.
        </p>
      ) : null}

      {failure !== null ? (
        <ErrorMessage
          error={failure}
          title={expired ? 'Sign in again' : 'Not signed in'}
          testId="second-factor-failure"
        />
      ) : null}

      <p className="auth-footer">
        {canSwitch ? (
          <button
            type="button"
            className="link-button"
            data-testid="second-factor-switch"
            onClick={() => {
              form.reset({ method: other, code: '' });
              setFailure(null);
            }}
          >
            {other === 'recovery' ? 'Use a recovery key instead' : 'Use the authenticator app'}
          </button>
        ) : null}
        {canSwitch ? ' · ' : null}
        <button type="button" className="link-button" onClick={onRestart}>
          {expired ? 'Sign in again' : 'Cancel'}
        </button>
      </p>
    </form>
  );
}
