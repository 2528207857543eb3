import { z } from 'zod';
import type { Credentials, PveCaller } from './connection';

// `GET /access/permissions` answers a map of path -> (privilege -> propagate flag). Asked with
// `path`, it holds at most that one path, with the caller's effective privileges there (inherited
// ones included); any caller may read their own, so a token can report what it may do.

const permissionsSchema = z.record(
  z.string(),
  z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
);

/** The privileges the credentials' owner (here: an API token) holds on one ACL path. */
export async function privilegesOn(
  connection: PveCaller,
  credentials: Extract<Credentials, { kind: 'token' }>,
  path: string,
): Promise<Set<string>> {
  const call = { method: 'GET', path: '/access/permissions', params: { path } } as const;
  const answer = await connection.call(call, permissionsSchema, credentials);
  return new Set(Object.keys(answer[path] ?? {}));
}
