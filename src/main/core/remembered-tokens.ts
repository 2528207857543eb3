import { z } from 'zod';
import type { KeyValueStore } from '../store/key-value-store';
import type { SecretStore } from '../store/secrets';

const indexKey = 'session.rememberedTokens';
const indexSchema = z.record(z.string(), z.array(z.string()));

/**
 * API-token secrets the user asked ProxDesk to remember, per cluster. The secrets live in the
 * secret store; only the list of token ids (not secret) is kept in the settings, so the sign-in
 * form can offer them.
 */
export class RememberedTokens {
  constructor(
    private readonly settings: KeyValueStore,
    private readonly secrets: SecretStore,
  ) {}

  /** The token ids with a remembered secret for a cluster. */
  list(url: string): string[] {
    return [...(this.index()[url] ?? [])];
  }

  /** The remembered secret of a token, or null. */
  secret(url: string, tokenId: string): string | null {
    return this.list(url).includes(tokenId) ? this.secrets.get(secretName(url, tokenId)) : null;
  }

  /** Remembers a secret; the secret store refuses when it cannot keep it encrypted. */
  remember(url: string, tokenId: string, secret: string): void {
    this.secrets.set(secretName(url, tokenId), secret);
    const index = this.index();
    const ids = new Set(index[url] ?? []);
    ids.add(tokenId);
    this.settings.set(indexKey, { ...index, [url]: [...ids].sort() });
  }

  /** Forgets a token's secret; returns the token ids still remembered for the cluster. */
  forget(url: string, tokenId: string): string[] {
    this.secrets.delete(secretName(url, tokenId));
    const index = this.index();
    const ids = (index[url] ?? []).filter((id) => id !== tokenId);
    const rest = Object.fromEntries(Object.entries(index).filter(([key]) => key !== url));
    this.settings.set(indexKey, ids.length > 0 ? { ...rest, [url]: ids } : rest);
    return ids;
  }

  private index(): Record<string, string[]> {
    const parsed = indexSchema.safeParse(this.settings.get(indexKey) ?? {});
    return parsed.success ? parsed.data : {};
  }
}

function secretName(url: string, tokenId: string): string {
  return `api-token ${url} ${tokenId}`;
}
