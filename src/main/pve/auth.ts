import { AppError } from '../../shared/errors';
import { ticketSchema } from './api';
import type { PveConnection } from './connection';

/** PVE tickets are valid for two hours from issue. */
export const ticketLifetimeMs = 2 * 60 * 60 * 1000;

/** A signed-in PVE session. Lives in main only. */
export interface Ticket {
  ticket: string;
  csrfToken: string;
  userid: string;
  /** Local time the ticket was received, in ms. */
  issuedAt: number;
}

/** Signs in with a password; refuses partial (two-factor) tickets, which are not sessions. */
export async function requestTicket(
  connection: PveConnection,
  login: { username: string; realm: string; password: string },
  now: () => number,
): Promise<Ticket> {
  const answer = await connection.call(
    {
      method: 'POST',
      path: '/access/ticket',
      params: { username: login.username, realm: login.realm, password: login.password },
    },
    ticketSchema,
  );
  // PVE marks a first-step two-factor ticket with `!tfa!` (older servers send NeedTFA: 1).
  if (answer.ticket.includes('!tfa!') || answer.NeedTFA) {
    throw new AppError(
      'PVE_AUTH',
      'This account uses two-factor sign-in, which this version of ProxDesk cannot complete yet.',
    );
  }
  if (!answer.CSRFPreventionToken) {
    throw new AppError(
      'PVE_ERROR',
      'PVE signed in without a CSRF token; the ticket cannot be used.',
    );
  }
  return {
    ticket: answer.ticket,
    csrfToken: answer.CSRFPreventionToken,
    userid: answer.username,
    issuedAt: now(),
  };
}

/** Renews a ticket before it expires: PVE takes the current ticket as the password. */
export async function renewTicket(
  connection: PveConnection,
  current: Ticket,
  now: () => number,
): Promise<Ticket> {
  const answer = await connection.call(
    {
      method: 'POST',
      path: '/access/ticket',
      params: { username: current.userid, password: current.ticket },
    },
    ticketSchema,
  );
  if (!answer.CSRFPreventionToken) {
    throw new AppError('PVE_ERROR', 'PVE renewed the ticket without a CSRF token.');
  }
  return {
    ticket: answer.ticket,
    csrfToken: answer.CSRFPreventionToken,
    userid: answer.username,
    issuedAt: now(),
  };
}
