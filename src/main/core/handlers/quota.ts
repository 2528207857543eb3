import { describeUsage, usageWithPending } from '../../quota/approve';
import type { HandlerGroup } from '../context';

/** The user's usage against the policy. */
export const quotaHandlers: HandlerGroup<'quota:usage'> = {
  'quota:usage': async (_input, { sessions, quota, reservations }) => {
    const { api, userid } = await sessions.api();
    // Changes approved but still running count as used, as they do when pricing. Pending is read
    // before the cluster, so a change that finishes during the read is counted at least once.
    const pending = reservations.pending(userid);
    const snapshot = await quota.snapshot(api, userid);
    const usage = usageWithPending(snapshot.usage, pending);
    return {
      userid,
      resources: describeUsage(snapshot.limits, usage),
      problems: usage.problems,
    };
  },
};
