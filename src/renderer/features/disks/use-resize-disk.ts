import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import { isApiError } from '../../api';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** What a resize asks for, besides the instance. */
export interface ResizeVariables {
  disk: string;
  addGiB: number;
}

/** What a successful resize returns. */
export type ResizeResult = ChannelOutput<'disk:resize'>;

/** Grows one disk of an instance, then refreshes that instance and the quota. */
export function useResizeDisk(
  ref: InstanceRef,
): UseMutationResult<ResizeResult, Error, ResizeVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ disk, addGiB }: ResizeVariables) =>
      callResumable('disk:resize', {
        node: ref.node,
        type: ref.type,
        vmid: ref.vmid,
        disk,
        addGiB,
      }),
    // Awaited, so the dialog reports success only once the new size is what the page shows.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
        client.invalidateQueries({ queryKey: quotaKeys.all }),
      ]),
    onError: async (error) => {
      // A refusal means main saw different usage than the panel shows, and a conflict or lock
      // means the config moved on: either way the page is stale.
      if (isApiError(error, 'QUOTA_EXCEEDED')) {
        await client.invalidateQueries({ queryKey: quotaKeys.all });
      } else if (isApiError(error, 'CONFLICT', 'LOCKED', 'NOT_FOUND')) {
        await client.invalidateQueries({ queryKey: instanceKeys.detail(ref) });
      }
    },
  });
}
