import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { SessionStatus } from '../../../shared/contract';

/** Query keys for the signed-in session. */
export const sessionKeys = {
  all: ['session'] as const,
  status: () => [...sessionKeys.all, 'status'] as const,
};

/** Who is signed in, to which cluster, until when. Main announces changes with an event. */
export function sessionStatusQuery(): AppQueryOptions<
  SessionStatus,
  ReturnType<typeof sessionKeys.status>
> {
  return queryOptions({
    queryKey: sessionKeys.status(),
    queryFn: () => callChannel('session:status'),
    staleTime: Infinity,
  });
}
