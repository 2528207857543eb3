import {
  useMutation,
  useQueryClient,
  type QueryClient,
  type UseMutationResult,
} from '@tanstack/react-query';
import type { ChannelOutput, ChannelRequest, InstanceRef } from '../../../shared/contract';
import { isApiError } from '../../api';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** Refreshes the instance and the quota after a change; awaited, so the page shows the result. */
function refreshAfterChange(client: QueryClient, ref: InstanceRef): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
    client.invalidateQueries({ queryKey: quotaKeys.all }),
  ]);
}

/** After a failure: a refusal means main saw other usage; a conflict means the config moved on. */
async function refreshAfterFailure(
  client: QueryClient,
  ref: InstanceRef,
  error: Error,
): Promise<void> {
  if (isApiError(error, 'QUOTA_EXCEEDED')) {
    await client.invalidateQueries({ queryKey: quotaKeys.all });
  } else if (isApiError(error, 'CONFLICT', 'LOCKED', 'NOT_FOUND')) {
    await client.invalidateQueries({ queryKey: instanceKeys.detail(ref) });
  }
}

/** Adds a network interface to an instance. */
export function useCreateNetwork(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'net:create'>, Error, ChannelRequest<'net:create'>> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: ChannelRequest<'net:create'>) => callResumable('net:create', request),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}

/** What a rate change asks for: the interface and its new rate (null for no limit). */
export interface RateVariables {
  key: string;
  rateMBps: number | null;
}

/** Changes the rate limit of one interface. */
export function useModifyNetworkRate(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'net:modify'>, Error, RateVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ key, rateMBps }: RateVariables) =>
      callResumable('net:modify', {
        node: ref.node,
        type: ref.type,
        vmid: ref.vmid,
        key,
        rateMBps,
      }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}

/** Removes one interface. */
export function useDeleteNetwork(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'net:delete'>, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) =>
      callResumable('net:delete', { node: ref.node, type: ref.type, vmid: ref.vmid, key }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}
