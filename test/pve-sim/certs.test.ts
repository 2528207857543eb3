import { X509Certificate } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialNumber } from './certs.js';
import { createNodeCertificate, fingerprintOf, issueCertificate, type Sim } from './index.js';
import { startLab } from './test-client.js';

function peerCertificate(url: string): Promise<PeerCertificate> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: hostname, port: Number(port), rejectUnauthorized: false },
      () => {
        resolve(socket.getPeerCertificate());
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

describe('node certificates', () => {
  let sim: Sim;

  beforeAll(async () => {
    sim = await startLab();
  });

  afterAll(async () => {
    await sim.close();
  });

  it('serves the certificate whose fingerprint the simulator reports', async () => {
    const peer = await peerCertificate(sim.url);

    expect(sim.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(peer.fingerprint256).toBe(sim.fingerprint);
    expect(peer.subject.CN).toBe('pve1');
    expect(peer.subjectaltname).toBe('DNS:localhost, DNS:pve1, IP Address:127.0.0.1');
  });

  it('gives each simulator its own certificate', async () => {
    const other = await startLab();
    const fingerprint = other.fingerprint;
    await other.close();

    expect(fingerprint).not.toBe(sim.fingerprint);
  });

  it('signs a node certificate with a cluster CA when one is given', () => {
    const ca = issueCertificate({
      subject: { commonName: 'Simulated Cluster Root CA' },
      isCa: true,
      validDays: 3650,
    });

    const node = createNodeCertificate('pve2', ca);
    const leaf = new X509Certificate(node.certPem);
    const root = new X509Certificate(ca.certPem);

    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.issuer).toBe('CN=Simulated Cluster Root CA');
    expect(leaf.ca).toBe(false);
    expect(root.ca).toBe(true);
    expect(node.fingerprint).toBe(fingerprintOf(node.certPem));
  });
});

describe('serialNumber', () => {
  it('never starts with a zero byte or a set top bit, which DER or OpenSSL would refuse', () => {
    expect(serialNumber(Buffer.alloc(16, 0x00))).toBe(`40${'00'.repeat(15)}`);
    expect(serialNumber(Buffer.from([0x00, 0x01, ...Array<number>(14).fill(0x22)]))).toBe(
      `4001${'22'.repeat(14)}`,
    );
    expect(serialNumber(Buffer.alloc(16, 0xff))).toBe(`7f${'ff'.repeat(15)}`);
  });
});
