import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/spinner';
import { quotaAdminQuery } from './admin-queries';
import { AdminUserCard } from './admin-user-card';
import { ElevatedTokenPanel } from './elevated-token-panel';
import { PolicyImportForm } from './policy-import-form';

/** The admin view: every user the policy names with their usage, and the policy import. */
export function AdminView({ onClose }: { onClose: () => void }): ReactNode {
  const overview = useQuery(quotaAdminQuery());
  const overCount = overview.data?.users.filter((u) => u.overQuota.length > 0).length ?? 0;
  // Users with guests that could not be read may be over without it showing.
  const partlyRead = overview.data?.users.filter((u) => u.unread.length > 0).length ?? 0;
  const overText = overCount === 0 ? 'nobody over quota' : `${overCount} over quota`;

  return (
    <main className="workspace" data-testid="admin-view">
      <div className="workspace-main">
        <section className="card" aria-labelledby="admin-title">
          <header className="card-header">
            <h2 id="admin-title" className="card-title">
              Users and quotas
            </h2>
            {overview.data ? (
              <span className="card-hint" data-testid="admin-over-count">
                {partlyRead === 0
                  ? overText
                  : `${overText} in what could be read; ${partlyRead} ${partlyRead === 1 ? 'user has' : 'users have'} guests not counted`}
              </span>
            ) : null}
            <button type="button" className="button button-small" onClick={onClose}>
              Back
            </button>
          </header>
          <div className="card-body">
            {overview.isPending ? <Loading>Reading every user's usage…</Loading> : null}
            {overview.isError ? (
              <ErrorMessage
                error={overview.error}
                title="Could not read the users' usage"
                onRetry={() => void overview.refetch()}
                testId="admin-error"
              />
            ) : null}
            {overview.data ? (
              <ul className="quota-list" data-testid="admin-users">
                {overview.data.users.map((user) => (
                  <AdminUserCard key={user.userid} user={user} />
                ))}
              </ul>
            ) : null}
          </div>
        </section>
      </div>
      <aside className="workspace-side" aria-label="Policy">
        <PolicyImportForm />
        <ElevatedTokenPanel />
      </aside>
    </main>
  );
}
