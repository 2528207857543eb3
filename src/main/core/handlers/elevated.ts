import { AppError } from '../../../shared/errors';
import type { PveApi } from '../../pve/api';
import type { CoreContext, HandlerGroup } from '../context';
import type { ClusterRef } from '../elevated-mode';
import { verifyCommitToken } from '../elevated-verify';

/** The cluster the signed-in session is on. */
function signedInCluster(context: CoreContext): ClusterRef {
  const status = context.sessions.status();
  if (!status.signedIn) throw new AppError('NOT_SIGNED_IN', 'Sign in to the cluster first.');
  return context.elevated.clusterOf(status.clusterUrl);
}

/** The signed-in user's cluster, API and id; throws unless the policy makes them an admin. */
async function requireLabAdmin(
  context: CoreContext,
): Promise<{ cluster: ClusterRef; api: PveApi; userid: string }> {
  const { api, userid } = await context.sessions.api();
  const cluster = signedInCluster(context);
  if (!(await context.quota.limitsFor(api, userid)).admin) {
    throw new AppError(
      'NOT_ADMIN',
      `The quota policy does not make ${userid} an admin, so ${userid} cannot install or remove the lab token.`,
    );
  }
  return { cluster, api, userid };
}

/** Elevated mode: which lab token commits approved changes, and installing or removing it. */
export const elevatedHandlers: HandlerGroup<
  'elevated:status' | 'elevated:install' | 'elevated:remove'
> = {
  'elevated:status': async (_input, context) => {
    await context.sessions.api();
    return context.elevated.status(signedInCluster(context));
  },

  'elevated:install': async (input, context) => {
    const { cluster, api, userid } = await requireLabAdmin(context);
    const policy = context.quota.currentPolicy();
    if (policy === null) throw new AppError('POLICY_INVALID', 'No quota policy is installed.');
    // The token is checked over the session's own connection, pinned to the cluster's certificate.
    const token = { kind: 'token', tokenId: input.tokenId, secret: input.secret } as const;
    await verifyCommitToken(api.connection, token, policy);
    context.elevated.install(cluster, input.tokenId, input.secret, userid, context.now());
    return context.elevated.status(cluster);
  },

  'elevated:remove': async (_input, context) => {
    const { cluster, userid } = await requireLabAdmin(context);
    context.elevated.remove(cluster, userid);
    return context.elevated.status(cluster);
  },
};
