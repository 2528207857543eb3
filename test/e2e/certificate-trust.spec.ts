import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { MemoryStore } from '../../src/main/store/key-value-store';
import { bundledScenarioPath, loadScenario, startSim, type Sim } from '../pve-sim';
import { issueCertificate } from '../pve-sim/certs';
import { findChromium, openRendererInChromium, type BrowserBridge } from './browser-bridge';
import { screenshotDir } from './renderer-lab';
import { ProxdeskApp } from './pages/proxdesk-app';

const policyFile = resolve(import.meta.dirname, '../../resources/demo/policy.json');
const oldFingerprint = Array.from({ length: 32 }, () => 'AB').join(':');

// Replacing a pin and trusting a root CA, as a user does it from the connect form.
describe.runIf(findChromium() !== null)('changing how a node is trusted', () => {
  let sim: Sim | undefined;
  let core: Core | undefined;
  let bridge: BrowserBridge | undefined;
  let dataDir: string | undefined;

  async function open(settings: MemoryStore, caIssuer?: { certPem: string; keyPem: string }) {
    sim = await startSim({
      scenario: loadScenario(bundledScenarioPath),
      ...(caIssuer ? { caIssuer } : {}),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
    core = createCore({ dataDir, policyFile, defaultClusterUrl: sim.url, settings });
    bridge = await openRendererInChromium(core);
    return { sim, app: new ProxdeskApp(bridge.page) };
  }

  afterEach(async () => {
    await bridge?.close();
    await core?.close();
    await sim?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('replaces a changed pin only after the second confirmation', async () => {
    const settings = new MemoryStore();
    const { sim: node, app } = await open(settings);
    settings.set('trust.pins', {
      [node.url]: { fingerprint: oldFingerprint, pinnedAt: '2026-01-01T00:00:00.000Z' },
    });

    await app.byTestId('connect-button').click();
    await app.byTestId('repin-open').click({ timeout: 20_000 });
    const shownOld = await app.byTestId('repin-old').getAttribute('data-fingerprint');
    const shownNew = await app.byTestId('repin-new').getAttribute('data-fingerprint');
    await app.byTestId('repin-confirm').click();
    await app.byTestId('username').waitFor({ timeout: 20_000 });

    expect([shownOld, shownNew]).toEqual([oldFingerprint, node.fingerprint]);
    expect(settings.get('trust.pins')).toMatchObject({
      [node.url]: { fingerprint: node.fingerprint },
    });
  });

  it("trusts the cluster's root CA pasted on the trust dialog, after refusing garbage", async () => {
    const ca = issueCertificate({ subject: { commonName: 'E2E Cluster CA' }, isCa: true });
    const settings = new MemoryStore();
    const { sim: node, app } = await open(settings, ca);

    await app.byTestId('connect-button').click();
    await app.byTestId('trust-ca-open').click({ timeout: 20_000 });
    await app.byTestId('trust-ca-pem').fill('not a certificate');
    await app.byTestId('trust-ca-button').click();
    const error = await app.byTestId('trust-ca-error').textContent({ timeout: 20_000 });
    const underField = await app.byTestId('trust-ca-pem-error').textContent();
    const listedInBox = await app.byTestId('trust-ca-error').locator('.message-fields').count();
    await app.screenshot(join(screenshotDir, 'trust-ca-01-refused.png'));
    await app.byTestId('trust-ca-pem').fill(ca.certPem);
    await app.byTestId('trust-ca-button').click();
    await app.byTestId('username').waitFor({ timeout: 20_000 });

    // The reason shows under the field it is about; the general box does not say it again.
    expect(underField).toContain('not a PEM certificate');
    expect(error).toBe('Nothing was trusted');
    expect(listedInBox).toBe(0);
    expect(settings.get('trust.cas')).toMatchObject({
      [node.url]: { fingerprint: new X509Certificate(ca.certPem).fingerprint256 },
    });
    expect(settings.get('trust.pins')).toBeUndefined();
  });
});
