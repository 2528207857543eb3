import { z } from 'zod';
import type { Credentials, PveConnection } from './connection';

/** The user an API token belongs to (`alice@pve` of `alice@pve!ci`). */
export function tokenOwner(tokenId: string): string {
  return tokenId.slice(0, tokenId.indexOf('!'));
}

const versionSchema = z.looseObject({ version: z.string() });

/**
 * Checks that PVE accepts a token, with the cheapest authenticated read there is. API tokens have
 * no login step (`/access/ticket` refuses them), so this is how a wrong secret is found up front.
 */
export async function verifyApiToken(
  connection: PveConnection,
  credentials: Extract<Credentials, { kind: 'token' }>,
): Promise<void> {
  await connection.call({ method: 'GET', path: '/version' }, versionSchema, credentials);
}
