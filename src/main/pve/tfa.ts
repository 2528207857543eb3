import { AppError } from '../../shared/errors';
import { ticketSchema } from './api-schemas';
import type { Ticket } from './auth';
import type { PveConnection } from './connection';

// PVE's two-step sign-in. For a user with a second factor, the password step answers with a
// partial ticket, `PVE:!tfa!<url-encoded JSON of the allowed methods>:<hex time>::<signature>`.
// The second step posts it back as `tfa-challenge`, with `password` set to `<method>:<code>`.

/** Second factors ProxDesk can answer. */
export type SecondFactorMethod = 'totp' | 'recovery';

/** The first step's answer for a two-factor user. Lives in main only; it is not a session. */
export interface TfaChallenge {
  partialTicket: string;
  userid: string;
  methods: SecondFactorMethod[];
  /** Methods the account offers that ProxDesk cannot answer (webauthn, yubico, u2f). */
  unsupported: string[];
  /** Current PVE also sends a CSRF token with the first step; kept for servers that omit it later. */
  csrfToken: string | null;
}

/** Whether a ticket from `/access/ticket` is a partial (first-step) two-factor ticket. */
export function isPartialTicket(ticket: string): boolean {
  return ticket.startsWith('PVE:!tfa!');
}

/** Reads the allowed methods out of a partial ticket; an unreadable challenge is refused. */
export function readChallengeMethods(partialTicket: string): {
  methods: SecondFactorMethod[];
  unsupported: string[];
} {
  const encoded = partialTicket.split(':')[1]?.slice('!tfa!'.length) ?? '';
  let challenge: unknown;
  try {
    challenge = JSON.parse(decodeURIComponent(encoded));
  } catch {
    throw new AppError(
      'PVE_ERROR',
      'PVE asked for a second factor in a form ProxDesk cannot read.',
    );
  }
  if (typeof challenge !== 'object' || challenge === null || Array.isArray(challenge)) {
    throw new AppError(
      'PVE_ERROR',
      'PVE asked for a second factor in a form ProxDesk cannot read.',
    );
  }
  const methods: SecondFactorMethod[] = [];
  const unsupported: string[] = [];
  for (const [name, value] of Object.entries(challenge as Record<string, unknown>)) {
    // PVE writes `recovery: "unavailable"` (or leaves it out) once every recovery key is used.
    const offered = value !== false && value !== null && value !== 'unavailable';
    if (!offered) continue;
    if (name === 'totp' || name === 'recovery') methods.push(name);
    else unsupported.push(name);
  }
  return { methods, unsupported };
}

/** Answers the second step; returns the full ticket. A wrong code is PVE_AUTH from PVE's 401. */
export async function completeSecondFactor(
  connection: PveConnection,
  challenge: TfaChallenge,
  response: { method: SecondFactorMethod; code: string },
  now: () => number,
): Promise<Ticket> {
  const answer = await connection.call(
    {
      method: 'POST',
      path: '/access/ticket',
      params: {
        username: challenge.userid,
        'tfa-challenge': challenge.partialTicket,
        password: `${response.method}:${response.code}`,
      },
    },
    ticketSchema,
  );
  if (isPartialTicket(answer.ticket) || answer.NeedTFA) {
    throw new AppError('PVE_ERROR', 'PVE asked for yet another factor; ProxDesk cannot go on.');
  }
  const csrfToken = answer.CSRFPreventionToken ?? challenge.csrfToken;
  if (!csrfToken) {
    throw new AppError(
      'PVE_ERROR',
      'PVE signed in without a CSRF token; the ticket cannot be used.',
    );
  }
  return { ticket: answer.ticket, csrfToken, userid: answer.username, issuedAt: now() };
}
