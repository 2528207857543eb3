import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** What a move asks for. */
export interface MoveVariables {
  disk: string;
  targetStorage: string;
  deleteSource: boolean;
}

/** Moves a disk or mount point to another storage; the guest and the quota are read again. */
export function useMoveDisk(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'disk:move'>, Error, MoveVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: MoveVariables) =>
      callResumable('disk:move', { node: ref.node, type: ref.type, vmid: ref.vmid, ...variables }),
    // Settled, not only on success: a failed or conflicting move may still have changed things.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
        client.invalidateQueries({ queryKey: quotaKeys.all }),
      ]),
  });
}
