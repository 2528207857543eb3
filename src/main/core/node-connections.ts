import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import { createCaDispatcher } from '../pve/ca-trust';
import type { NodeTrust } from '../pve/cluster-connection';
import { PveConnection } from '../pve/connection';
import { createPinnedDispatcher } from '../pve/tls';
import type { TrustStore } from '../store/trust-store';

/** What the node connections are built from. */
export interface NodeConnectionsDeps {
  trust: TrustStore;
  log: Logger;
  requestTimeoutMs: number;
}

/**
 * One connection per node address, each accepting only that address's own trust: its pinned
 * certificate, or a certificate its trusted root CA issued for it. A connection built for trust
 * that has since changed is replaced, never reused.
 */
export class NodeConnections {
  /** Per node address: the trust the connection was built for (`pin:…` or `ca:…`), and it. */
  private readonly connections = new Map<
    string,
    { trustKey: string; trust: NodeTrust; connection: PveConnection }
  >();

  constructor(private readonly deps: NodeConnectionsDeps) {}

  /** The connection to a trusted node; CERT_NOT_TRUSTED for a node that has no trust yet. */
  get(url: string): { connection: PveConnection; trust: NodeTrust } {
    const ca = this.deps.trust.ca(url);
    const pin = ca ? null : this.deps.trust.get(url);
    if (!ca && !pin) {
      throw new AppError('CERT_NOT_TRUSTED', `The certificate of ${url} has not been trusted yet.`);
    }
    const trustKey = ca ? `ca:${ca.fingerprint}` : `pin:${pin?.fingerprint ?? ''}`;
    const cached = this.connections.get(url);
    if (cached?.trustKey === trustKey) return cached;
    const entry = {
      trustKey,
      trust: ca ? ('ca' as const) : ('pin' as const),
      connection: new PveConnection({
        baseUrl: url,
        dispatcher: ca
          ? createCaDispatcher(url, ca.certPem)
          : createPinnedDispatcher(url, pin?.fingerprint ?? ''),
        logger: this.deps.log,
        timeoutMs: this.deps.requestTimeoutMs,
      }),
    };
    this.connections.set(url, entry);
    // The replaced connection's sockets belong to trust that no longer holds.
    if (cached) void cached.connection.close().catch(() => undefined);
    return entry;
  }

  /** Closes and forgets the connection to one address. */
  async drop(url: string): Promise<void> {
    const cached = this.connections.get(url);
    this.connections.delete(url);
    await cached?.connection.close();
  }

  /** Closes every connection. */
  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((entry) => entry.connection.close()));
  }
}
