import { AppError } from '../../shared/errors';
import { ticketSchema } from './api-schemas';
import type { PveCaller, PveConnection } from './connection';
import { isPartialTicket, readChallengeMethods, type TfaChallenge } from './tfa';

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

/** What the password step gives: a session, or the challenge of a second step. */
export type PasswordStep =
  { kind: 'ticket'; ticket: Ticket } | { kind: 'second-factor'; challenge: TfaChallenge };

/** Signs in with a password. A partial (two-factor) ticket comes back as a challenge, never a session. */
export async function requestTicket(
  connection: PveConnection,
  login: { username: string; realm: string; password: string },
  now: () => number,
): Promise<PasswordStep> {
  const answer = await connection.call(
    {
      method: 'POST',
      path: '/access/ticket',
      params: { username: login.username, realm: login.realm, password: login.password },
    },
    ticketSchema,
  );
  if (isPartialTicket(answer.ticket)) {
    const { methods, unsupported } = readChallengeMethods(answer.ticket);
    if (methods.length === 0) {
      const named = unsupported.length > 0 ? ` (${unsupported.join(', ')})` : '';
      throw new AppError(
        'PVE_AUTH',
        `This account's second factor${named} cannot be answered in ProxDesk. Add a TOTP app or recovery keys to the account in the PVE web UI, or sign in with an API token.`,
      );
    }
    return {
      kind: 'second-factor',
      challenge: {
        partialTicket: answer.ticket,
        userid: answer.username,
        methods,
        unsupported,
        csrfToken: answer.CSRFPreventionToken ?? null,
      },
    };
  }
  // PVE before 7 asked for a second factor with NeedTFA and its own /access/tfa step.
  if (answer.NeedTFA) {
    throw new AppError(
      'PVE_AUTH',
      'This PVE version asks for the second factor in an old way that ProxDesk does not support.',
    );
  }
  if (!answer.CSRFPreventionToken) {
    throw new AppError(
      'PVE_ERROR',
      'PVE signed in without a CSRF token; the ticket cannot be used.',
    );
  }
  return {
    kind: 'ticket',
    ticket: {
      ticket: answer.ticket,
      csrfToken: answer.CSRFPreventionToken,
      userid: answer.username,
      issuedAt: now(),
    },
  };
}

/** Renews a ticket before it expires: PVE takes the current ticket as the password. */
export async function renewTicket(
  connection: PveCaller,
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
