import { permissionError } from './api-error.js';
import { allPrivileges, builtinRoles } from './roles.js';
import type { SimState } from './state.js';

// Permission evaluation as PVE does it: walk the path from `/` down; at each level the user's own
// entries replace what was inherited (and beat group entries at that level); only entries marked
// `propagate` reach deeper paths; NoAccess wins. A guest or storage in a pool also gets what the
// user holds on `/pool/<pool>`.

/** Whether every privilege is needed (`all`) or one of them is enough (`any`). */
export type PrivilegeMode = 'all' | 'any';

function prefixesOf(path: string): string[] {
  const parts = path.split('/').filter((part) => part !== '');
  const prefixes = ['/'];
  for (let i = 1; i <= parts.length; i += 1) prefixes.push(`/${parts.slice(0, i).join('/')}`);
  return prefixes;
}

function rolesOnPath(state: SimState, userid: string, path: string): Set<string> {
  const groups = state.users.get(userid)?.groups ?? [];
  const prefixes = prefixesOf(path);
  const target = prefixes[prefixes.length - 1];
  let roles = new Set<string>();
  for (const prefix of prefixes) {
    const final = prefix === target;
    const here = state.acl.filter((entry) => entry.path === prefix && (final || entry.propagate));
    const own = here.filter((entry) => entry.ugid === userid);
    if (own.length > 0) {
      roles = new Set(own.map((entry) => entry.roleid));
      continue;
    }
    const viaGroups = here.filter(
      (entry) => !entry.ugid.includes('@') && groups.includes(entry.ugid),
    );
    if (viaGroups.length > 0) roles = new Set(viaGroups.map((entry) => entry.roleid));
  }
  return roles.has('NoAccess') ? new Set() : roles;
}

function privilegesOnPath(state: SimState, userid: string, path: string): Set<string> {
  const privileges = new Set<string>();
  for (const role of rolesOnPath(state, userid, path)) {
    for (const privilege of builtinRoles[role] ?? []) privileges.add(privilege);
  }
  return privileges;
}

function poolsOf(state: SimState, path: string): string[] {
  const vm = /^\/vms\/(\d+)$/.exec(path);
  if (vm) {
    const pool = state.instances.get(Number(vm[1]))?.pool;
    return pool ? [pool] : [];
  }
  const storage = /^\/storage\/([^/]+)$/.exec(path);
  if (storage) {
    return [...state.pools.values()]
      .filter((pool) => pool.storages.includes(storage[1] ?? ''))
      .map((pool) => pool.poolid);
  }
  return [];
}

/**
 * What an API token (`user@realm!id`) holds: its owner's privileges, or with privilege separation
 * only those that ACLs grant the token itself and its owner holds too.
 */
function tokenPrivileges(state: SimState, tokenid: string, path: string): Set<string> {
  const owner = tokenid.slice(0, tokenid.indexOf('!'));
  const token = state.users
    .get(owner)
    ?.tokens.find((candidate) => `${owner}!${candidate.id}` === tokenid);
  if (!token) return new Set();
  const ownerHeld = effectivePrivileges(state, owner, path);
  if (!token.privsep) return ownerHeld;
  const granted = privilegesOnPath(state, tokenid, path);
  for (const pool of poolsOf(state, path)) {
    for (const privilege of privilegesOnPath(state, tokenid, `/pool/${pool}`))
      granted.add(privilege);
  }
  return new Set([...granted].filter((privilege) => ownerHeld.has(privilege)));
}

/** Every privilege `userid` (or API token id) holds on `path`, pool membership included. */
export function effectivePrivileges(state: SimState, userid: string, path: string): Set<string> {
  if (userid.includes('!')) return tokenPrivileges(state, userid, path);
  if (userid === 'root@pam') return new Set(allPrivileges);
  const privileges = privilegesOnPath(state, userid, path);
  for (const pool of poolsOf(state, path)) {
    for (const privilege of privilegesOnPath(state, userid, `/pool/${pool}`))
      privileges.add(privilege);
  }
  return privileges;
}

/** Whether `userid` holds all (or any) of `privileges` on `path`. */
export function hasPrivileges(
  state: SimState,
  userid: string,
  path: string,
  privileges: readonly string[],
  mode: PrivilegeMode = 'all',
): boolean {
  const held = effectivePrivileges(state, userid, path);
  return mode === 'all'
    ? privileges.every((p) => held.has(p))
    : privileges.some((p) => held.has(p));
}

/** Throws PVE's 403 unless `userid` holds the privileges; the message names what is missing. */
export function requirePrivileges(
  state: SimState,
  userid: string,
  path: string,
  privileges: readonly string[],
  mode: PrivilegeMode = 'all',
): void {
  const held = effectivePrivileges(state, userid, path);
  if (mode === 'any') {
    if (!privileges.some((p) => held.has(p))) throw permissionError(path, privileges);
    return;
  }
  const missing = privileges.find((p) => !held.has(p));
  if (missing !== undefined) throw permissionError(path, [missing]);
}

const capabilityGroups: Record<string, RegExp> = {
  vms: /^(VM\.|Permissions\.Modify$)/,
  storage: /^(Datastore\.|Permissions\.Modify$)/,
  nodes: /^(Sys\.|Permissions\.Modify$)/,
  access: /^(User\.|Group\.|Realm\.|Permissions\.Modify$)/,
  sdn: /^(SDN\.|Permissions\.Modify$)/,
  mapping: /^(Mapping\.|Permissions\.Modify$)/,
  dc: /^(Sys\.Audit$|SDN\.)/,
};

/**
 * The `cap` object of a login reply: per area, every privilege the user holds somewhere in it,
 * so a UI can decide which controls to show.
 */
export function capabilities(state: SimState, userid: string): Record<string, Record<string, 1>> {
  const cap: Record<string, Record<string, 1>> = {};
  for (const group of Object.keys(capabilityGroups)) cap[group] = {};
  const paths = new Set(['/', '/nodes', '/access/groups', '/vms', '/storage', '/sdn', '/mapping']);
  for (const entry of state.acl) paths.add(entry.path);
  for (const path of paths) {
    const top = /^\/([^/]+)/.exec(path)?.[1] ?? 'dc';
    const groups = top === 'pool' ? ['vms', 'storage'] : [top];
    for (const privilege of effectivePrivileges(state, userid, path)) {
      for (const group of groups) {
        const pattern = capabilityGroups[group];
        const area = cap[group];
        if (pattern && area && pattern.test(privilege)) area[privilege] = 1;
      }
    }
  }
  return cap;
}
