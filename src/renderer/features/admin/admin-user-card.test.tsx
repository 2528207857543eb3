import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AdminUser } from '../../../shared/quota-schemas';
import { AdminUserCard } from './admin-user-card';

/** A visible user with one cores row and the given backup count. */
function userWith(backups: AdminUser['backups'], overQuota: string[] = []): AdminUser {
  return {
    userid: 'bob@pve',
    comment: null,
    pools: ['bob'],
    visibility: 'visible',
    hiddenPools: [],
    resources: [
      { resource: 'cores', label: 'Cores', unit: 'count', used: 2, limit: 8, available: 6 },
    ],
    ...(backups === undefined ? {} : { backups }),
    overQuota,
    problems: [],
    unread: [],
  };
}

describe('AdminUserCard backups row', () => {
  it('shows the count against the limit, highlighted and listed as over when above it', () => {
    const html = renderToStaticMarkup(
      <AdminUserCard user={userWith({ used: 6, limit: 5, reason: null }, ['backups'])} />,
    );

    expect(html).toMatch(/data-testid="quota-backups" data-level="full"/);
    expect(html).toContain('6 / 5');
    expect(html).toContain('data-testid="over-quota-badge"');
    expect(html).toContain('Over: Backups</p>');
  });

  it('says the count is not known, and why, without a figure', () => {
    const reason = 'PVE cannot reach pve2, so the backups kept there cannot be read';

    const html = renderToStaticMarkup(
      <AdminUserCard user={userWith({ used: null, limit: 5, reason })} />,
    );

    expect(html).toContain('not known');
    expect(html).toContain(`data-testid="quota-backups-reason">${reason}<`);
    expect(html).not.toContain('over-quota-badge');
  });

  it('has no Backups row for a user without a backup limit', () => {
    const html = renderToStaticMarkup(<AdminUserCard user={userWith(undefined)} />);

    expect(html).toContain('data-testid="quota-cores"');
    expect(html).not.toContain('quota-backups');
  });
});
