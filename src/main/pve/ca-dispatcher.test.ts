import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { issueCertificate, type CertificateIssuer } from '../../../test/pve-sim/certs';
import { AppError } from '../../shared/errors';
import { createCaDispatcher } from './ca-trust';
import { mapTransportError } from './errors';

const ca = issueCertificate({ subject: { commonName: 'Dispatcher CA' }, isCa: true });

function leaf(names: { dnsNames?: string[]; ipAddresses?: string[] }, issuer?: CertificateIssuer) {
  return issueCertificate({
    subject: { commonName: 'pve9', ...names },
    ...(issuer ? { issuer } : {}),
  });
}

describe('createCaDispatcher', () => {
  let server: Server | undefined;

  async function serve(certificate: { certPem: string; keyPem: string }): Promise<string> {
    server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (_req, res) => {
      res.end('ok');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function fetchWith(url: string): Promise<string | AppError> {
    const dispatcher = createCaDispatcher(url, ca.certPem);
    try {
      const reply = await request(`${url}/`, { dispatcher });
      return await reply.body.text();
    } catch (error) {
      return mapTransportError(error, { url });
    } finally {
      await dispatcher.close();
    }
  }

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('connects to a node whose certificate the CA issued for its address', async () => {
    const url = await serve(leaf({ ipAddresses: ['127.0.0.1'] }, ca));

    expect(await fetchWith(url)).toBe('ok');
  });

  it('refuses a certificate the CA issued for another address', async () => {
    const url = await serve(leaf({ dnsNames: ['pve9.example.org'] }, ca));

    const result = await fetchWith(url);

    expect(result).toBeInstanceOf(AppError);
    expect((result as AppError).code).toBe('TLS_ERROR');
    expect((result as AppError).message).toMatch(/does not name 127\.0\.0\.1/);
  });

  it('refuses a self-signed certificate', async () => {
    const url = await serve(leaf({ ipAddresses: ['127.0.0.1'] }));

    const result = await fetchWith(url);

    expect((result as AppError).code).toBe('TLS_ERROR');
    expect((result as AppError).message).toMatch(/not issued by the root CA you trusted/);
  });
});
