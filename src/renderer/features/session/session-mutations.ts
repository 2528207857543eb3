import {
  useMutation,
  useQueryClient,
  type QueryClient,
  type UseMutationResult,
} from '@tanstack/react-query';
import type {
  ChannelRequest,
  LoginResult,
  SessionStatus,
  SignedInStatus,
} from '../../../shared/contract';
import { callChannel } from '../../api';
import { clearUserData } from '../../bridge-events';
import { sessionKeys } from './session-queries';

/** What signing in asks for. */
export type SignInVariables = ChannelRequest<'session:login'>;
/** What the second step asks for. */
export type SecondFactorVariables = ChannelRequest<'session:second-factor'>;
/** What signing in with an API token asks for. */
export type TokenSignInVariables = ChannelRequest<'session:login-token'>;

function enterSession(client: QueryClient, status: SignedInStatus): void {
  client.setQueryData(sessionKeys.status(), status);
}

/**
 * The password step. Signed in: the new status goes straight into the cache, which switches the
 * app to its main view. Asked for a second factor: the caller shows the second step.
 */
export function useSignIn(): UseMutationResult<LoginResult, Error, SignInVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: SignInVariables) => callChannel('session:login', variables),
    // The variables hold the password: drop the finished mutation from the cache at once.
    gcTime: 0,
    onSuccess: (result) => {
      if (result.signedIn) enterSession(client, result);
    },
  });
}

/** The second step: a TOTP code or a recovery key. */
export function useSecondFactor(): UseMutationResult<SignedInStatus, Error, SecondFactorVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: SecondFactorVariables) =>
      callChannel('session:second-factor', variables),
    gcTime: 0,
    onSuccess: (status) => enterSession(client, status),
  });
}

/** Signs in with an API token; a remembered secret may stand in for an empty one. */
export function useTokenSignIn(): UseMutationResult<SignedInStatus, Error, TokenSignInVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: TokenSignInVariables) => callChannel('session:login-token', variables),
    // The variables may hold the token secret.
    gcTime: 0,
    onSuccess: async (status, variables) => {
      await client.invalidateQueries({ queryKey: sessionKeys.rememberedTokens(variables.url) });
      enterSession(client, status);
    },
  });
}

/** Forgets a remembered API-token secret. */
export function useForgetToken(): UseMutationResult<
  string[],
  Error,
  ChannelRequest<'session:forget-token'>
> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: ChannelRequest<'session:forget-token'>) =>
      callChannel('session:forget-token', variables),
    onSuccess: (tokenIds, variables) => {
      client.setQueryData(sessionKeys.rememberedTokens(variables.url), tokenIds);
    },
  });
}

/** The key of a sign-out in progress, so its own session:changed event is not taken for expiry. */
export const signOutMutationKey = [...sessionKeys.all, 'sign-out'] as const;

/** Signs out and forgets everything the user could see. */
export function useSignOut(): UseMutationResult<SessionStatus, Error, void> {
  const client = useQueryClient();
  return useMutation({
    mutationKey: signOutMutationKey,
    mutationFn: () => callChannel('session:logout'),
    onSuccess: (status) => clearUserData(client, status),
  });
}

/**
 * Tries again to restore the sign-in kept by "Stay signed in" after the start could not reach the
 * cluster; the answer replaces the status, so a restored session opens the main view.
 */
export function useRetryRestore(): UseMutationResult<SessionStatus, Error, void> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => callChannel('session:restore'),
    onSuccess: (status) => {
      client.setQueryData(sessionKeys.status(), status);
    },
  });
}
