import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { RealmInfo } from '../../../shared/contract';

/** Query keys for what a cluster offers before anyone signs in. */
export const clusterKeys = {
  all: ['cluster'] as const,
  realms: (clusterUrl: string) => [...clusterKeys.all, 'realms', clusterUrl] as const,
};

/** The authentication realms of one cluster, for the sign-in form. */
export function realmsQuery(
  clusterUrl: string,
): AppQueryOptions<RealmInfo[], ReturnType<typeof clusterKeys.realms>> {
  return queryOptions({
    queryKey: clusterKeys.realms(clusterUrl),
    queryFn: () => callChannel('cluster:realms', { url: clusterUrl }),
    staleTime: 5 * 60_000,
  });
}
