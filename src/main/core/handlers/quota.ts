import { describeUsage, usageWithPending } from '../../quota/approve';
import type { HandlerGroup } from '../context';
import { plannerFor, planningSetting, priceOnSnapshot } from '../pricing';

/** The user's usage against the policy, and the price of a change before it is made. */
export const quotaHandlers: HandlerGroup<'quota:usage' | 'quota:preview'> = {
  'quota:usage': async (_input, { sessions, quota, reservations }) => {
    const { api, userid } = await sessions.api();
    // Changes approved but still running count as used, as they do when pricing. Pending is read
    // before the cluster, so a change that finishes during the read is counted at least once.
    const pending = reservations.pending(userid);
    // Shown usage is always live, so changes made around ProxDesk show up at once.
    const snapshot = await quota.snapshot(api, userid, { fresh: true });
    const usage = usageWithPending(snapshot.usage, pending);
    return {
      userid,
      admin: snapshot.limits.admin,
      resources: describeUsage(snapshot.limits, usage),
      problems: usage.problems,
      unread: usage.unread.map(({ node, type, vmid, reason }) => ({ node, type, vmid, reason })),
    };
  },

  'quota:preview': async (change, context) => {
    const { sessions, quota, reservations } = context;
    // The operation's own planner: input it would refuse is refused here, before any read. It
    // takes no claim (a new guest's id, a backup's slot): only the operation does.
    const planner = plannerFor(change, planningSetting(context));
    const { api, userid } = await sessions.api();
    // Priced exactly as the operation will be, pending reservations included, but nothing is
    // reserved: the operation prices again under the user's lock when the user confirms.
    const pending = reservations.pending(userid);
    const snapshot = await quota.snapshot(api, userid);
    const { decision } = await priceOnSnapshot({ api, quota, snapshot, pending }, planner);
    return { approved: decision.approved, items: decision.items };
  },
};
