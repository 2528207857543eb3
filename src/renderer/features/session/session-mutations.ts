import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelRequest, SessionStatus } from '../../../shared/contract';
import { callChannel } from '../../api';
import { clearUserData } from '../../bridge-events';
import { sessionKeys } from './session-queries';

/** What signing in asks for. */
export type SignInVariables = ChannelRequest<'session:login'>;

/** Signs in; the new status goes straight into the cache, which switches the app to its main view. */
export function useSignIn(): UseMutationResult<SessionStatus, Error, SignInVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: SignInVariables) => callChannel('session:login', variables),
    // The variables hold the password: drop the finished mutation from the cache at once.
    gcTime: 0,
    onSuccess: (status) => {
      client.setQueryData(sessionKeys.status(), status);
    },
  });
}

/** Signs out and forgets everything the user could see. */
export function useSignOut(): UseMutationResult<SessionStatus, Error, void> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => callChannel('session:logout'),
    onSuccess: (status) => clearUserData(client, status),
  });
}
