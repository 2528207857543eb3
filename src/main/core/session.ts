import { AppError } from '../../shared/errors';
import type { LoginResult, SessionStatus, SignedInStatus } from '../../shared/contract';
import type { Logger } from '../log/logger';
import { PveApi } from '../pve/api';
import { requestTicket, ticketLifetimeMs, type Ticket } from '../pve/auth';
import type { NodeSwitch } from '../pve/cluster-connection';
import type { Credentials, PveConnection } from '../pve/connection';
import type { SecondFactorMethod } from '../pve/tfa';
import { tokenOwner } from '../pve/token-auth';
import type { ClusterProfiles } from '../store/cluster-profiles';
import type { TrustStore } from '../store/trust-store';
import { openClusterSession } from './cluster-session';
import { NodeConnections } from './node-connections';
import type { KeptTickets } from './kept-ticket';
import type { RememberedTokens } from './remembered-tokens';
import { timerScheduler, type Scheduler } from './scheduler';
import { SecondFactorAttempt } from './second-factor-attempt';
import { KeptSignInRestore } from './session-restore';
import { signedInStatus, type ActiveSession } from './session-status';
import { renewOrExpire } from './ticket-renewal';
import { checkTokenSignIn } from './token-sign-in';

/** The timer renews a ticket this long after it was issued, well before its two hours are up. */
export const renewAfterMs = 90 * 60 * 1000;

/** What the session manager needs from the core. */
export interface SessionDeps {
  trust: TrustStore;
  /** The cluster profiles: which nodes a session may fail over to. */
  profiles: ClusterProfiles;
  tokens: RememberedTokens;
  /** The ticket kept for "Stay signed in", restored at start. */
  kept: KeptTickets;
  log: Logger;
  now: () => number;
  requestTimeoutMs: number;
  onChange: (status: SessionStatus) => void;
  /**
   * The API handlers get for a signed-in session; elevated mode returns one that commits approved
   * changes with the lab's token. Without it, the session's own API.
   */
  routeApi?: (session: { clusterUrl: string; userid: string; api: PveApi }) => PveApi;
  /** Runs the renewal timer; tests pass one they drive by hand. */
  schedule?: Scheduler;
}

/**
 * Holds the one PVE session of this window set: connections per node address (each pinned to its
 * certificate), the ticket and CSRF token or the API token, and a sign-in attempt waiting for its
 * second factor. Nothing here ever crosses IPC but the statuses.
 */
export class SessionManager {
  private active: ActiveSession | null = null;
  private readonly attempt: SecondFactorAttempt;
  private readonly nodes: NodeConnections;
  private cancelTimer: (() => void) | null = null;
  private readonly schedule: Scheduler;
  /** Whether the sign-in waiting for its second factor is to be kept ("Stay signed in"). */
  private attemptKeeps = false;
  /** The restore of the kept sign-in, awaited by anyone who asks who is signed in. */
  private readonly restore: KeptSignInRestore;
  /** Counts sign-ins, sign-outs and closes, so a restore that finishes after one is dropped. */
  private generation = 0;

  constructor(private readonly deps: SessionDeps) {
    this.schedule = deps.schedule ?? timerScheduler;
    this.attempt = new SecondFactorAttempt(deps.now);
    this.nodes = new NodeConnections(deps);
    this.restore = new KeptSignInRestore({
      kept: deps.kept,
      log: deps.log,
      now: deps.now,
      generation: () => this.generation,
      open: (clusterUrl, ticket) => this.openTicketSession(clusterUrl, ticket),
      activate: (session) => {
        this.activate(session, true);
      },
    });
  }

  /** A connection to a node whose certificate the user has pinned, or whose root CA is trusted. */
  connection(url: string): PveConnection {
    return this.nodes.get(url).connection;
  }

  /**
   * The trust of a node address changed: signs out a session on it, drops any sign-in waiting
   * for its second factor (it may hold that connection) and closes the connection, so nothing
   * keeps talking on the old trust.
   */
  async trustChanged(url: string): Promise<void> {
    this.attempt.clear();
    // A restore still renewing over the old trust must not sign anyone in.
    this.generation += 1;
    if (this.active?.clusterUrl === url) {
      this.deps.log.info(`signed out ${this.describe(this.active)}: the trust of ${url} changed`);
      this.active = null;
      this.deps.kept.forget();
      this.stopTimer();
      this.deps.onChange(this.status());
    }
    await this.nodes.drop(url);
  }

  /** An API without credentials, for the sign-in form. */
  anonymousApi(url: string): PveApi {
    return new PveApi(this.connection(url), () => null);
  }

