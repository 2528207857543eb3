import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/main/store/key-value-store';
import { startLab, type Lab } from './lab';

const wrongFingerprint = Array.from({ length: 32 }, () => 'AB').join(':');

describe('certificate pinning', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab.close();
  });

  it('shows a new node certificate with the fingerprint the node presents', async () => {
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(probe).toMatchObject({
      url: lab.sim.url,
      fingerprint: lab.sim.fingerprint,
      trust: 'new',
      pinnedFingerprint: null,
    });
  });

  it('refuses to pin a fingerprint the node does not present, and pins nothing', async () => {
    const error = await lab.fail('cluster:trust', {
      url: lab.sim.url,
      fingerprint: wrongFingerprint,
    });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(error.code).toBe('CERT_MISMATCH');
    expect(error.details).toMatchObject({ presentedFingerprint: lab.sim.fingerprint });
    expect(probe.trust).toBe('new');
  });

  it('refuses to talk to a node before its certificate is trusted', async () => {
    const error = await lab.fail('cluster:realms', { url: lab.sim.url });

    expect(error.code).toBe('CERT_NOT_TRUSTED');
  });

  it('accepts the right fingerprint, after which the node is trusted', async () => {
    await lab.call('cluster:trust', {
      url: lab.sim.url,
      fingerprint: lab.sim.fingerprint.toLowerCase(),
    });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(probe).toMatchObject({ trust: 'trusted', pinnedFingerprint: lab.sim.fingerprint });
  });
});

describe('a changed certificate', () => {
  let lab: Lab;

  beforeAll(async () => {
    const settings = new MemoryStore();
    lab = await startLab({}, { settings });
    // The address was trusted earlier with another certificate.
    settings.set('trust.pins', {
      [lab.sim.url]: { fingerprint: wrongFingerprint, pinnedAt: '2026-01-01T00:00:00.000Z' },
    });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('is reported as a mismatch with both fingerprints', async () => {
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(probe).toMatchObject({
      trust: 'mismatch',
      pinnedFingerprint: wrongFingerprint,
      fingerprint: lab.sim.fingerprint,
    });
  });

  it('is refused with CERT_MISMATCH before any credentials are sent', async () => {
    const error = await lab.fail('session:login', {
      url: lab.sim.url,
      realm: 'pve',
      username: 'alice',
      password: 'alice-lab-pass',
    });

    expect(error.code).toBe('CERT_MISMATCH');
    expect(error.details).toMatchObject({
      pinnedFingerprint: wrongFingerprint,
      presentedFingerprint: lab.sim.fingerprint,
    });
    expect(lab.sim.requests).toEqual([]);
  });

  it('cannot be re-pinned through the ordinary trust action', async () => {
    const error = await lab.fail('cluster:trust', {
      url: lab.sim.url,
      fingerprint: lab.sim.fingerprint,
    });

    expect(error.code).toBe('CERT_MISMATCH');
  });
});

describe('sign-in', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab();
    await lab.call('cluster:trust', { url: lab.sim.url, fingerprint: lab.sim.fingerprint });
  });
  afterAll(async () => {
    await lab.close();
  });

  it('offers the pam and pve realms with pve as the default', async () => {
    const realms = await lab.call('cluster:realms', { url: lab.sim.url });

    expect(realms.map((r) => r.realm).sort()).toEqual(['pam', 'pve']);
    expect(realms.find((r) => r.default)?.realm).toBe('pve');
  });

  it('refuses a wrong password with PVE_AUTH and stays signed out', async () => {
    const error = await lab.fail('session:login', {
      url: lab.sim.url,
      realm: 'pve',
      username: 'alice',
      password: 'nope',
    });
    const status = await lab.call('session:status');

    expect(error.code).toBe('PVE_AUTH');
    expect(error.message).toMatch(/user name, password or realm is wrong/);
    expect(status).toEqual({ signedIn: false });
  });

  it('signs in and reports who until when, without any ticket', async () => {
    const before = Date.now();

    const status = await lab.call('session:login', {
      url: lab.sim.url,
      realm: 'pve',
      username: 'alice',
      password: 'alice-lab-pass',
    });

    expect(status).toMatchObject({ signedIn: true, userid: 'alice@pve', clusterUrl: lab.sim.url });
    const expiresAt = status.signedIn ? Date.parse(status.expiresAt ?? '') : 0;
    expect(expiresAt - before).toBeGreaterThan(119 * 60_000);
    expect(expiresAt - before).toBeLessThanOrEqual(120 * 60_000 + 5_000);
    expect(JSON.stringify(status)).not.toMatch(/PVE:|CSRF/);
  });

  it('signs out and then refuses work with NOT_SIGNED_IN', async () => {
    await lab.call('session:logout');

    const error = await lab.fail('instance:list');

    expect(error.code).toBe('NOT_SIGNED_IN');
  });
});
