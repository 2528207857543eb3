import { AppError } from '../../../shared/errors';
import { backupSlotsOf } from '../backup-slots';
import type { HandlerGroup } from '../context';
import { adminOverview } from '../quota-admin';

/** The admin view and policy import, for users the policy marks as `admin`. */
export const quotaAdminHandlers: HandlerGroup<'quota:admin' | 'policy:import'> = {
  'quota:admin': async (_input, { sessions, quota, reservations }) => {
    const { api, userid } = await sessions.api();
    requireAdmin((await quota.limitsFor(api, userid)).admin, userid);
    const policy = quota.currentPolicy();
    if (policy === null) throw new AppError('POLICY_INVALID', 'No quota policy is installed.');
    const slots = backupSlotsOf(reservations);
    return adminOverview(api, quota, policy, (user) => reservations.pending(user), slots);
  },

  'policy:import': async (input, { sessions, quota, log }) => {
    const { api, userid } = await sessions.api();
    // With no policy in force nobody is an admin yet, so any signed-in user may install the
    // first one; the policy file is on this machine, where that user could write it anyway.
    if (quota.currentPolicy() !== null) {
      requireAdmin((await quota.limitsFor(api, userid)).admin, userid);
    }
    const { policy, savedTo } = quota.importPolicy(input.text);
    log.info(`quota policy imported by ${userid}`);
    return {
      users: Object.keys(policy.users).sort(),
      groups: Object.keys(policy.groups).sort(),
      pools: Object.keys(policy.pools).sort(),
      savedTo,
    };
  },
};

function requireAdmin(admin: boolean, userid: string): void {
  if (!admin) {
    throw new AppError(
      'NOT_ADMIN',
      `The quota policy does not make ${userid} an admin, so the admin view and policy import are not available.`,
    );
  }
}
