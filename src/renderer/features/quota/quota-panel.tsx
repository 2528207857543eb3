import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Notice } from '../../components/notice';
import { Loading } from '../../components/spinner';
import { BackupCountRow } from './backup-count-row';
import { quotaUsageQuery } from './quota-queries';
import { QuotaRow } from './quota-row';
import { countsUnread, UnreadGuestsNotice } from './unread-guests-notice';

/** The signed-in user's usage of every resource the policy limits. */
export function QuotaPanel(): ReactNode {
  const usage = useQuery(quotaUsageQuery());

  return (
    <section className="card" aria-labelledby="quota-title" data-testid="quota-panel">
      <header className="card-header">
        <h2 id="quota-title" className="card-title">
          Quota
        </h2>
        {usage.isFetching && !usage.isPending ? <span className="card-hint">Updating…</span> : null}
      </header>
      <div className="card-body">
        {usage.isPending ? <Loading>Working out your usage…</Loading> : null}
        {usage.isError ? (
          <ErrorMessage
            error={usage.error}
            title="Could not work out your usage"
            onRetry={() => void usage.refetch()}
            testId="quota-error"
          />
        ) : null}
        {usage.data ? (
          <UnreadGuestsNotice guests={usage.data.unread} whose="your" testId="quota-unread" />
        ) : null}
        {usage.data ? (
          usage.data.resources.length === 0 ? (
            <p className="empty">Your quota policy sets no limits.</p>
          ) : (
            <ul className="quota-list">
              {usage.data.resources.map((resource) => (
                <QuotaRow
                  key={resource.resource}
                  resource={resource}
                  atLeast={countsUnread(resource.resource, usage.data.unread)}
                />
              ))}
              <BackupCountRow />
            </ul>
          )
        ) : null}
        {usage.data && usage.data.problems.length > 0 ? (
          <Notice testId="quota-problems" small>
            <p>
              {usage.data.problems.length === 1
                ? 'One config value could not be read and is not counted:'
                : `${usage.data.problems.length} config values could not be read and are not counted:`}
            </p>
            <ul className="message-fields">
              {usage.data.problems.map((problem) => (
                <li key={`${problem.vmid}/${problem.key}`}>
                  {problem.vmid} <code>{problem.key}</code>: {problem.reason}
                </li>
              ))}
            </ul>
          </Notice>
        ) : null}
      </div>
    </section>
  );
}
