import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BackupCount } from '../../../shared/backup-schemas';
import { BackupCountRow } from './backup-count-row';
import { quotaKeys } from './quota-queries';

/** The row as it renders with `count` already read. */
function rowWith(count: BackupCount | undefined): string {
  const client = new QueryClient({ defaultOptions: { queries: { enabled: false } } });
  if (count !== undefined) client.setQueryData(quotaKeys.backups(), count);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <BackupCountRow />
    </QueryClientProvider>,
  );
}

describe('BackupCountRow', () => {
  it('shows the backups kept against the limit as a quota row', () => {
    const html = rowWith({ used: 2, limit: 3, reason: null });

    expect(html).toContain('data-testid="quota-backups"');
    expect(html).toContain('2 / 3');
    expect(html).toContain('>66%<');
  });

  it('says the count is not known, and why', () => {
    const reason = 'PVE cannot reach pve2, so the backups kept there cannot be read';

    const html = rowWith({ used: null, limit: 3, reason });

    expect(html).toContain('not known');
    expect(html).toContain(`data-testid="quota-backups-reason">${reason}<`);
  });

  it('shows nothing when the policy does not limit backups, or before the count is read', () => {
    expect(rowWith({ used: 4, limit: null, reason: null })).toBe('');
    expect(rowWith(undefined)).toBe('');
  });
});
