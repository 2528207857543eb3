import { useState, type ReactNode } from 'react';
import type { RealmInfo } from '../../../shared/contract';
import { PasswordForm, type SecondFactorRequest } from './password-form';
import { SecondFactorForm } from './second-factor-form';
import { TokenForm } from './token-form';

/** Props of the sign-in form. */
export interface SignInFormProps {
  clusterUrl: string;
  realms: readonly RealmInfo[];
  /** The realm and user name to start with, when signing the same user in again. */
  initial?: { realm: string; username: string };
}

type Step =
  | { kind: 'password' }
  | { kind: 'second-factor'; request: SecondFactorRequest }
  | { kind: 'token' };

/** Sign-in: the password (then a second factor when PVE asks for one), or an API token. */
export function SignInForm({ clusterUrl, realms, initial }: SignInFormProps): ReactNode {
  const [step, setStep] = useState<Step>({ kind: 'password' });

  switch (step.kind) {
    case 'second-factor':
      return (
        <SecondFactorForm request={step.request} onRestart={() => setStep({ kind: 'password' })} />
      );
    case 'token':
      return (
        <>
          <TokenForm clusterUrl={clusterUrl} />
          <p className="auth-footer">
            <button
              type="button"
              className="link-button"
              data-testid="use-password"
              onClick={() => setStep({ kind: 'password' })}
            >
              Sign in with a password instead
            </button>
          </p>
        </>
      );
    case 'password':
      return (
        <>
          <PasswordForm
            clusterUrl={clusterUrl}
            realms={realms}
            initial={initial}
            onSecondFactor={(request) => setStep({ kind: 'second-factor', request })}
          />
          <p className="auth-footer">
            <button
              type="button"
              className="link-button"
              data-testid="use-token"
              onClick={() => setStep({ kind: 'token' })}
            >
              Use an API token
            </button>
          </p>
        </>
      );
  }
}
