import { AppError } from '../../shared/errors';
import type { PveConnection } from '../pve/connection';
import { verifyApiToken } from '../pve/token-auth';
import type { RememberedTokens } from './remembered-tokens';

/** The credentials of an API token. */
export type TokenCredentials = { kind: 'token'; tokenId: string; secret: string };

/**
 * Checks an API-token sign-in against the node before anything is stored, then remembers or
 * forgets its secret as asked. A newly typed secret without "remember" replaces a remembered
 * one, so that is forgotten; signing in with the remembered secret keeps it.
 */
export async function checkTokenSignIn(
  connection: PveConnection,
  tokens: RememberedTokens,
  input: { url: string; tokenId: string; secret?: string | undefined; remember: boolean },
): Promise<TokenCredentials> {
  const secret = input.secret ?? tokens.secret(input.url, input.tokenId);
  if (secret === null) {
    throw new AppError('NOT_FOUND', `No secret is remembered for ${input.tokenId}. Enter it.`, {
      fields: { secret: 'required' },
    });
  }
  const credentials: TokenCredentials = { kind: 'token', tokenId: input.tokenId, secret };
  await verifyApiToken(connection, credentials);
  if (input.remember) tokens.remember(input.url, input.tokenId, secret);
  else if (input.secret !== undefined) tokens.forget(input.url, input.tokenId);
  return credentials;
}
