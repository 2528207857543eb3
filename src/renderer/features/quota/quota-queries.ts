import { queryOptions } from '@tanstack/react-query';
import { callChannel } from '../../api';
import type { AppQueryOptions } from '../../query-types';
import type { BackupCount } from '../../../shared/backup-schemas';
import type { QuotaUsage } from '../../../shared/contract';
import type { QuotaChange, QuotaPreview } from '../../../shared/quota-schemas';

/** Query keys for quota usage and previews. */
export const quotaKeys = {
  all: ['quota'] as const,
  usage: () => [...quotaKeys.all, 'usage'] as const,
  backups: () => [...quotaKeys.all, 'backups'] as const,
  previews: () => [...quotaKeys.all, 'preview'] as const,
  preview: (change: QuotaChange) => [...quotaKeys.previews(), change] as const,
};

/** The signed-in user's usage against every limit of the policy. */
export function quotaUsageQuery(): AppQueryOptions<QuotaUsage, ReturnType<typeof quotaKeys.usage>> {
  return queryOptions({
    queryKey: quotaKeys.usage(),
    queryFn: () => callChannel('quota:usage'),
    staleTime: 30_000,
  });
}

/**
 * The user's backups against the backup limit. Read apart from the usage: counting them lists the
 * backup storages, which the usage does not need. Under `quotaKeys.all`, so every change that
 * refreshes the quota refreshes the count too.
 */
export function backupCountQuery(): AppQueryOptions<
  BackupCount,
  ReturnType<typeof quotaKeys.backups>
> {
  return queryOptions({
    queryKey: quotaKeys.backups(),
    queryFn: () => callChannel('backup:count'),
    staleTime: 30_000,
  });
}

/** What a proposed change would cost and leave, priced by main exactly as the change will be. */
export function quotaPreviewQuery(
  change: QuotaChange,
): AppQueryOptions<QuotaPreview, ReturnType<typeof quotaKeys.preview>> {
  return queryOptions({
    queryKey: quotaKeys.preview(change),
    queryFn: () => callChannel('quota:preview', change),
    // Usage moves on; a preview older than this is asked again rather than trusted.
    staleTime: 5_000,
  });
}
