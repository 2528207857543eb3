import {
  queryOptions,
  useMutation,
  useQueryClient,
  type UseMutationResult,
} from '@tanstack/react-query';
import type { ElevatedStatus } from '../../../shared/elevated-schemas';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';

/** Query keys of the lab token panel. */
export const elevatedKeys = {
  all: ['elevated'] as const,
  status: () => [...elevatedKeys.all, 'status'] as const,
};

/** Which lab token, if any, commits approved changes to the signed-in cluster. */
export function elevatedStatusQuery(): AppQueryOptions<
  ElevatedStatus,
  ReturnType<typeof elevatedKeys.status>
> {
  return queryOptions({
    queryKey: elevatedKeys.status(),
    queryFn: () => callChannel('elevated:status'),
    staleTime: 30_000,
  });
}

/** Installs a lab token once the cluster has confirmed it; the panel then shows it. */
export function useInstallElevatedToken(): UseMutationResult<
  ElevatedStatus,
  Error,
  { tokenId: string; secret: string }
> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { tokenId: string; secret: string }) =>
      callChannel('elevated:install', input),
    onSuccess: (status) => client.setQueryData(elevatedKeys.status(), status),
  });
}

/** Removes the lab token; changes go back to the users' own PVE rights. */
export function useRemoveElevatedToken(): UseMutationResult<ElevatedStatus, Error, void> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => callChannel('elevated:remove'),
    onSuccess: (status) => client.setQueryData(elevatedKeys.status(), status),
  });
}
