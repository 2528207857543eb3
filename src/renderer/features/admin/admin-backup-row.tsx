import type { ReactNode } from 'react';
import type { BackupCount } from '../../../shared/backup-schemas';
import { QuotaRow } from '../quota/quota-row';

/**
 * The Backups line of a user in the admin view, drawn as the quota panel draws its own: kept
 * (and being made) against the limit, or that the count is not known and why. Nothing when the
 * policy sets no backup limit.
 */
export function AdminBackupRow({ count }: { count: BackupCount | undefined }): ReactNode {
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
