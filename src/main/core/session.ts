import { AppError } from '../../shared/errors';
import type { SessionStatus } from '../../shared/contract';
import type { Logger } from '../log/logger';
import { PveApi } from '../pve/api';
import { renewTicket, requestTicket, ticketLifetimeMs, type Ticket } from '../pve/auth';
import { PveConnection } from '../pve/connection';
import { createPinnedDispatcher } from '../pve/tls';
import type { TrustStore } from '../store/trust-store';

/** Renew a ticket once less than this much of its life is left. */
const renewBeforeExpiryMs = 30 * 60 * 1000;

interface ActiveSession {
  clusterUrl: string;
  holder: { ticket: Ticket };
  api: PveApi;
}

/** What the session manager needs from the core. */
export interface SessionDeps {
  trust: TrustStore;
  log: Logger;
  now: () => number;
  requestTimeoutMs: number;
  onChange: (status: SessionStatus) => void;
}

/**
 * Holds the one PVE session of this window set: connections per node address (each pinned to its
 * certificate), the ticket and the CSRF token. Nothing here ever crosses IPC but `status()`.
 */
export class SessionManager {
  private active: ActiveSession | null = null;
  private readonly connections = new Map<
    string,
    { fingerprint: string; connection: PveConnection }
  >();
  private renewal: Promise<void> | null = null;

  constructor(private readonly deps: SessionDeps) {}

  /** A connection to a node whose certificate the user has pinned. */
  connection(url: string): PveConnection {
    const pin = this.deps.trust.get(url);
    if (!pin) {
      throw new AppError('CERT_NOT_TRUSTED', `The certificate of ${url} has not been trusted yet.`);
    }
    const cached = this.connections.get(url);
    if (cached?.fingerprint === pin.fingerprint) return cached.connection;
    const connection = new PveConnection({
      baseUrl: url,
      dispatcher: createPinnedDispatcher(url, pin.fingerprint),
      logger: this.deps.log,
      timeoutMs: this.deps.requestTimeoutMs,
    });
    this.connections.set(url, { fingerprint: pin.fingerprint, connection });
    return connection;
  }

  /** An API without credentials, for the sign-in form. */
  anonymousApi(url: string): PveApi {
    return new PveApi(this.connection(url), () => null);
  }

  /** Signs in with a password and keeps the ticket. */
  async login(input: {
    url: string;
    realm: string;
    username: string;
    password: string;
  }): Promise<SessionStatus> {
    const connection = this.connection(input.url);
    const ticket = await requestTicket(connection, input, this.deps.now);
    // The credentials closure reads this session's own ticket, so a renewed ticket is used and a
    // ticket is never sent to another cluster's connection.
    const holder = { ticket };
    const api = new PveApi(connection, () => ({
      kind: 'ticket',
      ticket: holder.ticket.ticket,
      csrfToken: holder.ticket.csrfToken,
    }));
    this.active = { clusterUrl: input.url, holder, api };
    this.deps.log.info(`signed in as ${ticket.userid} to ${input.url}`);
    const status = this.status();
    this.deps.onChange(status);
    return status;
  }

  /** Forgets the session. */
  logout(): SessionStatus {
    if (this.active) this.deps.log.info(`signed out ${this.active.holder.ticket.userid}`);
    this.active = null;
    const status = this.status();
    this.deps.onChange(status);
    return status;
  }

  /** Who is signed in, until when. */
  status(): SessionStatus {
    if (!this.active) return { signedIn: false };
    return {
      signedIn: true,
      clusterUrl: this.active.clusterUrl,
      userid: this.active.holder.ticket.userid,
      expiresAt: new Date(this.active.holder.ticket.issuedAt + ticketLifetimeMs).toISOString(),
    };
  }

  /** The signed-in user's API, renewing the ticket first when it is close to expiry. */
  async api(): Promise<{ api: PveApi; userid: string }> {
    const active = this.active;
    if (!active) throw new AppError('NOT_SIGNED_IN', 'Sign in to the cluster first.');
    const age = this.deps.now() - active.holder.ticket.issuedAt;
    if (age >= ticketLifetimeMs) {
      this.expire();
      throw new AppError('SESSION_EXPIRED', 'Your PVE session has expired. Sign in again.');
    }
    if (age >= ticketLifetimeMs - renewBeforeExpiryMs) await this.renew(active);
    return { api: active.api, userid: active.holder.ticket.userid };
  }

  /** Drops a session that PVE no longer accepts. */
  expire(): void {
    if (!this.active) return;
    this.deps.log.warn(`session of ${this.active.holder.ticket.userid} expired`);
    this.active = null;
    this.deps.onChange(this.status());
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    this.active = null;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((entry) => entry.connection.close()));
  }

  private async renew(active: ActiveSession): Promise<void> {
    // Concurrent callers share one renewal instead of each posting the ticket.
    this.renewal ??= renewTicket(active.api.connection, active.holder.ticket, this.deps.now)
      .then((ticket) => {
        active.holder.ticket = ticket;
        this.deps.log.info(`renewed the ticket of ${ticket.userid}`);
        this.deps.onChange(this.status());
      })
      .finally(() => {
        this.renewal = null;
      });
    await this.renewal;
  }
}
