import type { BackupCount } from '../../shared/backup-schemas';
import type { AdminUser, QuotaAdmin } from '../../shared/quota-schemas';
import type { PveApi } from '../pve/api';
import { describeUsage, overQuota, usageWithPending, type ResourceDelta } from '../quota/approve';
import { own } from '../quota/limits';
import { resolveUserLimits, type Policy } from '../quota/policy';
import { computeUsage } from '../quota/usage';
import { adminBackupCount, readAdminBackupSight } from './admin-backups';
import type { BackupSlots } from './backup-slots';
import { isGuestRow } from './ownership';
import type { QuotaService } from './quota-service';

// The admin view: every user the policy names, and every user PVE lists as a member of a group the
// policy names, with usage against limits, computed from what the signed-in account can see of the
// cluster. PVE lists other users (with their groups) only to an account holding User.Modify or
// Sys.Audit on their groups; without that, group entries reach no one but the policy's own users. A user with a pool the account cannot see (PVE lists
// a pool only with Pool.Audit on it) is reported as hidden rather than as using nothing, since
// their guests would simply be missing from the count.

/** Whether a counted number of backups is above its limit, like a resource over quota. */
function isOverLimit(count: BackupCount): boolean {
  return count.used !== null && count.limit !== null && count.used > count.limit;
}

/** Reads the cluster once and describes each user the policy names or a policy group holds. */
export async function adminOverview(
  api: PveApi,
  quota: QuotaService,
  policy: Policy,
  pending: (userid: string) => ResourceDelta[],
  backupSlots: BackupSlots,
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
  // The backup storages of the nodes of the guests whose backups count are listed alongside.
  const backupPools = new Set(
    users
      .filter((limits) => limits.backups.max !== null && hidden.get(limits.userid)?.length === 0)
      .flatMap((limits) => limits.pools),
  );
  const backupRows = wanted.filter((row) => row.pool !== null && backupPools.has(row.pool));
  // An admin who may not list a storage still sees every other figure; those volumes are
  // reported as problems of unknown size.
  const [{ read: guests, unread, sizes }, backupSight] = await Promise.all([
    quota.readGuests(api, wanted, { skipDenied: true }),
    readAdminBackupSight(
      api,
      backupRows.map((row) => row.node),
    ),
  ]);

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
      const backupLimit = limits.backups.max;
      const backups =
        backupLimit === null
          ? undefined
          : adminBackupCount(
              backupSight,
              {
                userid: limits.userid,
                limit: backupLimit,
                guests: guests.filter((g) => g.pool !== null && limits.pools.includes(g.pool)),
                unread: usage.unread,
              },
              backupSlots,
            );
      const overBackups = backups !== undefined && isOverLimit(backups) ? ['backups'] : [];
      return {
        ...base,
        visibility: 'visible',
        resources,
        ...(backups === undefined ? {} : { backups }),
        overQuota: [...overQuota(resources), ...overBackups],
        problems: usage.problems,
        unread: usage.unread.map(({ node, type, vmid, reason }) => ({ node, type, vmid, reason })),
      };
    }),
  };
}
