import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { ElevatedStatus, InstalledToken } from '../../shared/elevated-schemas';
import type { Logger } from '../log/logger';
import type { PveApi } from '../pve/api';
import { routeCommits, type CommitTarget } from '../pve/commit-routing';
import type { Credentials } from '../pve/connection';
import type { KeyValueStore } from '../store/key-value-store';
import type { SecretStore } from '../store/secrets';
import { findOwnedGuest } from './ownership';
import type { QuotaService } from './quota-service';

// The lab token of each cluster: its id, who installed it and when live in the settings; its
// secret only in the secret store (the OS keychain in the app). Sessions ask here for the API
// their handlers get: with a token installed, one whose commits the token sends.

const indexKey = 'elevated.tokens';
const indexSchema = z.record(
  z.string(),
  z.object({ tokenId: z.string(), installedBy: z.string(), installedAt: z.string() }),
);

function secretName(clusterId: string): string {
  return `elevated-token ${clusterId}`;
}

/** A cluster as elevated mode knows it: its profile id (the key) and name (for people). */
export interface ClusterRef {
  id: string;
  name: string;
}

/** The signed-in session a routed API is made for. */
export interface SessionForRouting {
  /** The node the session uses now. */
  clusterUrl: string;
  userid: string;
  /** The session's own API, which every read keeps using. */
  api: PveApi;
}

/**
 * The check made with the user's own session before the token commits anything: the guest is
 * one the user's account sees in their pools, or a new guest goes into one of their pools.
 */
export function commitGuard(
  quota: QuotaService,
  userid: string,
): (target: CommitTarget, api: PveApi) => Promise<void> {
  return async (target, api) => {
    const limits = await quota.limitsFor(api, userid);
    if (target.kind === 'guest') {
      await findOwnedGuest(api, limits, target);
      return;
    }
    if (target.pool === null || !limits.pools.includes(target.pool)) {
      throw new AppError(
        'NOT_OWNED',
        `A new guest must go into one of your pools (${limits.pools.join(', ') || 'none'}), so ProxDesk will not create ${target.vmid}.`,
      );
    }
  };
}

/** Installed lab tokens, and the routed APIs built from them. */
export class ElevatedMode {
  /** Per session API: the routed API and the installation it was built for. */
  private readonly routed = new WeakMap<PveApi, { installation: string; api: PveApi }>();

  constructor(
    private readonly settings: KeyValueStore,
    private readonly secrets: SecretStore,
    private readonly guard: (
      userid: string,
    ) => (target: CommitTarget, api: PveApi) => Promise<void>,
    private readonly log: Logger,
    /**
     * The cluster a node address belongs to (its profile), so a token installed through one node
     * serves the session on every node of the cluster, also after a failover.
     */
    readonly clusterOf: (url: string) => ClusterRef = (url) => ({ id: url, name: url }),
  ) {}

  /** The token installed for a cluster, without its secret. */
  installed(clusterId: string): InstalledToken | null {
    return this.index()[clusterId] ?? null;
  }

  /** What `elevated:status` answers for a cluster. */
  status(cluster: ClusterRef): ElevatedStatus {
    return { cluster: cluster.name, token: this.installed(cluster.id) };
  }

  /** Stores a verified token; the secret store refuses when it cannot keep the secret encrypted. */
  install(
    cluster: ClusterRef,
    tokenId: string,
    secret: string,
    installedBy: string,
    now: number,
  ): void {
    try {
      this.secrets.set(secretName(cluster.id), secret);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(
        'INVALID_INPUT',
        'This computer offers no encrypted storage (OS keychain), so ProxDesk will not keep the token: elevated mode needs the keychain. Nothing was installed.',
        { fields: { secret: 'no encrypted storage on this computer' } },
      );
    }
    const entry = { tokenId, installedBy, installedAt: new Date(now).toISOString() };
    this.settings.set(indexKey, { ...this.index(), [cluster.id]: entry });
    this.log.info(`lab token ${tokenId} installed for cluster ${cluster.name} by ${installedBy}`);
  }

  /** Removes a cluster's token; changes go back to the users' own rights at once. */
  remove(cluster: ClusterRef, removedBy: string): void {
    const entry = this.installed(cluster.id);
    this.secrets.delete(secretName(cluster.id));
    const index = this.index();
    const rest = Object.fromEntries(Object.entries(index).filter(([key]) => key !== cluster.id));
    this.settings.set(indexKey, rest);
    if (entry) {
      this.log.info(
        `lab token ${entry.tokenId} removed from cluster ${cluster.name} by ${removedBy}`,
      );
    }
  }

  /**
   * The API a session's handlers get: the session's own, or with a token installed for its cluster
   * one that commits with the token. Kept per session and installation, so caches keyed by the API
   * (the user's groups, usage snapshots) keep working between calls.
   */
  apiFor(session: SessionForRouting): PveApi {
    const cluster = this.clusterOf(session.clusterUrl);
    const entry = this.installed(cluster.id);
    if (entry === null) return session.api;
    const installation = `${entry.tokenId} ${entry.installedAt}`;
    const cached = this.routed.get(session.api);
    if (cached?.installation === installation) return cached.api;

    const secret = this.secrets.get(secretName(cluster.id));
    if (secret === null) {
      // Encrypted under another OS account or keyring: unusable, so commits go as the user.
      this.log.warn(`the secret of lab token ${entry.tokenId} cannot be read on this machine`);
      return session.api;
    }
    const token: Extract<Credentials, { kind: 'token' }> = {
      kind: 'token',
      tokenId: entry.tokenId,
      secret,
    };
    const api = routeCommits(session.api, { token, allow: this.guard(session.userid) });
    this.routed.set(session.api, { installation, api });
    this.log.info(`changes of ${session.userid} are committed with lab token ${entry.tokenId}`);
    return api;
  }

  private index(): Record<string, InstalledToken> {
    const parsed = indexSchema.safeParse(this.settings.get(indexKey) ?? {});
    return parsed.success ? parsed.data : {};
  }
}
