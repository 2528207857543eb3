import {
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
  type UseMutationResult,
} from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef, QuotaConstraints } from '../../../shared/contract';
import type { AttachBus } from '../../../shared/disk-slot-schemas';
import { callChannel, isApiError } from '../../api';
import { callResumable } from '../session/resume-gate';
import type { AppQueryOptions } from '../../query-types';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** The policy's constraints for the signed-in user; they change only when a policy is imported. */
export function quotaConstraintsQuery(): AppQueryOptions<
  QuotaConstraints,
  readonly ['quota', 'constraints']
> {
  return queryOptions({
    queryKey: [...quotaKeys.all, 'constraints'] as const,
    queryFn: () => callChannel('quota:constraints'),
    staleTime: 5 * 60_000,
  });
}

function refreshAfterChange(client: QueryClient, ref: InstanceRef): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
    client.invalidateQueries({ queryKey: quotaKeys.all }),
  ]);
}

/** A conflict or lock means the config moved on: show the current one. */
async function refreshAfterFailure(
  client: QueryClient,
  ref: InstanceRef,
  error: Error,
): Promise<void> {
  if (isApiError(error, 'CONFLICT', 'LOCKED', 'NOT_FOUND')) {
    await client.invalidateQueries({ queryKey: instanceKeys.detail(ref) });
  }
}

type SlotResult = ChannelOutput<'disk:detach'>;

/** Detaches a disk or mount point; its volume becomes unused. */
export function useDetachDisk(ref: InstanceRef): UseMutationResult<SlotResult, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (disk: string) =>
      callResumable('disk:detach', { node: ref.node, type: ref.type, vmid: ref.vmid, disk }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}

/** What an attach asks for: the unused volume and a bus (VM) or a mount path (container). */
export interface AttachVariables {
  volume: string;
  bus?: AttachBus;
  mountPath?: string;
}

/** Attaches an unused volume. */
export function useAttachDisk(
  ref: InstanceRef,
): UseMutationResult<SlotResult, Error, AttachVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: AttachVariables) =>
      callResumable('disk:attach', {
        node: ref.node,
        type: ref.type,
        vmid: ref.vmid,
        ...variables,
      }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}

/** Deletes an unused volume (destroying its data) or removes a CD drive. */
export function useDeleteDisk(ref: InstanceRef): UseMutationResult<SlotResult, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (disk: string) =>
      callResumable('disk:delete', { node: ref.node, type: ref.type, vmid: ref.vmid, disk }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}
