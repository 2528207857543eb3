import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import type { AttachBus } from '../../../shared/disk-slot-schemas';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** What a new disk (VM: a bus) or mount point (container: a path) asks for. */
export interface CreateVariables {
  storage: string;
  sizeGiB: number;
  bus?: AttachBus;
  mountPath?: string;
}

/** What a CD drive asks for: an ISO (a VM only) and the storage it is on. */
export interface CdromVariables {
  storage: string;
  iso: string;
}

/** Adds a new disk or mount point; the guest and the quota are read again. */
export function useCreateDisk(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'disk:create'>, Error, CreateVariables | CdromVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: CreateVariables | CdromVariables) => {
      if ('iso' in variables) {
        if (ref.type !== 'qemu') return Promise.reject(new Error('Only a VM has CD drives.'));
        const { storage, iso } = variables;
        return callResumable('disk:create', {
          node: ref.node,
          type: 'qemu',
          vmid: ref.vmid,
          storage,
          iso,
        });
      }
      const base = {
        node: ref.node,
        vmid: ref.vmid,
        storage: variables.storage,
        sizeGiB: variables.sizeGiB,
      };
      if (ref.type === 'qemu' && variables.bus !== undefined) {
        return callResumable('disk:create', { ...base, type: 'qemu', bus: variables.bus });
      }
      if (ref.type === 'lxc' && variables.mountPath !== undefined) {
        return callResumable('disk:create', {
          ...base,
          type: 'lxc',
          mountPath: variables.mountPath,
        });
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
