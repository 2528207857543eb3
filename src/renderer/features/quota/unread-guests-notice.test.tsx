import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { countsUnread, UnreadGuestsNotice } from './unread-guests-notice';

const vm101 = { node: 'pve2', type: 'qemu', vmid: 101, reason: 'PVE cannot reach pve2' } as const;

describe('countsUnread', () => {
  it('marks every cluster-wide row, and only the rows of the nodes the guests are on', () => {
    expect(countsUnread('cores', [vm101])).toBe(true);
    expect(countsUnread('storage:local-lvm', [vm101])).toBe(true);
    expect(countsUnread('cores@pve2', [vm101])).toBe(true);
    expect(countsUnread('storage:local-lvm@pve1', [vm101])).toBe(false);
    expect(countsUnread('cores', [])).toBe(false);
  });
});

describe('UnreadGuestsNotice', () => {
  it('names each guest left out and why, and says the use may be higher', () => {
    const html = renderToStaticMarkup(
      <UnreadGuestsNotice guests={[vm101]} whose="your" testId="unread" />,
    );

    expect(html).toContain('One guest of yours could not be read and is not counted');
    expect(html).toContain('your use may be higher than shown');
    expect(html).toContain('<li>VM 101 on pve2: PVE cannot reach pve2</li>');
  });

  it('shows nothing when every guest was read', () => {
    expect(renderToStaticMarkup(<UnreadGuestsNotice guests={[]} whose="your" testId="u" />)).toBe(
      '',
    );
  });
});
