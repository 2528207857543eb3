import { effectivePrivileges, hasPrivileges } from '../acl.js';
import { permissionError } from '../api-error.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';

// `GET /access/permissions`: the effective privileges of the caller, or of another user or token.
// Anyone may read their own, and a user those of their own tokens; anyone else's needs Sys.Audit
// on `/access`. With `path` the answer holds that one path (or nothing when no privilege is held
// there); without it, the top-level paths and every path an ACL entry names.

const topLevelPaths = [
  '/',
  '/access',
  '/access/groups',
  '/mapping',
  '/nodes',
  '/pool',
  '/sdn',
  '/storage',
  '/vms',
];

/** The user a caller acts as: an API token acts for its owner when it asks about others. */
function ownerOf(userid: string): string {
  const bang = userid.indexOf('!');
  return bang === -1 ? userid : userid.slice(0, bang);
}

function mayRead(ctx: RequestContext, caller: string, subject: string): boolean {
  if (subject === caller) return true;
  // A user may read their own tokens'; a token is not its owner here.
  if (!caller.includes('!') && ownerOf(subject) === caller) return true;
  return hasPrivileges(ctx.runtime.state, caller, '/access', ['Sys.Audit']);
}

/** privilege -> propagate flag; the simulator reports every held privilege as propagating. */
function flags(privileges: Set<string>): Record<string, number> {
  return Object.fromEntries([...privileges].sort().map((privilege) => [privilege, 1]));
}

function permissions(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const path = p.text('path', { maxLength: 512, pattern: /^\/[^\s]*$/ });
  const userid = p.text('userid', {
    pattern: /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+(![A-Za-z][A-Za-z0-9.\-_]+)?$/,
  });
  p.done();
  const { state } = ctx.runtime;
  const caller = ctx.userid ?? '';
  const subject = userid ?? caller;
  if (!mayRead(ctx, caller, subject)) throw permissionError('/access', ['Sys.Audit']);

  const paths =
    path !== undefined
      ? [path]
      : [...new Set([...topLevelPaths, ...state.acl.map((entry) => entry.path)])];
  const data: Record<string, Record<string, number>> = {};
  for (const each of paths.sort()) {
    const held = effectivePrivileges(state, subject, each);
    if (held.size > 0) data[each] = flags(held);
  }
  return { data };
}

/** The route of `GET /access/permissions`. */
export const permissionRoutes: Route[] = [
  { method: 'GET', template: '/access/permissions', auth: 'ticket', handle: permissions },
];
