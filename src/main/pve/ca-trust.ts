import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { AppError } from '../../shared/errors';
import { asConnectFailure } from './node-failure';
import { hostAndPort, nodeConnections, type PinnedDispatcherOptions } from './tls';

// Trusting a cluster's root CA instead of pinning each node: PVE signs every node's default
// certificate with its pve-root-ca, so one CA covers every node and every renewal.

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Parses a root CA certificate in PEM; anything but exactly one CA certificate is refused. */
export function parseCaCertificate(pem: string): X509Certificate {
  const blocks = pem.match(pemBlock) ?? [];
  if (blocks.length !== 1) {
    throw invalidCa(
      blocks.length === 0
        ? 'This is not a PEM certificate. Paste the whole pve-root-ca.pem, BEGIN and END lines included.'
        : 'Paste only the root CA certificate: this text holds more than one certificate.',
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(blocks[0] ?? '');
  } catch {
    throw invalidCa('The certificate could not be read. Paste the whole pve-root-ca.pem again.');
  }
  if (!certificate.ca) {
    throw invalidCa(
      "This certificate is not a CA certificate (it is probably a node's own certificate). Paste pve-root-ca.pem instead.",
    );
  }
  return certificate;
}

/**
 * Why a node's certificate (DER) is not one the CA issued for `host`, or null when it is: it
 * must be signed by the CA's key and name the host (a DNS name or an IP address) it is served on.
 */
export function caRefusal(der: Buffer, ca: X509Certificate, host: string): string | null {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(der);
  } catch {
    return 'the node presented a certificate that could not be read';
  }
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) {
    return 'the node certificate was not issued by this CA';
  }
  const named = isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host);
  if (named === undefined) return `the node certificate is not valid for ${host}`;
  return null;
}

/**
 * An undici dispatcher for one node that accepts any certificate the given root CA issued for
 * the node's address, and nothing else: Node verifies the chain and, because chain verification
 * is on, the host name or IP address too.
 */
export function createCaDispatcher(
  url: string,
  caPem: string,
  options: PinnedDispatcherOptions = {},
): Agent {
  const { host, port } = hostAndPort(url);
  const connectTls = buildConnector({
    // One context for every socket, so the CA is parsed once and not on each handshake.
    secureContext: createSecureContext({ ca: [caPem] }),
    rejectUnauthorized: true,
    // A name to check for a host name; an IP address is checked against the IP SANs instead.
    ...(isIP(host) ? {} : { servername: host }),
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
      connectTls(connectOptions, (error, socket) => {
        if (error || !socket) {
          callback(
            caFailure(url, error) ?? asConnectFailure(error ?? new Error('no socket')),
            null,
          );
          return;
        }
        // Fail closed should a socket ever come back without a verified chain.
        if ((socket as TLSSocket).authorized !== true) {
          socket.destroy();
          callback(caFailure(url, new Error('unverified')) ?? new Error('unverified'), null);
          return;
        }
        callback(null, socket);
      });
    },
  });
}

const verificationCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A certificate-verification failure as a TLS_ERROR that says what was refused, else null. */
function caFailure(url: string, error: Error | null): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (error?.message !== 'unverified' && (typeof code !== 'string' || !verificationCodes.has(code)))
    return null;
  const host = new URL(url).host;
  const why =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? `its certificate does not name ${hostAndPort(url).host}`
      : code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
        ? 'its certificate is outside its validity period'
        : 'its certificate was not issued by the root CA you trusted for it';
  return new AppError(
    'TLS_ERROR',
    `ProxDesk refused ${host}: ${why}. Ask your lab admin whether the node's certificate changed.`,
  );
}

function invalidCa(message: string): AppError {
  return new AppError('INVALID_INPUT', message, { fields: { caPem: message } });
}
