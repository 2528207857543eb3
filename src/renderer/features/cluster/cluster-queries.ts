import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { ClusterProfilesInfo, DiscoveredNode, RealmInfo } from '../../../shared/contract';

/** Query keys for what a cluster offers before anyone signs in, and the cluster profiles. */
export const clusterKeys = {
  all: ['cluster'] as const,
  realms: (clusterUrl: string) => [...clusterKeys.all, 'realms', clusterUrl] as const,
  profiles: () => [...clusterKeys.all, 'profiles'] as const,
};

/**
 * Query keys for the nodes PVE lists to the signed-in user. Kept apart from `clusterKeys` because
 * what PVE lists depends on the user, so it is dropped with the rest of the user's data.
 */
export const discoveryKeys = {
  all: ['cluster-discovery'] as const,
  profile: (profileId: string) => [...discoveryKeys.all, profileId] as const,
};

/** Every cluster profile with the trust of each node, and the one in use. */
export function profilesQuery(): AppQueryOptions<
  ClusterProfilesInfo,
  ReturnType<typeof clusterKeys.profiles>
> {
  return queryOptions({
    queryKey: clusterKeys.profiles(),
    queryFn: () => callChannel('cluster:profiles'),
  });
}

/** The nodes PVE lists for the signed-in cluster; read when the user asks for them. */
export function discoveryQuery(
  profileId: string,
): AppQueryOptions<
  { profileId: string; nodes: DiscoveredNode[] },
  ReturnType<typeof discoveryKeys.profile>
> {
  return queryOptions({
    queryKey: discoveryKeys.profile(profileId),
    queryFn: () => callChannel('cluster:discover'),
    staleTime: 30_000,
  });
}

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
