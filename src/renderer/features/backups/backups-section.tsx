import { useState, type ReactNode } from 'react';
import type { Backup } from '../../../shared/backup-schemas';
import type { InstanceDetail } from '../../../shared/contract';
import { formatBytes } from '../../../shared/units';
import { ErrorMessage } from '../../components/error-message';
import {
  backupBlockedReason,
  backupCountText,
  backupDateText,
  backupFileName,
} from './backup-labels';
import { useBackups } from './backup-queries';
import { CreateBackupDialog } from './create-backup-dialog';
import { DeleteBackupDialog } from './delete-backup-dialog';

type Open = { kind: 'none' } | { kind: 'create' } | { kind: 'delete'; backup: Backup };

function BackupTable({
  backups,
  complete,
  onDelete,
}: {
  backups: readonly Backup[];
  /** False when some backup storage could not be read, so "none" would not be known. */
  complete: boolean;
  onDelete: (backup: Backup) => void;
}): ReactNode {
  if (backups.length === 0) {
    return (
      <p className="empty" data-testid="backups-empty">
        {complete
          ? "This guest has no backups on its node's backup storages."
          : 'No backups of this guest on the backup storages that could be read.'}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="backups-table">
        <thead>
          <tr>
            <th scope="col">Made</th>
            <th scope="col">Storage</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Notes</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {backups.map((backup) => (
            <tr key={backup.volid} data-testid="backup-row" title={backupFileName(backup.volid)}>
              <td>{backupDateText(backup.createdAtMs)}</td>
              <td className="mono">{backup.storage}</td>
              <td className="numeric">{formatBytes(backup.sizeBytes)}</td>
              <td>
                {backup.notes ?? <span className="muted">—</span>}
                {backup.protected ? (
                  <>
                    {' '}
                    <span className="badge" data-testid="backup-protected">
                      Protected
                    </span>
                  </>
                ) : null}
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-small button-quiet"
                  data-testid="backup-delete"
                  disabled={backup.protected}
                  title={
                    backup.protected
                      ? 'Protected in PVE; remove the protection there first'
                      : undefined
                  }
                  onClick={() => onDelete(backup)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A guest's backups, with "Back up now" and deleting, within the user's backup count. */
export function BackupsSection({ detail }: { detail: InstanceDetail }): ReactNode {
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const list = useBackups(detail);
  const close = (): void => setOpen({ kind: 'none' });
  // A used-up count still opens the dialog, which says what to delete; a count that cannot be
  // read holds the button back here, as main would refuse any backup under a limit.
  const count = list.isSuccess ? list.data.count : null;
  const uncounted = count !== null && count.used === null ? backupBlockedReason(count) : null;
  const blocked = detail.lock !== null ? `Locked (${detail.lock})` : uncounted;

  return (
    <>
      <h3 className="section-title" data-testid="backups-section">
        Backups
      </h3>
      {list.isError ? (
        <ErrorMessage
          error={list.error}
          title="The backups could not be read"
          onRetry={() => void list.refetch()}
          testId="backups-error"
        />
      ) : list.isPending ? (
        <p className="muted">Reading the backups…</p>
      ) : (
        <>
          <p className="muted" data-testid="backups-count">
            {backupCountText(list.data.count)}
          </p>
          <BackupTable
            backups={list.data.backups}
            complete={list.data.count.reason === null}
            onDelete={(backup) => setOpen({ kind: 'delete', backup })}
          />
        </>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-small"
          data-testid="backup-now"
          disabled={blocked !== null || !list.isSuccess}
          title={blocked ?? undefined}
          onClick={() => setOpen({ kind: 'create' })}
        >
          Back up now…
        </button>
      </div>
      {open.kind === 'create' && list.isSuccess ? (
        <CreateBackupDialog instance={detail} list={list.data} onClose={close} />
      ) : null}
      {open.kind === 'delete' ? (
        <DeleteBackupDialog instance={detail} backup={open.backup} onClose={close} />
      ) : null}
    </>
  );
}
