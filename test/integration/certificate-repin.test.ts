import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenarioPath, loadScenario, startSim } from '../pve-sim';
import { startLab, type Lab } from './lab';

const alice = { realm: 'pve', username: 'alice', password: 'alice-lab-pass' };

/** Stops the lab's simulator and starts a new one on the same address with a new certificate. */
async function renewCertificate(lab: Lab): Promise<void> {
  const port = Number(new URL(lab.sim.url).port);
  await lab.sim.close();
  lab.sim = await startSim({
    scenario: loadScenario(bundledScenarioPath),
    loginFailureDelayMs: 300,
    taskDurationMs: 300,
    port,
  });
}

describe('re-pinning a replaced certificate', () => {
  let lab: Lab;
  let oldFingerprint: string;
  let newFingerprint: string;

  beforeAll(async () => {
    lab = await startLab();
    oldFingerprint = lab.sim.fingerprint;
    await lab.call('cluster:trust', { url: lab.sim.url, fingerprint: oldFingerprint });
    await lab.call('session:login', { url: lab.sim.url, ...alice });
    await renewCertificate(lab);
    newFingerprint = lab.sim.fingerprint;
  });
  afterAll(async () => {
    await lab.close();
  });

  it('sees the renewed certificate as a mismatch', async () => {
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(newFingerprint).not.toBe(oldFingerprint);
    expect(probe).toMatchObject({
      trust: 'mismatch',
      pinnedFingerprint: oldFingerprint,
      fingerprint: newFingerprint,
    });
  });

  it('refuses when the stated pin is not the stored one, and replaces nothing', async () => {
    const error = await lab.fail('cluster:repin', {
      url: lab.sim.url,
      pinnedFingerprint: newFingerprint,
      presentedFingerprint: newFingerprint,
    });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(error.code).toBe('CERT_MISMATCH');
    expect(error.details).toEqual({ pinnedFingerprint: oldFingerprint });
    expect(probe.pinnedFingerprint).toBe(oldFingerprint);
  });

  it('refuses when the node does not present the stated certificate, and replaces nothing', async () => {
    const error = await lab.fail('cluster:repin', {
      url: lab.sim.url,
      pinnedFingerprint: oldFingerprint,
      presentedFingerprint: oldFingerprint,
    });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(error.code).toBe('CERT_MISMATCH');
    expect(error.details).toEqual({
      pinnedFingerprint: oldFingerprint,
      presentedFingerprint: newFingerprint,
    });
    expect(probe.pinnedFingerprint).toBe(oldFingerprint);
  });

  it('refuses a malformed fingerprint as invalid input', async () => {
    const error = await lab.fail('cluster:repin', {
      url: lab.sim.url,
      pinnedFingerprint: 'AB:CD',
      presentedFingerprint: newFingerprint,
    });

    expect(error.code).toBe('INVALID_INPUT');
  });

  it('replaces the pin with the right values and signs the session out', async () => {
    const before = await lab.call('session:status');

    const result = await lab.call('cluster:repin', {
      url: lab.sim.url,
      pinnedFingerprint: oldFingerprint.toLowerCase(),
      presentedFingerprint: newFingerprint,
    });
    const after = await lab.call('session:status');
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });

    expect(before).toMatchObject({ signedIn: true, userid: 'alice@pve' });
    expect(result).toEqual({ url: lab.sim.url, fingerprint: newFingerprint });
    expect(after).toEqual({ signedIn: false });
    expect(probe).toMatchObject({ trust: 'trusted', pinnedFingerprint: newFingerprint });
  });

  it('no longer accepts the old pin, and signs in over the new one', async () => {
    const repinBack = await lab.fail('cluster:repin', {
      url: lab.sim.url,
      pinnedFingerprint: oldFingerprint,
      presentedFingerprint: newFingerprint,
    });
    const trustOld = await lab.fail('cluster:trust', {
      url: lab.sim.url,
      fingerprint: oldFingerprint,
    });
    const status = await lab.call('session:login', { url: lab.sim.url, ...alice });

    expect(repinBack.code).toBe('CERT_MISMATCH');
    expect(trustOld.code).toBe('CERT_MISMATCH');
    expect(status).toMatchObject({ signedIn: true, userid: 'alice@pve' });
    expect(lab.sim.schemaViolations).toEqual([]);
  });

  it('changes nothing when the node presents a third certificate', async () => {
    const shown = lab.sim.fingerprint;
    await renewCertificate(lab);
    const third = lab.sim.fingerprint;

    const error = await lab.fail('cluster:repin', {
      url: lab.sim.url,
      pinnedFingerprint: shown,
      presentedFingerprint: oldFingerprint,
    });
    const probe = await lab.call('cluster:probe', { url: lab.sim.url });
    const realms = await lab.fail('cluster:realms', { url: lab.sim.url });

    expect(error.code).toBe('CERT_MISMATCH');
    expect(error.details).toEqual({ pinnedFingerprint: shown, presentedFingerprint: third });
    expect(probe).toMatchObject({
      trust: 'mismatch',
      pinnedFingerprint: shown,
      fingerprint: third,
    });
    expect(realms.code).toBe('CERT_MISMATCH');
  });
});
