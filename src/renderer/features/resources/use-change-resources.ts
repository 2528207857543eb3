import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import { isApiError } from '../../api';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';
import type { ResourcesFormValues } from './resources-form-schema';

/** What a successful change returns. */
export type ResourcesResult = ChannelOutput<'instance:resources'>;

/** Changes a guest's cores, sockets, memory or swap, then refreshes the guest and the quota. */
export function useChangeResources(
  ref: InstanceRef,
): UseMutationResult<ResourcesResult, Error, Partial<ResourcesFormValues>> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (values: Partial<ResourcesFormValues>) =>
      callResumable('instance:resources', {
        node: ref.node,
        type: ref.type,
        vmid: ref.vmid,
        ...values,
      }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
        client.invalidateQueries({ queryKey: quotaKeys.all }),
      ]),
    onError: async (error) => {
      // A refusal means main saw other usage than the panel shows; a conflict or lock means the
      // config moved on. Either way the page is stale.
      if (isApiError(error, 'QUOTA_EXCEEDED')) {
        await client.invalidateQueries({ queryKey: quotaKeys.all });
      } else if (isApiError(error, 'CONFLICT', 'LOCKED', 'NOT_FOUND')) {
        await client.invalidateQueries({ queryKey: instanceKeys.detail(ref) });
      }
    },
  });
}
