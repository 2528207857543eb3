import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPinnedDispatcher } from '../../src/main/pve/tls';
import { createNodeCertificate, type IssuedCertificate } from '../pve-sim/certs';

// A node's pinned dispatcher resumes TLS sessions only from connections whose certificate matched
// the pin. Real HTTPS on 127.0.0.1; the server records whether each connection was resumed.

interface Node {
  url: string;
  /** Connections that completed their handshake, full or resumed. */
  handshakes: Array<'full' | 'resumed'>;
  /** TCP connections accepted, including those the client dropped during the handshake. */
  connections: () => number;
  server: Server;
}

async function startNode(certificate: IssuedCertificate, port = 0): Promise<Node> {
  const handshakes: Node['handshakes'] = [];
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (_, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"data":{"version":"8.2"}}');
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    handshakes.push(socket.isSessionReused() ? 'resumed' : 'full');
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${bound}`, handshakes, connections: () => connections, server };
}

async function stop(node: Node): Promise<void> {
  node.server.closeAllConnections();
  await new Promise<void>((resolve) => node.server.close(() => resolve()));
}

/** Sends one request on a new connection (keep-alive off), so every request is a handshake. */
async function fetchOnce(url: string, dispatcher: ReturnType<typeof createPinnedDispatcher>) {
  const response = await request(`${url}/api2/json/version`, {
    dispatcher,
    headers: { connection: 'close' },
  });
  await response.body.text();
  return response.statusCode;
}

describe('TLS session resumption on a pinned node', () => {
  let genuine: IssuedCertificate;
  let impostor: IssuedCertificate;
  const nodes: Node[] = [];

  beforeAll(() => {
    genuine = createNodeCertificate('pve1');
    impostor = createNodeCertificate('pve1');
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(stop));
  });

  it('resumes the session of a checked connection instead of a full handshake', async () => {
    const node = await startNode(genuine);
    nodes.push(node);
    const dispatcher = createPinnedDispatcher(node.url, genuine.fingerprint);

    for (let i = 0; i < 4; i += 1) expect(await fetchOnce(node.url, dispatcher)).toBe(200);

    expect(node.handshakes[0]).toBe('full');
    expect(node.handshakes.slice(1)).toEqual(['resumed', 'resumed', 'resumed']);
    await dispatcher.close();
  });

  it('never resumes into a node whose certificate failed the pin, however often it is tried', async () => {
    const node = await startNode(impostor);
    nodes.push(node);
    const dispatcher = createPinnedDispatcher(node.url, genuine.fingerprint);

    for (let i = 0; i < 3; i += 1) {
      await expect(fetchOnce(node.url, dispatcher)).rejects.toMatchObject({
        name: 'PinMismatchError',
      });
    }

    // Three connections, each refused; a resumed one would have been accepted and answered 200.
    expect(node.connections()).toBe(3);
    expect(node.handshakes).not.toContain('resumed');
    await dispatcher.close();
  });

  it('checks the certificate again when the node can no longer resume the session', async () => {
    const first = await startNode(genuine);
    const dispatcher = createPinnedDispatcher(first.url, genuine.fingerprint);
    expect(await fetchOnce(first.url, dispatcher)).toBe(200);
    const port = Number(new URL(first.url).port);
    await stop(first);

    // Same address, new certificate and new session keys: no resumption, the pin decides.
    const replaced = await startNode(impostor, port);
    nodes.push(replaced);
    await expect(fetchOnce(replaced.url, dispatcher)).rejects.toMatchObject({
      name: 'PinMismatchError',
    });
    expect(replaced.connections()).toBe(1);
    expect(replaced.handshakes).not.toContain('resumed');
    await dispatcher.close();
  });
});
