import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { backupCountQuery } from './quota-queries';
import { QuotaRow } from './quota-row';

/**
 * The Backups line of the quota panel, when the policy limits backups: kept (and being made)
 * against the limit, or why the count is not known. Nothing while it is read or when it fails:
 * the guest's Backups panel and the Back up dialog say more.
 */
export function BackupCountRow(): ReactNode {
  const count = useQuery(backupCountQuery());
  const data = count.data;
  if (data === undefined || data.limit === null) return null;
  if (data.used === null) {
    return (
      <li className="quota-row" data-testid="quota-backups" data-level="none">
        <div className="quota-row-head">
          <span className="quota-label">Backups</span>
          <span className="quota-figures quota-muted">not known</span>
        </div>
        <p className="quota-muted" data-testid="quota-backups-reason">
          {data.reason}
        </p>
      </li>
    );
  }
  const available = Math.max(0, data.limit - data.used);
  return (
    <QuotaRow
      resource={{
        resource: 'backups',
        label: 'Backups',
        unit: 'count',
        used: data.used,
        limit: data.limit,
        available,
      }}
    />
  );
}
