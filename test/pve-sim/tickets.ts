import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Session tickets and CSRF tokens. They look like PVE's (`PVE:<user>:<hex time>::<signature>` and
// `<hex time>:<signature>`) but are signed with an HMAC key made when the simulator starts, so a
// ticket from one simulator is worthless at another.

/** How long a ticket (and its CSRF token) stays valid, as in PVE. */
export const ticketLifetimeSeconds = 2 * 3600;

/** PVE tolerates tickets stamped slightly in the future, for clock skew between nodes. */
const clockSkewSeconds = 300;

/** How long the partial ticket of a two-factor login may be answered. */
export const challengeLifetimeSeconds = 5 * 60;

/** A fresh session: the cookie value and the header value for writes. */
export interface IssuedTicket {
  ticket: string;
  csrfToken: string;
}

/** Issues and checks tickets against one signing key and one clock. */
export interface TicketAuthority {
  issue(userid: string): IssuedTicket;
  /** The user the ticket belongs to, or null when it is forged, malformed or expired. */
  verify(ticket: string): string | null;
  /** Whether a CSRF token was issued for `userid` and has not expired. */
  verifyCsrf(token: string, userid: string): boolean;
  /**
   * A partial ticket for the first step of a two-factor login: `PVE:!tfa!<url-encoded JSON of the
   * allowed methods>:<hex time>::<signature>`. The signature also covers the user, who is not
   * written in it, so the partial ticket answers only for that user's second step.
   */
  issueChallenge(userid: string, challenge: Record<string, unknown>): string;
  /** Whether `ticket` is an unexpired partial ticket issued to `userid`. */
  verifyChallenge(ticket: string, userid: string): boolean;
}

function hexTime(seconds: number): string {
  return seconds.toString(16).toUpperCase().padStart(8, '0');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const maxRememberedTickets = 10_000;

/** Creates a ticket authority with its own random key, reading time from `nowMs`. */
export function createTicketAuthority(nowMs: () => number): TicketAuthority {
  const key = randomBytes(32);
  const sign = (text: string): string => createHmac('sha256', key).update(text).digest('base64');
  const nowSeconds = (): number => Math.floor(nowMs() / 1000);
  // Tickets whose signature was checked, so that a client sending hundreds of requests with one
  // ticket costs one HMAC rather than one per request.
  const signedTickets = new Map<string, { userid: string; stamp: string }>();
  const fresh = (stamp: string): boolean => {
    if (!/^[0-9A-F]{8}$/.test(stamp)) return false;
    const age = nowSeconds() - parseInt(stamp, 16);
    return age >= -clockSkewSeconds && age < ticketLifetimeSeconds;
  };

  return {
    issue(userid) {
      const stamp = hexTime(nowSeconds());
      const plain = `PVE:${userid}:${stamp}`;
      return {
        ticket: `${plain}::${sign(plain)}`,
        csrfToken: `${stamp}:${sign(`${stamp}:${userid}`).replace(/=+$/, '')}`,
      };
    },
    verify(ticket) {
      let signed = signedTickets.get(ticket);
      if (signed === undefined) {
        const match = /^PVE:([^:\s]+@[^:\s]+):([0-9A-F]{8})::(\S+)$/.exec(ticket);
        if (!match) return null;
        const [, userid = '', stamp = '', signature = ''] = match;
        if (!sameText(signature, sign(`PVE:${userid}:${stamp}`))) return null;
        if (signedTickets.size >= maxRememberedTickets) signedTickets.clear();
        signed = { userid, stamp };
        signedTickets.set(ticket, signed);
      }
      // The signature never changes; whether the ticket is still young enough does.
      return fresh(signed.stamp) ? signed.userid : null;
    },
    verifyCsrf(token, userid) {
      const match = /^([0-9A-F]{8}):(\S+)$/.exec(token);
      if (!match) return false;
      const [, stamp = '', signature = ''] = match;
      const expected = sign(`${stamp}:${userid}`).replace(/=+$/, '');
      return sameText(signature, expected) && fresh(stamp);
    },
    issueChallenge(userid, challenge) {
      const plain = `PVE:!tfa!${encodeURIComponent(JSON.stringify(challenge))}:${hexTime(nowSeconds())}`;
      return `${plain}::${sign(`${plain}|${userid}`)}`;
    },
    verifyChallenge(ticket, userid) {
      const match = /^(PVE:!tfa![^:\s]+:([0-9A-F]{8}))::(\S+)$/.exec(ticket);
      if (!match) return false;
      const [, plain = '', stamp = '', signature = ''] = match;
      if (!sameText(signature, sign(`${plain}|${userid}`))) return false;
      const age = nowSeconds() - parseInt(stamp, 16);
      return age >= -clockSkewSeconds && age < challengeLifetimeSeconds;
    },
  };
}
