import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { InstanceDetail, InstanceRef, InstanceSummary } from '../../../shared/contract';

/** Query keys for the user's instances: all -> lists -> list -> details -> detail. */
export const instanceKeys = {
  all: ['instances'] as const,
  lists: () => [...instanceKeys.all, 'list'] as const,
  /** The signed-in user's own instances; the contract offers no other filter. */
  list: () => [...instanceKeys.lists(), 'own'] as const,
  details: () => [...instanceKeys.all, 'detail'] as const,
  detail: (ref: InstanceRef) => [...instanceKeys.details(), ref.node, ref.type, ref.vmid] as const,
};

/** The instance table. */
export function instanceListQuery(): AppQueryOptions<
  InstanceSummary[],
  ReturnType<typeof instanceKeys.list>
> {
  return queryOptions({
    queryKey: instanceKeys.list(),
    queryFn: () => callChannel('instance:list'),
    staleTime: 30_000,
  });
}

/** One instance's parsed config, for the detail panel. */
export function instanceDetailQuery(
  ref: InstanceRef,
): AppQueryOptions<InstanceDetail, ReturnType<typeof instanceKeys.detail>> {
  return queryOptions({
    queryKey: instanceKeys.detail(ref),
    queryFn: () => callChannel('instance:get', { node: ref.node, type: ref.type, vmid: ref.vmid }),
    staleTime: 30_000,
  });
}
