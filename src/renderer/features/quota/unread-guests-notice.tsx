import type { ReactNode } from 'react';
import type { QuotaUsage } from '../../../shared/contract';
import { Notice } from '../../components/notice';

/** A guest left out of the usage because PVE could not reach its node. */
type UnreadGuest = QuotaUsage['unread'][number];

/**
 * Whether a usage row counts guests that could not be read, so its figure is only a lower bound:
 * a cluster-wide row whenever there are such guests, a node's row (`cores@pve2`) when one is on
 * that node.
 */
export function countsUnread(resource: string, unread: readonly UnreadGuest[]): boolean {
  const at = resource.lastIndexOf('@');
  if (at < 0) return unread.length > 0;
  const node = resource.slice(at + 1);
  return unread.some((guest) => guest.node === node);
}

/**
 * Says which guests the figures leave out, and why, and what that means: what is shown is a lower
 * bound, so increases wait until they can be read again, while freeing resources still goes through.
 */
export function UnreadGuestsNotice({
  guests,
  whose,
  testId,
}: {
  guests: readonly UnreadGuest[];
  /** `your` for the signed-in user, `this user's` in the admin view. */
  whose: 'your' | "this user's";
  testId: string;
}): ReactNode {
  if (guests.length === 0) return null;
  const one = guests.length === 1;
  const counted = one
    ? `One guest of ${whose === 'your' ? 'yours' : "this user's"} could not be read and is not counted`
    : `${guests.length} guests of ${whose === 'your' ? 'yours' : "this user's"} could not be read and are not counted`;
  return (
    <Notice testId={testId} small>
      <p>
        {counted}: {whose === 'your' ? 'your' : 'the'} use may be higher than shown.{' '}
        {whose === 'your'
          ? `Changes that need more quota wait until ${one ? 'it can' : 'they can'} be read; freeing resources still works.`
          : null}
      </p>
      <ul className="message-fields">
        {guests.map((guest) => (
          <li key={`${guest.type}/${guest.vmid}`}>
            {guest.type === 'qemu' ? 'VM' : 'CT'} {guest.vmid} on {guest.node}: {guest.reason}
          </li>
        ))}
      </ul>
    </Notice>
  );
}
