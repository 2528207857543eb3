import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenarioPath, loadScenario, startSim, type CertificateIssuer } from '../pve-sim';
import { createNodeCertificate, issueCertificate } from '../pve-sim/certs';
import { startLab, type Lab } from './lab';

const alice = { realm: 'pve', username: 'alice', password: 'alice-lab-pass' };

function clusterCa(commonName: string): CertificateIssuer {
  return issueCertificate({ subject: { commonName }, isCa: true });
}

/** Restarts the lab's simulator on the same address with a node certificate from `caIssuer`. */
async function restartWith(lab: Lab, caIssuer: CertificateIssuer): Promise<void> {
  const port = Number(new URL(lab.sim.url).port);
  await lab.sim.close();
  lab.sim = await startSim({
    scenario: loadScenario(bundledScenarioPath),
    loginFailureDelayMs: 300,
    taskDurationMs: 300,
    port,
    caIssuer,
  });
}

describe("trusting the cluster's root CA", () => {
  const ca = clusterCa('Lab Cluster CA');
  const otherCa = clusterCa('Someone Else CA');
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ caIssuer: ca });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('refuses a node certificate (not a CA) as invalid input, and trusts nothing', async () => {
    const leaf = createNodeCertificate('pve1', ca);

    const error = await lab.fail('cluster:trust-ca', { url: lab.sim.url, caPem: leaf.certPem });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/not a CA certificate/);
    expect(probe.trust).toBe('new');
  });

  it('refuses garbage and a damaged PEM as invalid input', async () => {
    const garbage = await lab.fail('cluster:trust-ca', { url: lab.sim.url, caPem: 'hello' });
    const damaged = await lab.fail('cluster:trust-ca', {
      url: lab.sim.url,
      caPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    });
    const notText = await lab.fail('cluster:trust-ca', { url: lab.sim.url, caPem: 42 });

    expect(garbage.code).toBe('INVALID_INPUT');
    expect(garbage.message).toMatch(/not a PEM certificate/);
    expect(damaged.code).toBe('INVALID_INPUT');
    expect(damaged.message).toMatch(/could not be read/);
    expect(notText.code).toBe('INVALID_INPUT');
  });

  it('refuses a CA that did not issue the node certificate, and trusts nothing', async () => {
    const error = await lab.fail('cluster:trust-ca', { url: lab.sim.url, caPem: otherCa.certPem });
    const realms = await lab.fail('cluster:realms', { url: lab.sim.url });

    expect(error.code).toBe('TLS_ERROR');
    expect(error.message).toMatch(/not issued by this CA/);
    expect(realms.code).toBe('CERT_NOT_TRUSTED');
  });

  it('accepts the issuing CA; the node is then trusted through it and sign-in works', async () => {
    const result = await lab.call('cluster:trust-ca', { url: lab.sim.url, caPem: ca.certPem });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });
    const status = await lab.call('session:login', { url: lab.sim.url, ...alice });

    expect(result).toMatchObject({ url: lab.sim.url, caSubject: 'CN=Lab Cluster CA' });
    expect(probe).toMatchObject({
      trust: 'trusted-ca',
      fingerprint: lab.sim.fingerprint,
      pinnedFingerprint: null,
    });
    expect(status).toMatchObject({ signedIn: true, userid: 'alice@pve' });
    expect(lab.sim.schemaViolations).toEqual([]);
  });

  it('refuses to replace the trusted CA with another one that also issued the node', async () => {
    // The same key and name in a new certificate: it verifies the node, but it is another CA.
    const reissued = issueCertificate({
      subject: { commonName: 'Lab Cluster CA' },
      keyPair: {
        privateKeyPem: ca.keyPem,
        publicKeyPem: createPublicKey(ca.keyPem).export({ type: 'spki', format: 'pem' }).toString(),
      },
      isCa: true,
    });

    const error = await lab.fail('cluster:trust-ca', { url: lab.sim.url, caPem: reissued.certPem });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(error.code).toBe('CONFLICT');
    expect(probe.trust).toBe('trusted-ca');
  });

  it('accepts a renewed node certificate from the same CA without asking again', async () => {
    const before = lab.sim.fingerprint;
    await restartWith(lab, ca);

    const probe = await lab.call('cluster:probe', { url: lab.sim.url });
    const status = await lab.call('session:login', { url: lab.sim.url, ...alice });
    const instances = await lab.call('instance:list');

    expect(lab.sim.fingerprint).not.toBe(before);
    expect(probe.trust).toBe('trusted-ca');
    expect(status).toMatchObject({ signedIn: true, userid: 'alice@pve' });
    expect(instances.length).toBeGreaterThan(0);
    expect(lab.sim.schemaViolations).toEqual([]);
  });

  it('refuses a node certificate from another CA with a clear TLS_ERROR', async () => {
    await restartWith(lab, otherCa);

    const probe = await lab.call('cluster:probe', { url: lab.sim.url });
    const realms = await lab.fail('cluster:realms', { url: lab.sim.url });

    expect(probe).toMatchObject({ trust: 'mismatch', pinnedFingerprint: null });
    expect(realms.code).toBe('TLS_ERROR');
    expect(realms.message).toMatch(/not issued by the root CA you trusted/);
    expect(lab.sim.requests).toEqual([]);
  });
});

describe('a simulator started with rootCa', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ rootCa: true });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('exposes the CA that signed its certificate, which ProxDesk can trust', async () => {
    const caPem = lab.sim.caPem ?? '';

    await lab.call('cluster:trust-ca', { url: lab.sim.url, caPem });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(probe.trust).toBe('trusted-ca');
  });
});
