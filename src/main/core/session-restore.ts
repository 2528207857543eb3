import { AppError } from '../../shared/errors';
import type { RestoreFailed } from '../../shared/session-schemas';
import type { Logger } from '../log/logger';
import type { Ticket } from '../pve/auth';
import { isNoAnswer } from '../pve/errors';
import type { KeptTickets } from './kept-ticket';
import type { ActiveSession } from './session-status';
import { renewOrExpire, restoreRefusal } from './ticket-renewal';

// Restoring the sign-in kept by "Stay signed in", at start and again when the user asks. The kept
// ticket is renewed over the node's checked connection and only the renewed one signs in. A
// ticket PVE refuses, one too old, and one whose node presented another certificate are deleted.
// A cluster that cannot be reached proves nothing about the ticket, so it stays kept until a
// retry or the next start uses it, or it ages out (KeptTickets.read deletes it then).

/** A ticket session that the session manager opened but has not made the active one. */
export type TicketSession = Extract<ActiveSession, { via: 'ticket' }>;

/** What a restore needs of the session manager. */
export interface RestoreHost {
  kept: KeptTickets;
  log: Logger;
  now: () => number;
  /** Changes with every sign-in, sign-out and close; a restore that sees it change gives up. */
  generation: () => number;
  /** Opens a session on a ticket without making it the active one. */
  open: (clusterUrl: string, ticket: Ticket) => TicketSession;
  /** Makes a session on a renewed kept ticket the active one, its ticket kept again. */
  activate: (session: TicketSession) => void;
}

/** The restore of the kept sign-in, and the kept sign-in the last restore could not use. */
export class KeptSignInRestore {
  private inFlight: Promise<void> | null = null;
  private failed: RestoreFailed | null = null;

  constructor(private readonly host: RestoreHost) {}

  /** The kept sign-in the last restore could not use and why, or null; shown until the user acts. */
  failure(): RestoreFailed | null {
    return this.failed;
  }

  /** Forgets the last failure, once a sign-in or sign-out has settled what is kept. */
  clearFailure(): void {
    this.failed = null;
  }

  /** Settles once the restore in flight, if any, has finished. */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  /** Restores the kept sign-in, or joins the restore already in flight. Never rejects. */
  run(): Promise<void> {
    this.inFlight ??= this.once()
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : '';
        this.host.log.error(`restoring the kept sign-in failed: ${reason}`);
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  private async once(): Promise<void> {
    const { kept, log, now } = this.host;
    const found = kept.read();
    if (found.kind === 'none') {
      // Nothing is kept (any more): a failure saying it still is no longer holds; one saying why
      // it was deleted still does.
      if (this.failed?.stillKept === true) this.failed = null;
      return;
    }
    if (found.kind === 'dropped') {
      log.info(`dropped the kept sign-in of ${found.marker.userid}: ${found.reason}`);
      this.failed = { ...found.marker, reason: found.reason };
      return;
    }
    const { clusterUrl, ticket } = found.kept;
    const generation = this.host.generation();
    let session: TicketSession;
    let renewed: Ticket;
    try {
      session = this.host.open(clusterUrl, ticket);
      renewed = await renewOrExpire(session.api.connection, ticket, now);
    } catch (error) {
      // A sign-in, sign-out or close while the renewal was out has settled what is kept.
      if (generation !== this.host.generation()) return;
      this.failed = this.refused(error, { userid: ticket.userid, clusterUrl });
      return;
    }
    if (generation !== this.host.generation()) return;
    session.holder.ticket = renewed;
    log.info(`restored the kept sign-in of ${renewed.userid}`);
    this.host.activate(session);
  }

  /**
   * Records why the renewal failed; deletes the kept ticket unless the failure says nothing about
   * it: the cluster was unreachable, or PVE failed on its side (a 5xx, such as a cluster
   * filesystem lock that timed out) before it judged the ticket.
   */
  private refused(error: unknown, marker: { userid: string; clusterUrl: string }): RestoreFailed {
    if (isUnreachable(error) || isServerFailure(error)) {
      const reason =
        error instanceof AppError && error.code === 'TLS_ERROR'
          ? 'a secure connection to the cluster could not be set up.'
          : restoreRefusal(error);
      this.host.log.info(`kept the sign-in of ${marker.userid} for a retry: ${reason}`);
      return { ...marker, reason, stillKept: true };
    }
    this.host.kept.forget();
    const reason = isPinMismatch(error)
      ? "the cluster's certificate is no longer the one you trusted."
      : restoreRefusal(error);
    this.host.log.info(`dropped the kept sign-in of ${marker.userid}: ${reason}`);
    return { ...marker, reason };
  }
}

/**
 * No node answered: refused connections, timeouts, a failed TLS set-up. PVE said nothing about the
 * ticket, so it may still be good. A pin mismatch is not among them: another server answered.
 */
function isUnreachable(error: unknown): boolean {
  const noAnswer = isNoAnswer(error) || (error instanceof AppError && error.code === 'TLS_ERROR');
  return noAnswer && !isPinMismatch(error);
}

/** PVE answered the renewal with a failure of its own (5xx), not a verdict on the ticket. */
function isServerFailure(error: unknown): boolean {
  if (!(error instanceof AppError) || isPinMismatch(error)) return false;
  return (error.details?.status ?? 0) >= 500;
}

/** The node, or one of the cluster's nodes tried, presented a certificate other than its pin. */
function isPinMismatch(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === 'CERT_MISMATCH' || error.details?.presentedFingerprint !== undefined) {
    return true;
  }
  return error.details?.nodes?.some((node) => node.presentedFingerprint !== undefined) === true;
}
