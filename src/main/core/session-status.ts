import type { SignedInStatus } from '../../shared/contract';
import type { PveApi } from '../pve/api';
import { ticketLifetimeMs, type Ticket } from '../pve/auth';
import type { ClusterConnection, NodeSwitch } from '../pve/cluster-connection';

/** The signed-in session: its credentials, its API and the cluster connection under it. */
export type ActiveSession = (
  | {
      via: 'ticket';
      holder: { ticket: Ticket };
      /** The user ticked "Stay signed in" and the ticket is kept in the secret store. */
      kept: boolean;
      /** The renewal in flight, shared by every caller that needs it. */
      renewal: Promise<void> | null;
    }
  | { via: 'token'; userid: string; tokenId: string }
) & {
  /** The node in use; it changes when the session moves to another node of the profile. */
  clusterUrl: string;
  api: PveApi;
  cluster: ClusterConnection;
  /** The cluster profile the session belongs to; it stays the same across failovers. */
  profile: { id: string; name: string };
  /** The last move to another node during this session, for the notice the renderer shows. */
  failover: NodeSwitch | null;
};

/** What the renderer is told about a session: never a ticket or a token. */
export function signedInStatus(active: ActiveSession): SignedInStatus {
  const node = active.cluster.baseUrl;
  const common = {
    signedIn: true as const,
    clusterUrl: node,
    ...(active.failover === null ? {} : { failover: describeSwitch(active.failover) }),
  };
  if (active.via === 'token') {
    return { ...common, userid: active.userid, via: 'token', expiresAt: null };
  }
  return {
    ...common,
    userid: active.holder.ticket.userid,
    via: 'ticket',
    expiresAt: new Date(active.holder.ticket.issuedAt + ticketLifetimeMs).toISOString(),
    ...(active.kept ? { staySignedIn: true } : {}),
  };
}

function describeSwitch(change: NodeSwitch): NonNullable<SignedInStatus['failover']> {
  return {
    from: change.from,
    to: change.to,
    reason: change.reason,
    verifiedBy: change.verifiedBy,
    at: new Date(change.atMs).toISOString(),
  };
}
