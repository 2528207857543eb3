import { createNodeCertificate, type CertificateIssuer, type IssuedCertificate } from './certs.js';
import type { ApiRequest, ApiResponse } from './pipeline.js';
import { startTransport, type Transport, type TransportOptions } from './server.js';

// One HTTPS listener per simulated node, all serving the same cluster state, as the nodes of a
// real cluster all serve the same API. Each has its own certificate and can be switched off and
// on again, or given a new certificate, while the others keep answering.

/** A request a node's listener read, whether it was answered or dropped. */
export interface ReceivedRequest {
  method: string;
  /** The path without `/api2/json`, as sent (still percent-encoded). */
  path: string;
}

/** One simulated node's listener. */
export interface SimNode {
  readonly name: string;
  /** The loopback address it listens on; `/cluster/status` reports it as the node's `ip`. */
  readonly ip: string;
  readonly url: string;
  /** SHA-256 of the certificate it serves now. */
  readonly fingerprint: string;
  readonly certPem: string;
  /** False between stop() and start(). */
  readonly up: boolean;
  /** Every request this listener read, in order, including those it dropped. */
  readonly received: ReceivedRequest[];
  /**
   * Drops requests after reading them, without an answer, as a node that dies mid-request: all
   * of them (true), or those the function picks (e.g. only writes).
   */
  dropRequests: boolean | ((request: ReceivedRequest) => boolean);
  /** Closes the listener and its connections: new connections are refused. */
  stop(): Promise<void>;
  /** Listens again on the same address and port. */
  start(): Promise<void>;
  /** Serves a new certificate (signed by `issuer`, else self-signed); returns its fingerprint. */
  replaceCertificate(issuer?: CertificateIssuer): string;
}

/** What a node listener shares with the others. */
export interface NodeListenerOptions extends Pick<
  TransportOptions,
  'faults' | 'latencyMs' | 'serve'
> {
  name: string;
  ip: string;
  port: number;
  issuer: CertificateIssuer | undefined;
  onServed: (request: ApiRequest, response: ApiResponse) => void;
}

/** A node listener and the way to close it for good. */
export interface RunningNode extends SimNode {
  close(): Promise<void>;
}

const apiBase = '/api2/json';

function describe(request: ApiRequest): ReceivedRequest {
  const path = request.rawPath.startsWith(apiBase)
    ? request.rawPath.slice(apiBase.length)
    : request.rawPath;
  return { method: request.method.toUpperCase(), path };
}

/** Starts one node's listener; port 0 picks a free one, which start() then reuses. */
export async function startNodeListener(options: NodeListenerOptions): Promise<RunningNode> {
  let certificate: IssuedCertificate = createNodeCertificate(
    options.name,
    options.issuer,
    options.ip,
  );
  const received: ReceivedRequest[] = [];
  let transport: Transport | null = null;
  let port = options.port;

  const listen = async (): Promise<void> => {
    transport = await startTransport({
      certPem: certificate.certPem,
      keyPem: certificate.keyPem,
      port,
      host: options.ip,
      nodeName: options.name,
      faults: options.faults,
      latencyMs: options.latencyMs,
      serve: options.serve,
      onServed: options.onServed,
      dropRequests: (request) =>
        typeof node.dropRequests === 'function'
          ? node.dropRequests(describe(request))
          : node.dropRequests,
      onReceived: (request) => received.push(describe(request)),
    });
    port = transport.port;
  };

  const node: RunningNode = {
    name: options.name,
    ip: options.ip,
    get url() {
      return `https://${options.ip}:${port}`;
    },
    get fingerprint() {
      return certificate.fingerprint;
    },
    get certPem() {
      return certificate.certPem;
    },
    get up() {
      return transport !== null;
    },
    received,
    dropRequests: false,
    async stop() {
      const running = transport;
      transport = null;
      await running?.close();
    },
    async start() {
      if (transport === null) await listen();
    },
    replaceCertificate(issuer) {
      certificate = createNodeCertificate(options.name, issuer, options.ip);
      transport?.setCertificate(certificate.certPem, certificate.keyPem);
      return certificate.fingerprint;
    },
    async close() {
      await node.stop();
    },
  };
  await listen();
  return node;
}
