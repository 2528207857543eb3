import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { taskKeys } from '../tasks/task-queries';

/** What a successful destroy returns. */
export type DestroyResult = ChannelOutput<'instance:destroy'>;

/**
 * Destroys a guest after the user typed its vmid (`confirmVmid`), then refreshes the lists. The
 * detail is left to `cluster:changed`: it keeps showing the guest until its panel is closed.
 */
export function useDestroyInstance(
  ref: InstanceRef,
): UseMutationResult<DestroyResult, Error, number> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (confirmVmid: number) =>
      callResumable('instance:destroy', {
        node: ref.node,
        type: ref.type,
        vmid: ref.vmid,
        confirmVmid,
      }),
    // A failed task may still have removed some volumes, and it is in the task list either way.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: instanceKeys.lists() }),
        client.invalidateQueries({ queryKey: taskKeys.all }),
      ]),
  });
}
