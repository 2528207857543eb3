import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createNodeCertificate } from '../pve-sim/certs';

// An HTTPS server that is not a node of the simulated cluster, with a certificate of its own:
// what a mistyped address or a hostile renderer could point ProxDesk at.

/** A foreign HTTPS server and what reached it. */
export interface ForeignServer {
  url: string;
  fingerprint: string;
  /** Every HTTP request it read, with the cookie it carried, if any. */
  requests: Array<{ method: string; path: string; cookie: string | null }>;
  /** TLS handshakes completed (a certificate probe is one, with no request). */
  handshakes: number;
  close(): Promise<void>;
}

/** Starts a foreign server on `ip` (port 0 picks a free one), named like a node of the cluster. */
export async function startForeignServer(ip: string, port = 0): Promise<ForeignServer> {
  const certificate = createNodeCertificate('pve2', undefined, ip);
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem });
  const foreign: ForeignServer = {
    url: '',
    fingerprint: certificate.fingerprint,
    requests: [],
    handshakes: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('secureConnection', () => (foreign.handshakes += 1));
  server.on('request', (request, response) => {
    foreign.requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      cookie: request.headers.cookie ?? null,
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: [] }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
  foreign.url = `https://${ip}:${(server.address() as AddressInfo).port}`;
  return foreign;
}
