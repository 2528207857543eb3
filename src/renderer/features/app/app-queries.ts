import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { ChannelOutput } from '../../../shared/contract';

/** Query keys for facts about the app itself. */
export const appKeys = {
  all: ['app'] as const,
  info: () => [...appKeys.all, 'info'] as const,
};

/** The app's version and the cluster address to prefill; fixed for the app's lifetime. */
export function appInfoQuery(): AppQueryOptions<
  ChannelOutput<'app:info'>,
  ReturnType<typeof appKeys.info>
> {
  return queryOptions({
    queryKey: appKeys.info(),
    queryFn: () => callChannel('app:info'),
    staleTime: Infinity,
  });
}
