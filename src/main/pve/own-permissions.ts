import { z } from 'zod';

// `GET /access/permissions` without `path` answers the caller's effective privileges as a map of
// ACL path -> (privilege -> propagate flag). It holds the top-level paths (`/`, `/vms`, `/storage`,
// `/pool`, ...) and every path an ACL entry names; a path it leaves out inherits from the nearest
// path above it, through the privileges marked as propagating.

/** The caller's effective privileges per ACL path, as PVE answers them. */
export const privilegeTreeSchema = z.record(
  z.string(),
  z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
);

/** Path -> privilege -> propagate flag. */
export type PrivilegeTree = z.infer<typeof privilegeTreeSchema>;

// PVE always answers these, so one missing from the answer holds nothing rather than inheriting.
const topLevelPaths = new Set([
  '/',
  '/access',
  '/mapping',
  '/nodes',
  '/pool',
  '/sdn',
  '/storage',
  '/vms',
]);

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** Whether a propagate flag says the privilege reaches the paths below. */
function propagates(flag: number | boolean | string): boolean {
  return flag === true || flag === 1 || flag === '1';
}

/**
 * The privileges the caller holds on `path`: those PVE lists for it, else those that propagate to
 * it from the nearest listed path above, stopping at a top-level path PVE always lists.
 */
export function privilegesAt(tree: PrivilegeTree, path: string): Set<string> {
  const exact = Object.hasOwn(tree, path) ? tree[path] : undefined;
  if (exact !== undefined) return new Set(Object.keys(exact));
  let current = path;
  while (!topLevelPaths.has(current)) {
    current = parentOf(current);
    const held = Object.hasOwn(tree, current) ? tree[current] : undefined;
    if (held !== undefined) {
      return new Set(
        Object.entries(held).flatMap(([name, flag]) => (propagates(flag) ? [name] : [])),
      );
    }
  }
  return new Set();
}
