import {
  queryOptions,
  useMutation,
  useQueryClient,
  type UseMutationResult,
} from '@tanstack/react-query';
import type { PolicyImportResult, QuotaAdmin } from '../../../shared/quota-schemas';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import { quotaKeys } from '../quota/quota-queries';

/** Query keys of the admin view. */
export const adminKeys = {
  all: ['admin'] as const,
  overview: () => [...adminKeys.all, 'overview'] as const,
};

/** Every user the policy names, with usage against limits, as the signed-in admin sees them. */
export function quotaAdminQuery(): AppQueryOptions<
  QuotaAdmin,
  ReturnType<typeof adminKeys.overview>
> {
  return queryOptions({
    queryKey: adminKeys.overview(),
    queryFn: () => callChannel('quota:admin'),
    staleTime: 30_000,
  });
}

/** Imports a policy; on success the admin view and every quota figure are read again. */
export function useImportPolicy(): UseMutationResult<PolicyImportResult, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => callChannel('policy:import', { text }),
    // Awaited, so the form reports success once the figures shown follow the new policy.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: adminKeys.all }),
        client.invalidateQueries({ queryKey: quotaKeys.all }),
      ]),
  });
}
