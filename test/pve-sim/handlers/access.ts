import { setTimeout as sleep } from 'node:timers/promises';
import { capabilities, requirePrivileges } from '../acl.js';
import { authError } from '../api-error.js';
import { ParamReader } from '../params.js';
import type { Route, RequestContext, RouteResult } from '../router.js';

// Login, ticket renewal and the realm list for the login form.

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
  p.done();

  const userid = useridOf(username, realm);
  if (!credentialsValid(ctx, userid, password)) {
    // PVE answers a failed login only after a pause, to slow down password guessing.
    await sleep(ctx.runtime.loginFailureDelayMs);
    throw authError('authentication failure');
  }

  const { state, tickets } = ctx.runtime;
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
  { method: 'POST', template: '/access/ticket', auth: 'public', handle: login },
  { method: 'GET', template: '/access/domains', auth: 'public', handle: () => ({ data: realms }) },
];
