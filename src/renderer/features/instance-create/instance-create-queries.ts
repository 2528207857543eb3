import {
  queryOptions,
  useMutation,
  useQueryClient,
  type UseMutationResult,
} from '@tanstack/react-query';
import type { ChannelOutput, InstanceCreateInput, MediaVolume } from '../../../shared/contract';
import type { MediaContent } from '../../../shared/instance-create-schemas';
import { callChannel, isApiError } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** Query keys for installation media: all -> lists -> list(node, content). */
export const mediaKeys = {
  all: ['media'] as const,
  lists: () => [...mediaKeys.all, 'list'] as const,
  list: (node: string, content: MediaContent) => [...mediaKeys.lists(), node, content] as const,
};

/** The ISO images or container templates the user may use on a node. */
export function mediaQuery(
  node: string,
  content: MediaContent,
): AppQueryOptions<MediaVolume[], ReturnType<typeof mediaKeys.list>> {
  return queryOptions({
    queryKey: mediaKeys.list(node, content),
    queryFn: () => callChannel('storage:media', { node, content }),
    staleTime: 60_000,
  });
}

/** What a create returns. */
export type CreateResult = ChannelOutput<'instance:create'>;

/** Creates a VM or container; the instance list and the quota are read again afterwards. */
export function useCreateInstance(): UseMutationResult<CreateResult, Error, InstanceCreateInput> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: InstanceCreateInput) => callChannel('instance:create', input),
    // Awaited, so the dialog reports success only once the list shows the new guest.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: instanceKeys.lists() }),
        client.invalidateQueries({ queryKey: quotaKeys.all }),
      ]),
    onError: async (error) => {
      // A refusal means main saw other usage than the panel shows; a failed task may have left
      // nothing or something behind, so the list is read again either way.
      if (isApiError(error, 'QUOTA_EXCEEDED')) {
        await client.invalidateQueries({ queryKey: quotaKeys.all });
      } else if (isApiError(error, 'TASK_FAILED', 'OUTCOME_UNKNOWN', 'CONFLICT')) {
        await client.invalidateQueries({ queryKey: instanceKeys.lists() });
      }
    },
  });
}