  /** The password step: signs in, or keeps PVE's challenge and asks for the second factor. */
  async login(input: {
    url: string;
    realm: string;
    username: string;
    password: string;
    staySignedIn: boolean;
  }): Promise<LoginResult> {
    // Refused before the password is sent, so the user can untick the box and sign in at once.
    if (input.staySignedIn) this.deps.kept.requireAvailable();
    const connection = this.connection(input.url);
    // A new attempt replaces any earlier one, and the session it would replace.
    this.attempt.clear();
    this.endSession();
    const step = await requestTicket(connection, input, this.deps.now);
    if (step.kind === 'ticket') {
      return this.startTicketSession(input.url, step.ticket, input.staySignedIn);
    }
    // The partial ticket is never kept: only the ticket the second factor completes may be.
    this.attemptKeeps = input.staySignedIn;
    this.deps.log.info(`${step.challenge.userid} needs a second factor`);
    return {
      signedIn: false,
      secondFactor: this.attempt.start(input.url, connection, step.challenge),
    };
  }

  /** The second step of the attempt the last password step started. */
  async secondFactor(input: { method: SecondFactorMethod; code: string }): Promise<SignedInStatus> {
    const done = await this.attempt.answer(input);
    return this.startTicketSession(done.clusterUrl, done.ticket, this.attemptKeeps);
  }

  /** Signs in with an API token; a wrong secret is refused before anything is stored. */
  async loginWithToken(input: {
    url: string;
    tokenId: string;
    secret?: string | undefined;
    remember: boolean;
  }): Promise<SignedInStatus> {
    const connection = this.connection(input.url);
    this.attempt.clear();
    this.endSession();
    const credentials = await checkTokenSignIn(connection, this.deps.tokens, input);
    this.stopTimer();
    const userid = tokenOwner(input.tokenId);
    const { cluster, profile } = openClusterSession(this.clusterDeps(), input.url, (change) =>
      this.moved(active, change),
    );
    const active: ActiveSession = {
      via: 'token',
      clusterUrl: input.url,
      userid,
      tokenId: input.tokenId,
      api: new PveApi(cluster, () => credentials),
      cluster,
      profile,
      failover: null,
    };
    this.active = active;
    this.deps.log.info(`signed in with API token ${input.tokenId} to ${input.url}`);
    return this.announce(active);
  }

  /** Forgets the session and any sign-in attempt waiting for its second factor. */
  logout(): SessionStatus {
    if (this.active) this.deps.log.info(`signed out ${this.describe(this.active)}`);
    this.active = null;
    this.generation += 1;
    this.restore.clearFailure();
    this.deps.kept.forget();
    this.attempt.clear();
    this.stopTimer();
    const status = this.status();
    this.deps.onChange(status);
    return status;
  }

  /** Who is signed in, until when. */
  status(): SessionStatus {
    if (this.active) return signedInStatus(this.active);
    const restoreFailed = this.restore.failure();
    return restoreFailed ? { signedIn: false, restoreFailed } : { signedIn: false };
  }

  /** Settles once the kept sign-in found at start has been restored or dropped. */
  async restored(): Promise<void> {
    await this.restore.settled();
  }

  /**
   * Restores the sign-in kept by "Stay signed in" (see session-restore.ts): a ticket too old,
   * unreadable or refused is deleted; one the cluster could not be reached for stays kept.
   * Never rejects.
   */
  restoreKept(): Promise<void> {
    return this.restore.run();
  }

  /** Restores the kept sign-in again unless someone is signed in, and says who is now. */
  async retryRestore(): Promise<SessionStatus> {
    if (this.active === null) await this.restore.run();
    return this.status();
  }

  /**
   * The signed-in user's API, renewing the ticket first when it is close to expiry, with the
   * cluster profile the session is on (the same across failovers).
   */
  async api(): Promise<{ api: PveApi; userid: string; clusterId: string }> {
    await this.restore.settled();
    const active = this.active;
    if (!active) throw new AppError('NOT_SIGNED_IN', 'Sign in to the cluster first.');
    if (active.via === 'token') return this.handed(active, active.userid);
    const age = this.deps.now() - active.holder.ticket.issuedAt;
    if (age >= ticketLifetimeMs) {
      this.expire();
      throw new AppError('SESSION_EXPIRED', 'Your PVE session has expired. Sign in again.');
    }
    // Normally the timer has renewed already; this covers a timer that could not run (sleep).
    if (age >= renewAfterMs) await this.renew(active);
    return this.handed(active, active.holder.ticket.userid);
  }

  /** Drops a session that PVE no longer accepts. */
  expire(): void {
    if (!this.active) return;
    this.deps.log.warn(`session of ${this.describe(this.active)} expired`);
    this.active = null;
    this.deps.kept.forget();
    this.stopTimer();
    this.deps.onChange(this.status());
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    // The kept sign-in stays: it is what the next start restores.
    this.generation += 1;
    this.active = null;
    this.attempt.clear();
    this.stopTimer();
    await this.nodes.closeAll();
  }

  private startTicketSession(clusterUrl: string, ticket: Ticket, keep: boolean): SignedInStatus {
    return this.activate(this.openTicketSession(clusterUrl, ticket), keep);
  }

