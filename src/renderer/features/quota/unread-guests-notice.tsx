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

/** The nodes the guests are on, once each, in the order met. */
function nodesOf(guests: readonly UnreadGuest[]): string {
  return [...new Set(guests.map((guest) => guest.node))].join(', ');
}

/**
 * Says which guests the figures leave out and what that means: what is shown is a lower bound,
 * so increases wait until PVE reaches the node again, while freeing resources still goes through.
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
  return (
    <Notice testId={testId} small>
      <p>
        PVE cannot reach {nodesOf(guests)}, so {one ? 'one guest' : `${guests.length} guests`} of{' '}
        {whose === 'your' ? 'yours' : "this user's"} could not be read and {one ? 'is' : 'are'} not
        counted: {whose === 'your' ? 'your' : 'the'} use may be higher than shown.{' '}
        {whose === 'your'
          ? 'Changes that need more quota wait until the node is back; freeing resources still works.'
          : null}
      </p>
      <ul className="message-fields">
        {guests.map((guest) => (
          <li key={`${guest.type}/${guest.vmid}`}>
            {guest.type === 'qemu' ? 'VM' : 'CT'} {guest.vmid} on {guest.node}
          </li>
        ))}
      </ul>
    </Notice>
  );
}
