import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef, PowerAction } from '../../../shared/contract';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { taskKeys } from '../tasks/task-queries';

/** What a successful power action returns. */
export type PowerResult = ChannelOutput<'instance:power'>;

/** Runs a power action, then refreshes the instance, the instance list and the task list. */
export function usePowerAction(
  ref: InstanceRef,
): UseMutationResult<PowerResult, Error, PowerAction> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: PowerAction) =>
      callResumable('instance:power', { node: ref.node, type: ref.type, vmid: ref.vmid, action }),
    // A failed task may still have changed the guest, and it is in the task list either way.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
        client.invalidateQueries({ queryKey: instanceKeys.lists() }),
        client.invalidateQueries({ queryKey: taskKeys.all }),
      ]),
  });
}
