import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import type { PciFlags } from '../../../shared/pci-schemas';
import { callChannel, isApiError } from '../../api';
import { callResumable } from '../session/resume-gate';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';

/** Query keys of the PCI section; the attached list sits under the instance's detail key. */
export const pciKeys = {
  all: ['pci'] as const,
  available: (node: string) => [...pciKeys.all, 'available', node] as const,
  attached: (ref: InstanceRef) => [...instanceKeys.detail(ref), 'pci'] as const,
};

function refOf(ref: InstanceRef): InstanceRef {
  return { node: ref.node, type: ref.type, vmid: ref.vmid };
}

/** The PCI devices attached to a VM; containers have none, so nothing is read for them. */
export function useAttachedPci(ref: InstanceRef): UseQueryResult<ChannelOutput<'pci:attached'>> {
  return useQuery({
    queryKey: pciKeys.attached(ref),
    queryFn: () => callChannel('pci:attached', refOf(ref)),
    enabled: ref.type === 'qemu',
    staleTime: 30_000,
  });
}

/** The devices the user may attach on a node, with what is left of each. */
export function useAvailablePci(node: string): UseQueryResult<ChannelOutput<'pci:list'>> {
  return useQuery({
    queryKey: pciKeys.available(node),
    queryFn: () => callChannel('pci:list', { node }),
    staleTime: 10_000,
  });
}

function refreshAfterChange(client: QueryClient, ref: InstanceRef): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
    client.invalidateQueries({ queryKey: pciKeys.all }),
    client.invalidateQueries({ queryKey: quotaKeys.all }),
  ]);
}

async function refreshAfterFailure(
  client: QueryClient,
  ref: InstanceRef,
  error: Error,
): Promise<void> {
  // A refusal means main saw other usage; a conflict means the config moved on.
  if (isApiError(error, 'QUOTA_EXCEEDED')) {
    await Promise.all([
      client.invalidateQueries({ queryKey: quotaKeys.all }),
      client.invalidateQueries({ queryKey: pciKeys.all }),
    ]);
  } else if (isApiError(error, 'CONFLICT', 'LOCKED', 'NOT_FOUND')) {
    await client.invalidateQueries({ queryKey: instanceKeys.detail(ref) });
  }
}

/** What an attach asks for: a mapping id or a raw PCI id, with flags. */
export type AttachVariables = PciFlags & { device: { mapping: string } | { host: string } };

/** Attaches a device on the first free hostpciN slot. */
export function useAttachPci(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'pci:attach'>, Error, AttachVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: AttachVariables) =>
      callResumable('pci:attach', { ...refOf(ref), ...variables }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}

/** Changes the flags of one attached device. */
export function useModifyPci(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'pci:modify'>, Error, PciFlags & { key: string }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: PciFlags & { key: string }) =>
      callResumable('pci:modify', { ...refOf(ref), ...variables }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}

/** Detaches one device. */
export function useDetachPci(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'pci:detach'>, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => callResumable('pci:detach', { ...refOf(ref), key }),
    onSuccess: () => refreshAfterChange(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}
