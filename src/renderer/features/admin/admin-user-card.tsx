import type { ReactNode } from 'react';
import type { AdminUser } from '../../../shared/quota-schemas';
import { Notice } from '../../components/notice';
import { BackupCountLine } from '../quota/backup-count-row';
import { QuotaRow } from '../quota/quota-row';
import { countsUnread, UnreadGuestsNotice } from '../quota/unread-guests-notice';

/** One user of the admin view: usage bars against each limit, and whether they are over. */
export function AdminUserCard({ user }: { user: AdminUser }): ReactNode {
  const over = user.overQuota.length > 0;
  return (
    <li className="card admin-user" data-testid={`admin-user-${user.userid}`}>
      <div className="card-body">
        <div className="admin-user-head">
          <h3 className="card-title">{user.userid}</h3>
          {over ? (
            <span className="badge-over" data-testid="over-quota-badge">
              over quota
            </span>
          ) : null}
          {user.comment !== null ? <span className="quota-muted">{user.comment}</span> : null}
        </div>
        <UnreadGuestsNotice
          guests={user.unread}
          whose="this user's"
          testId={`admin-user-unread-${user.userid}`}
        />
        {user.visibility === 'hidden' ? (
          <Notice testId="admin-user-hidden" small>
            <p>
              You cannot see the pool{user.hiddenPools.length === 1 ? '' : 's'}{' '}
              {user.hiddenPools.join(', ')}, so this user's usage is unknown to you (not zero).
            </p>
          </Notice>
        ) : user.resources.length === 0 && user.backups === undefined ? (
          <p className="empty">The policy sets no limits for this user.</p>
        ) : (
          <ul className="quota-list">
            {user.resources.map((resource) => (
              <QuotaRow
                key={resource.resource}
                resource={resource}
                atLeast={countsUnread(resource.resource, user.unread)}
              />
            ))}
            <BackupCountLine count={user.backups} />
          </ul>
        )}
        {over ? (
          <p className="quota-muted" data-testid="over-quota-list">
            Over:{' '}
            {[
              ...user.resources
                .filter((r) => user.overQuota.includes(r.resource))
                .map((r) => r.label),
              ...(user.overQuota.includes('backups') ? ['Backups'] : []),
            ].join(', ')}
          </p>
        ) : null}
        {user.problems.length > 0 ? (
          <p className="quota-muted">
            {user.problems.length} config value{user.problems.length === 1 ? '' : 's'} could not be
            read and {user.problems.length === 1 ? 'is' : 'are'} not counted.
          </p>
        ) : null}
      </div>
    </li>
  );
}