  /** A ticket session that is not yet the active one (a restore renews its ticket first). */
  private openTicketSession(
    clusterUrl: string,
    ticket: Ticket,
  ): Extract<ActiveSession, { via: 'ticket' }> {
    // The credentials closure reads this session's own ticket, so a renewed ticket is used and a
    // ticket is never sent to another cluster's connection.
    const holder = { ticket };
    const credentials = (): Credentials => ({
      kind: 'ticket',
      ticket: holder.ticket.ticket,
      csrfToken: holder.ticket.csrfToken,
    });
    const { cluster, profile } = openClusterSession(this.clusterDeps(), clusterUrl, (change) =>
      this.moved(active, change),
    );
    const active: Extract<ActiveSession, { via: 'ticket' }> = {
      via: 'ticket',
      clusterUrl,
      holder,
      kept: false,
      api: new PveApi(cluster, credentials),
      renewal: null,
      cluster,
      profile,
      failover: null,
    };
    return active;
  }

  /** Makes a ticket session the active one, keeping its ticket when the user asked for that. */
  private activate(
    active: Extract<ActiveSession, { via: 'ticket' }>,
    keep: boolean,
  ): SignedInStatus {
    active.clusterUrl = active.cluster.baseUrl;
    this.active = active;
    this.restore.clearFailure();
    const { ticket } = active.holder;
    this.deps.log.info(`signed in as ${ticket.userid} to ${active.clusterUrl}`);
    if (keep) {
      active.kept = this.deps.kept.keep(active.clusterUrl, ticket);
      if (!active.kept) this.deps.log.warn(`could not keep the sign-in of ${ticket.userid}`);
    } else {
      this.deps.kept.forget();
    }
    this.scheduleRenewal(active);
    return this.announce(active);
  }

  /** The session's API as handlers get it, routed when elevated mode says so. */
  private handed(
    active: ActiveSession,
    userid: string,
  ): { api: PveApi; userid: string; clusterId: string } {
    const session = { clusterUrl: active.clusterUrl, userid, api: active.api };
    const api = this.deps.routeApi?.(session) ?? active.api;
    return { api, userid, clusterId: active.profile.id };
  }

  private clusterDeps(): Parameters<typeof openClusterSession>[0] {
    const { profiles, log, now } = this.deps;
    return { profiles, nodes: this.nodes, log, now };
  }

  /** The session moved to another node of its profile: say so, with the node now in use. */
  private moved(active: ActiveSession, change: NodeSwitch): void {
    if (this.active !== active) return;
    active.clusterUrl = change.to.url;
    active.failover = change;
    this.deps.onChange(this.status());
  }

  private announce(active: ActiveSession): SignedInStatus {
    const status = signedInStatus(active);
    this.deps.onChange(status);
    return status;
  }

  private scheduleRenewal(active: Extract<ActiveSession, { via: 'ticket' }>): void {
    this.stopTimer();
    const delayMs = active.holder.ticket.issuedAt + renewAfterMs - this.deps.now();
    this.cancelTimer = this.schedule(delayMs, () => {
      this.cancelTimer = null;
      if (this.active !== active) return;
      // A failed renewal is not fatal: the lazy renewal and the expiry check in api() follow.
      this.renew(active).catch((error: unknown) => {
        const reason = error instanceof AppError ? `${error.code} ${error.message}` : 'unknown';
        this.deps.log.warn(
          `could not renew the ticket of ${active.holder.ticket.userid}: ${reason}`,
        );
        if (error instanceof AppError && error.code === 'SESSION_EXPIRED' && this.active === active)
          this.expire();
      });
    });
  }

  /** Ends the current session, if any, because a new sign-in starts. */
  private endSession(): void {
    this.generation += 1;
    this.restore.clearFailure();
    this.deps.kept.forget();
    if (!this.active) return;
    this.deps.log.info(`ended the session of ${this.describe(this.active)} for a new sign-in`);
    this.active = null;
    this.stopTimer();
    this.deps.onChange(this.status());
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private async renew(active: Extract<ActiveSession, { via: 'ticket' }>): Promise<void> {
    // Concurrent callers share the session's one renewal instead of each posting the ticket.
    active.renewal ??= renewOrExpire(active.api.connection, active.holder.ticket, this.deps.now)
      .then((ticket) => {
        active.holder.ticket = ticket;
        this.deps.log.info(`renewed the ticket of ${ticket.userid}`);
        if (this.active !== active) return;
        if (active.kept) active.kept = this.deps.kept.keep(active.clusterUrl, ticket);
        this.scheduleRenewal(active);
        this.deps.onChange(this.status());
      })
      .finally(() => {
        active.renewal = null;
      });
    await active.renewal;
  }

  private describe(active: ActiveSession): string {
    return active.via === 'token' ? active.tokenId : active.holder.ticket.userid;
  }
}
