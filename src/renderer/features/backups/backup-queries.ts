import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { BackupMode } from '../../../shared/backup-schemas';
import type { ChannelOutput, InstanceRef } from '../../../shared/contract';
import { callChannel, isApiError } from '../../api';
import { instanceKeys } from '../instances/instance-queries';
import { quotaKeys } from '../quota/quota-queries';
import { callResumable } from '../session/resume-gate';
import { taskKeys } from '../tasks/task-queries';

/** Query keys of the backups panel; a guest's list sits under the guest's detail key. */
export const backupKeys = {
  list: (ref: InstanceRef) => [...instanceKeys.detail(ref), 'backups'] as const,
};

function refOf(ref: InstanceRef): InstanceRef {
  return { node: ref.node, type: ref.type, vmid: ref.vmid };
}

/** A guest's backups, where new ones may go, and the user's backup count. */
export function useBackups(ref: InstanceRef): UseQueryResult<ChannelOutput<'backup:list'>> {
  return useQuery({
    queryKey: backupKeys.list(ref),
    queryFn: () => callChannel('backup:list', refOf(ref)),
    staleTime: 10_000,
  });
}

function refresh(client: QueryClient, ref: InstanceRef): Promise<unknown> {
  // Every guest's panel shows the count, the guest's lock changed while it was backed up, and
  // the task list has the backup's task.
  return Promise.all([
    client.invalidateQueries({ queryKey: instanceKeys.detail(ref) }),
    client.invalidateQueries({ queryKey: instanceKeys.all }),
    client.invalidateQueries({ queryKey: quotaKeys.all }),
    client.invalidateQueries({ queryKey: taskKeys.all }),
  ]);
}

/**
 * Whether a failed backup change leaves the panel out of date. A refusal means main counted other
 * backups than the panel showed; a failed task may have left the guest locked or a partial volume
 * behind; a task still running or of unknown outcome keeps its slot held and the guest locked.
 */
export function staleAfterFailure(error: Error): boolean {
  return isApiError(
    error,
    'QUOTA_EXCEEDED',
    'QUOTA_UNDEFINED',
    'TASK_FAILED',
    'TASK_TIMEOUT',
    'OUTCOME_UNKNOWN',
    'NOT_FOUND',
    'CONFLICT',
    'LOCKED',
  );
}

async function refreshAfterFailure(
  client: QueryClient,
  ref: InstanceRef,
  error: Error,
): Promise<void> {
  if (staleAfterFailure(error)) await refresh(client, ref);
}

/** What "Back up now" sends besides the guest. */
export interface BackupVariables {
  storage: string;
  mode: BackupMode;
  notes: string;
}

/** Backs a guest up, following the task to its end. */
export function useCreateBackup(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'backup:create'>, Error, BackupVariables> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (variables: BackupVariables) =>
      callResumable('backup:create', {
        ...refOf(ref),
        storage: variables.storage,
        mode: variables.mode,
        ...(variables.notes === '' ? {} : { notes: variables.notes }),
      }),
    onSuccess: () => refresh(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}

/** Deletes one backup of a guest. */
export function useDeleteBackup(
  ref: InstanceRef,
): UseMutationResult<ChannelOutput<'backup:delete'>, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (volid: string) => callResumable('backup:delete', { ...refOf(ref), volid }),
    onSuccess: () => refresh(client, ref),
    onError: (error) => refreshAfterFailure(client, ref, error),
  });
}
