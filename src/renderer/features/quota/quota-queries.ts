import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { QuotaUsage } from '../../../shared/contract';

/** Query keys for quota usage. */
export const quotaKeys = {
  all: ['quota'] as const,
  usage: () => [...quotaKeys.all, 'usage'] as const,
};

/** The signed-in user's usage against every limit of the policy. */
export function quotaUsageQuery(): AppQueryOptions<QuotaUsage, ReturnType<typeof quotaKeys.usage>> {
  return queryOptions({
    queryKey: quotaKeys.usage(),
    queryFn: () => callChannel('quota:usage'),
    staleTime: 30_000,
  });
}
