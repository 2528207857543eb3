import { connect, createSecureContext, type PeerCertificate, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { AppError } from '../../shared/errors';
import { PinMismatchError, mapTransportError } from './errors';
import { asConnectFailure } from './node-failure';

/** What a node presents on a TLS handshake. */
export interface PresentedCertificate {
  fingerprint: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

/**
 * Sockets open at once to one node. Usage reads one config per guest, in parallel; with 24 sockets
 * a user with 200 guests needs about nine round trips of config reads instead of 25 with 8, and
 * pveproxy serves that many keep-alive connections from one client without trouble. Readers that
 * fan out (see quota-service.ts) use the same number, so no request waits for a free socket.
 */
export const nodeConnections = 24;

/** Options for the pinned dispatcher of one node. */
export interface PinnedDispatcherOptions {
  connectTimeoutMs?: number;
  /** Idle keep-alive sockets are closed after this long. */
  keepAliveTimeoutMs?: number;
  /** Sockets open at once to the node. */
  connections?: number;
}

function describeName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** The host (without IPv6 brackets) and port of a node address. */
export function hostAndPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return { host, port: parsed.port ? Number(parsed.port) : 443 };
}

/**
 * Connects once to read the certificate a node presents, without trusting it. Only the
 * fingerprint is used, to show the user and to compare with the pin; no data is exchanged.
 */
export async function fetchCertificate(
  url: string,
  timeoutMs = 10_000,
): Promise<PresentedCertificate> {
  return (await fetchPeerCertificate(url, timeoutMs)).presented;
}

/** The certificate a node presents, described and in DER, to check it against a root CA. */
export async function fetchPeerCertificate(
  url: string,
  timeoutMs = 10_000,
): Promise<{ presented: PresentedCertificate; der: Buffer }> {
  const { host, port } = hostAndPort(url);
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({
      host,
      port,
      // An IP address is not a valid SNI name.
      servername: isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const fail = (error: unknown): void => {
      socket.destroy();
      reject(mapTransportError(error, { url }));
    };
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      if (!certificate.fingerprint256) {
        reject(new AppError('TLS_ERROR', `${url} presented no certificate.`));
        return;
      }
      resolve({
        presented: {
          fingerprint: certificate.fingerprint256,
          subject: describeName(certificate.subject),
          issuer: describeName(certificate.issuer),
          validFrom: new Date(certificate.valid_from).toISOString(),
          validTo: new Date(certificate.valid_to).toISOString(),
        },
        der: certificate.raw,
      });
    });
    socket.once('timeout', () => {
      const error = Object.assign(new Error(`connect to ${url} timed out`), {
        code: 'UND_ERR_CONNECT_TIMEOUT',
      });
      fail(error);
    });
    socket.once('error', fail);
  });
}

/**
 * The TLS session of the last connection to a node whose certificate matched the pin. Offering it
 * lets the next connections resume instead of repeating the full handshake, which matters when a
 * usage read opens many sockets at once. A resumed session carries no certificate to compare, but
 * only the server that took part in the checked handshake holds the session's secret, so a
 * resumed connection is as trustworthy as the one it resumes. Only checked sessions are kept.
 */
class CheckedSessions {
  private session: Buffer | undefined;

  /** The session to offer on the next connection, if any. */
  offer(): Buffer | undefined {
    return this.session;
  }

  /** Keeps the sessions PVE issues on a socket whose certificate has been checked. */
  keepFrom(socket: TLSSocket): void {
    socket.on('session', (session: Buffer) => {
      this.session = session;
    });
  }
}

/**
 * An undici dispatcher for one node that accepts exactly the pinned certificate and nothing
 * else. Chain verification is off because PVE's certificates are self-signed; the fingerprint
 * check below replaces it and fails closed. Node skips checkServerIdentity once chain
 * verification fails, so the check has to run on the connected socket itself.
 */
export function createPinnedDispatcher(
  url: string,
  pinnedFingerprint: string,
  options: PinnedDispatcherOptions = {},
): Agent {
  const { host, port } = hostAndPort(url);
  const checked = new CheckedSessions();
  // One context for every socket: building one per socket loads the system's CA list each time.
  const secureContext = createSecureContext();
  // undici's own session cache would keep the sessions of every socket, including one whose
  // certificate is then refused, so it stays off and each connection is offered a checked one.
  const connectTls = (session: Buffer | undefined): buildConnector.connector =>
    buildConnector({
      rejectUnauthorized: false,
      secureContext,
      maxCachedSessions: 0,
      ...(session ? { session } : {}),
      timeout: options.connectTimeoutMs ?? 10_000,
    });
  return new Agent({
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
    connections: options.connections ?? nodeConnections,
    connect(connectOptions, callback) {
      const targetPort = connectOptions.port ? Number(connectOptions.port) : 443;
      if (connectOptions.hostname.replace(/^\[|\]$/g, '') !== host || targetPort !== port) {
        callback(new Error(`refusing to connect to ${connectOptions.hostname}: not ${url}`), null);
        return;
      }
      const offered = checked.offer();
      connectTls(offered)(connectOptions, (error, socket) => {
        if (error || !socket) {
          callback(asConnectFailure(error ?? new Error('no socket')), null);
          return;
        }
        const tlsSocket = socket as TLSSocket;
        // Only a session this dispatcher offered can be resumed, and it offers only checked ones.
        const resumed = offered !== undefined && tlsSocket.isSessionReused();
        const presented = tlsSocket.getPeerCertificate?.().fingerprint256;
        if (!resumed && presented !== pinnedFingerprint) {
          socket.destroy();
          callback(new PinMismatchError(pinnedFingerprint, presented ?? 'none'), null);
          return;
        }
        checked.keepFrom(tlsSocket);
        callback(null, socket);
      });
    },
  });
}
