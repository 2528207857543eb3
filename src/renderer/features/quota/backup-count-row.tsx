import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { BackupCount } from '../../../shared/backup-schemas';
import { backupCountQuery } from './quota-queries';
import { QuotaRow } from './quota-row';

/**
 * A Backups line drawn from a backup count: kept (and being made) against the limit, or that the
 * count is not known and why. Nothing without a count or when the policy sets no backup limit.
 * The quota panel and the admin view's user cards both draw theirs with it.
 */
export function BackupCountLine({ count }: { count: BackupCount | undefined }): ReactNode {
  if (count === undefined || count.limit === null) return null;
  if (count.used === null) {
    return (
      <li className="quota-row" data-testid="quota-backups" data-level="none">
        <div className="quota-row-head">
          <span className="quota-label">Backups</span>
          <span className="quota-figures quota-muted">not known</span>
        </div>
        <p className="quota-muted" data-testid="quota-backups-reason">
          {count.reason}
        </p>
      </li>
    );
  }
  return (
    <QuotaRow
      resource={{
        resource: 'backups',
        label: 'Backups',
        unit: 'count',
        used: count.used,
        limit: count.limit,
        available: Math.max(0, count.limit - count.used),
      }}
    />
  );
}

/**
 * The Backups line of the quota panel, when the policy limits backups. Nothing while the count is
 * read or when reading it fails: the guest's Backups panel and the Back up dialog say more.
 */
export function BackupCountRow(): ReactNode {
  const count = useQuery(backupCountQuery());
  return <BackupCountLine count={count.data} />;
}
