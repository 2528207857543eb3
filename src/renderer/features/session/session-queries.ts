import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { SessionStatus } from '../../../shared/contract';

/** Query keys for the signed-in session. */
export const sessionKeys = {
  all: ['session'] as const,
  status: () => [...sessionKeys.all, 'status'] as const,
  rememberedTokens: (url: string) => [...sessionKeys.all, 'remembered-tokens', url] as const,
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

/** The API token ids whose secrets are remembered for a cluster. */
export function rememberedTokensQuery(
  url: string,
): AppQueryOptions<string[], ReturnType<typeof sessionKeys.rememberedTokens>> {
  return queryOptions({
    queryKey: sessionKeys.rememberedTokens(url),
    queryFn: () => callChannel('session:remembered-tokens', { url }),
    staleTime: Infinity,
  });
}
