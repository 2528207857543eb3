import { hasPrivileges } from '../acl.js';
import { permissionError, serverError } from '../api-error.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import type { SimState, UserState } from '../state.js';

// `GET /access/users` and `GET /access/users/{userid}`. PVE shows a user to a caller who holds
// User.Modify or Sys.Audit on `/access/groups`, or on one of the groups that user belongs to. The
// index always lists the caller too (an API token's owner); the single-user read has no such
// exception.

const userPrivileges = ['User.Modify', 'Sys.Audit'] as const;

/** The user a request acts as: an API token acts as its owner. */
function callerOf(ctx: RequestContext): string {
  const userid = ctx.userid ?? '';
  const bang = userid.indexOf('!');
  return bang === -1 ? userid : userid.slice(0, bang);
}

function maySee(state: SimState, caller: string, user: UserState): boolean {
  const can = (path: string): boolean => hasPrivileges(state, caller, path, userPrivileges, 'any');
  return can('/access/groups') || user.groups.some((group) => can(`/access/groups/${group}`));
}

function realmOf(userid: string): string {
  return userid.slice(userid.indexOf('@') + 1);
}

function indexRow(user: UserState, full: boolean): Record<string, unknown> {
  return {
    userid: user.userid,
    enable: user.enabled ? 1 : 0,
    expire: 0,
    comment: user.comment,
    'realm-type': realmOf(user.userid),
    ...(full
      ? {
          groups: [...user.groups].sort().join(','),
          tokens: user.tokens.map((token) => ({
            tokenid: token.id,
            privsep: token.privsep ? 1 : 0,
          })),
        }
      : {}),
  };
}

function list(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const enabled = p.text('enabled', { pattern: /^(1|true|yes|on|0|false|no|off)$/i });
  const full = p.text('full', { pattern: /^(1|true|yes|on|0|false|no|off)$/i });
  p.done();
  const { state } = ctx.runtime;
  const caller = callerOf(ctx);
  const wantFull = full !== undefined && /^(1|true|yes|on)$/i.test(full);
  const wantEnabled = enabled === undefined ? null : /^(1|true|yes|on)$/i.test(enabled);
  const rows = [...state.users.values()]
    .filter((user) => user.userid === caller || maySee(state, ctx.userid ?? '', user))
    .filter((user) => wantEnabled === null || user.enabled === wantEnabled)
    .sort((a, b) => a.userid.localeCompare(b.userid))
    .map((user) => indexRow(user, wantFull));
  return { data: rows };
}

function readOne(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  p.done();
  const { state } = ctx.runtime;
  const userid = ctx.pathParams.userid ?? '';
  const user = state.users.get(userid);
  // PVE checks that the user exists before it checks the caller's privileges.
  if (user === undefined) throw serverError(`no such user ('${userid}')`);
  if (!maySee(state, ctx.userid ?? '', user)) {
    throw permissionError('/access/groups', userPrivileges);
  }
  return {
    data: {
      enable: user.enabled ? 1 : 0,
      expire: 0,
      comment: user.comment,
      groups: [...user.groups].sort(),
      tokens: Object.fromEntries(
        user.tokens.map((token) => [token.id, { privsep: token.privsep ? 1 : 0 }]),
      ),
    },
  };
}

/** Routes for the user list and one user's entry. */
export const userRoutes: Route[] = [
  { method: 'GET', template: '/access/users', auth: 'ticket', handle: list },
  { method: 'GET', template: '/access/users/{userid}', auth: 'ticket', handle: readOne },
];
