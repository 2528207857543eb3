import type { AdminUser, QuotaAdmin } from '../../shared/quota-schemas';
import type { PveApi } from '../pve/api';
import { describeUsage, overQuota, usageWithPending, type ResourceDelta } from '../quota/approve';
import { own } from '../quota/limits';
import { resolveUserLimits, type Policy } from '../quota/policy';
import { computeUsage } from '../quota/usage';
import { isGuestRow } from './ownership';
import type { QuotaService } from './quota-service';

// The admin view: every user the policy names, and every user PVE lists as a member of a group the
// policy names, with usage against limits, computed from what the signed-in account can see of the
// cluster. PVE lists other users (with their groups) only to an account holding User.Modify or
// Sys.Audit on their groups; without that, group entries reach no one but the policy's own users. A user with a pool the account cannot see (PVE lists
// a pool only with Pool.Audit on it) is reported as hidden rather than as using nothing, since
// their guests would simply be missing from the count.

/** Reads the cluster once and describes each user the policy names or a policy group holds. */
export async function adminOverview(
  api: PveApi,
  quota: QuotaService,
  policy: Policy,
  pending: (userid: string) => ResourceDelta[],
): Promise<QuotaAdmin> {
  const [rows, listed] = await Promise.all([api.resources(), api.users()]);
  const groupsOf = new Map(listed.map((user) => [user.userid, user.groups]));
  const members = listed
    .filter((user) => user.groups.some((group) => own(policy.groups, group) !== undefined))
    .map((user) => user.userid);
  const visiblePools = new Set(
    rows.filter((row) => row.type === 'pool' && row.pool !== undefined).map((row) => row.pool),
  );
  const users = [...new Set([...Object.keys(policy.users), ...members])]
    .sort()
    .flatMap((userid) => {
      const limits = resolveUserLimits(policy, userid, groupsOf.get(userid) ?? []);
      return limits === null ? [] : [limits];
    });
  const hidden = new Map(
    users.map((limits) => [limits.userid, limits.pools.filter((pool) => !visiblePools.has(pool))]),
  );
  const counted = new Set(
    users.filter((limits) => hidden.get(limits.userid)?.length === 0).flatMap((l) => l.pools),
  );

  const wanted = rows
    .filter(isGuestRow)
    .filter((row) => row.pool !== undefined && counted.has(row.pool))
    .map((resource) => ({
      node: resource.node,
      type: resource.type,
      vmid: resource.vmid,
      pool: resource.pool ?? null,
      hostCores: resource.maxcpu,
      resource,
    }));
  // An admin who may not list a storage still sees every other figure; those volumes are
  // reported as problems of unknown size.
  const { read: guests, unread, sizes } = await quota.readGuests(api, wanted, { skipDenied: true });

  return {
    users: users.map((limits): AdminUser => {
      const entry = own(policy.users, limits.userid);
      const hiddenPools = hidden.get(limits.userid) ?? [];
      const base = {
        userid: limits.userid,
        comment: entry?.comment ?? null,
        pools: limits.pools,
        hiddenPools,
      };
      if (hiddenPools.length > 0) {
        const empty = { resources: [], overQuota: [], problems: [], unread: [] };
        return { ...base, visibility: 'hidden', ...empty };
      }
      const usage = usageWithPending(
        computeUsage(limits, guests, (volume) => sizes.get(volume), unread),
        pending(limits.userid),
      );
      const resources = describeUsage(limits, usage);
      return {
        ...base,
        visibility: 'visible',
        resources,
        overQuota: overQuota(resources),
        problems: usage.problems,
        unread: usage.unread.map(({ node, type, vmid, reason }) => ({ node, type, vmid, reason })),
      };
    }),
  };
}
