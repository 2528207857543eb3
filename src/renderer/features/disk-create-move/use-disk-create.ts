import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import type { AttachBus } from '../../../shared/disk-slot-schemas';
import { callChannel } from '../../api';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** What a new disk (VM: a bus) or mount point (container: a path) asks for. */
export interface CreateVariables {
  storage: string;
  sizeGiB: number;
  bus?: AttachBus;
  mountPath?: string;
}

/** Adds a new disk or mount point; the guest and the quota are read again. */
export function useCreateDisk(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'disk:create'>, Error, CreateVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: CreateVariables) => {
      const base = {
        node: ref.node,
        vmid: ref.vmid,
        storage: variables.storage,
        sizeGiB: variables.sizeGiB,
      };
      if (ref.type === 'qemu' && variables.bus !== undefined) {
        return callChannel('disk:create', { ...base, type: 'qemu', bus: variables.bus });
      }
      if (ref.type === 'lxc' && variables.mountPath !== undefined) {
        return callChannel('disk:create', { ...base, type: 'lxc', mountPath: variables.mountPath });
      }
      return Promise.reject(new Error('A VM disk needs a bus and a mount point needs a path.'));
    },
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
        client.invalidateQueries({ queryKey: quotaKeys.all }),
      ]),
  });
}
