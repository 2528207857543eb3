import { setTimeout as sleep } from 'node:timers/promises';
import { capabilities, requirePrivileges } from '../acl.js';
import { authError } from '../api-error.js';
import { ParamReader } from '../params.js';
import type { Route, RequestContext, RouteResult } from '../router.js';
import { answerSecondFactor, challengeFor, needsSecondFactor } from '../second-factor.js';

// Login (with PVE's two-step flow for users with a second factor), ticket renewal and the realm
// list for the login form.

/** The realms PVE always has; `pve` is the default one. */
export const realms = [
  { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
  { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server', default: 1 },
];

function useridOf(username: string, realm: string | undefined): string {
  if (username.includes('@') || realm === undefined) return username;
  return `${username}@${realm}`;
}

/** Whether `password` is the user's password, or a still-valid ticket of the same user (renewal). */
function credentialsValid(ctx: RequestContext, userid: string, password: string): boolean {
  const { state, tickets } = ctx.runtime;
  const user = state.users.get(userid);
  const realm = userid.slice(userid.indexOf('@') + 1);
  if (!user || !user.enabled || !realms.some((r) => r.realm === realm)) return false;
  if (password.startsWith('PVE:')) return tickets.verify(password) === userid;
  return user.password === password;
}

async function login(ctx: RequestContext): Promise<RouteResult> {
  const p = new ParamReader(ctx.params);
  const username = p.requiredText('username', { maxLength: 64 });
  const password = p.requiredText('password');
  const realm = p.text('realm', { pattern: /^[A-Za-z][A-Za-z0-9.\-_]+$/ });
  const path = p.text('path');
  const privs = p.text('privs');
  const challenge = p.text('tfa-challenge', { maxLength: 4096 });
  // `new-format` is accepted and ignored, as current PVE does.
  p.text('new-format', { values: ['0', '1'] });
  p.done();

  const userid = useridOf(username, realm);
  const { state, tickets } = ctx.runtime;
  const user = state.users.get(userid);
  if (challenge !== undefined) {
    // Second step: the partial ticket must be this user's, and the response must answer it.
    const answered =
      user !== undefined &&
      user.enabled &&
      tickets.verifyChallenge(challenge, userid) &&
      answerSecondFactor(user, password, ctx.runtime.nowMs());
    if (!answered) await failLogin(ctx);
    return fullTicket(ctx, userid);
  }

  if (!credentialsValid(ctx, userid, password)) await failLogin(ctx);

  // A renewal (a valid ticket as the password) needs no second factor; a password login does.
  if (user && !password.startsWith('PVE:') && needsSecondFactor(user)) {
    return {
      data: {
        username: userid,
        ticket: tickets.issueChallenge(userid, challengeFor(user)),
        NeedTFA: 1,
      },
      userid,
    };
  }

  if (path !== undefined && privs !== undefined) {
    // With path and privs, PVE only verifies the ticket and the privileges; it issues nothing.
    requirePrivileges(
      state,
      userid,
      path,
      privs.split(/[,;\s]+/).filter((s) => s !== ''),
    );
    return { data: { username: userid }, userid };
  }
  return fullTicket(ctx, userid);
}

/** PVE answers a failed login only after a pause, to slow down guessing. */
async function failLogin(ctx: RequestContext): Promise<never> {
  await sleep(ctx.runtime.loginFailureDelayMs);
  throw authError('authentication failure');
}

function fullTicket(ctx: RequestContext, userid: string): RouteResult {
  const { state, tickets } = ctx.runtime;
  const issued = tickets.issue(userid);
  return {
    data: {
      username: userid,
      ticket: issued.ticket,
      CSRFPreventionToken: issued.csrfToken,
      clustername: state.clusterName,
      cap: capabilities(state, userid),
    },
    userid,
  };
}

/** Routes under /access. */
export const accessRoutes: Route[] = [
  { method: 'POST', template: '/access/ticket', auth: 'public', tokens: false, handle: login },
  { method: 'GET', template: '/access/domains', auth: 'public', handle: () => ({ data: realms }) },
];
