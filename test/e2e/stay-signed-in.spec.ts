import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { MemorySecretStore } from '../../src/main/store/secrets';
import { bundledScenarioPath, loadScenario, startSim, type Sim } from '../pve-sim';
import { findChromium, openRendererInChromium, type BrowserBridge } from './browser-bridge';
import { ProxdeskApp } from './pages/proxdesk-app';
import { screenshotDir } from './renderer-lab';

const policyFile = resolve(import.meta.dirname, '../../resources/demo/policy.json');
const minute = 60_000;

// Alice ticks "Stay signed in", closes ProxDesk and opens it again: she is in without typing.
// When the kept sign-in is too old by the next start, the sign-in page says so.
describe.runIf(findChromium() !== null)('stay signed in, in the renderer', () => {
  let sim: Sim;
  let dataDir: string;
  const secrets = new MemorySecretStore();
  let coreNow = Date.now();
  let core: Core | null = null;
  let bridge: BrowserBridge | null = null;

  async function open(): Promise<ProxdeskApp> {
    core = createCore({
      dataDir,
      policyFile,
      secrets,
      now: () => coreNow,
      defaultClusterUrl: sim.url,
      taskPollMinMs: 100,
    });
    bridge = await openRendererInChromium(core);
    return new ProxdeskApp(bridge.page);
  }

  async function quit(): Promise<void> {
    await bridge?.close();
    await core?.close();
    bridge = null;
    core = null;
  }

  beforeAll(async () => {
    sim = await startSim({
      scenario: loadScenario(bundledScenarioPath),
      loginFailureDelayMs: 300,
      taskDurationMs: 300,
    });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
  });
  afterEach(quit);
  afterAll(async () => {
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens signed in after a restart, and a kept sign-in too old is dropped with a notice', async () => {
    let app = await open();
    await app.connect(sim.url);
    await app.trustCertificate();
    await app.byTestId('stay-signed-in').check({ timeout: 20_000 });
    await app.signIn('alice', 'alice-lab-pass', 'pve');
    await app.waitForWorkspace();
    expect(await app.byTestId('session-kept').textContent()).toBe(
      'stays signed in on this computer',
    );
    await quit();

    app = await open();
    await app.waitForWorkspace();
    expect(await app.byTestId('session-user').textContent()).toBe('alice@pve');
    await quit();

    coreNow += 115 * minute;
    app = await open();
    await app.byTestId('sign-in-notice').waitFor({ timeout: 20_000 });

    expect(await app.byTestId('sign-in-notice').textContent()).toBe(
      'ProxDesk could not keep you signed in as alice@pve because it had expired. Sign in again.',
    );
    expect(await app.byTestId('stay-signed-in').isChecked()).toBe(false);
    expect(secrets.get('session-ticket')).toBeNull();
  });

  it('keeps the sign-in when the cluster is away at start, and Try again signs in once it is back', async () => {
    // A fresh data folder: the first run of ProxDesk again, with nothing trusted yet.
    rmSync(dataDir, { recursive: true, force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
    coreNow = Date.now();
    let app = await open();
    await app.connect(sim.url);
    await app.trustCertificate();
    await app.byTestId('stay-signed-in').check({ timeout: 20_000 });
    await app.signIn('alice', 'alice-lab-pass', 'pve');
    await app.waitForWorkspace();
    await quit();
    const [node] = sim.nodes;
    if (!node) throw new Error('the simulator has no node listener');
    await node.stop();

    app = await open();
    await app.byTestId('restore-retry').waitFor({ timeout: 20_000 });
    const notice = await app.byTestId('sign-in-notice').textContent();
    await bridge?.page.screenshot({ path: join(screenshotDir, 'stay-signed-in-01-try-again.png') });
    await node.start();
    await app.byTestId('restore-retry').click();
    await app.waitForWorkspace();

    expect(notice).toBe(
      'ProxDesk could not restore your sign-in as alice@pve because the cluster could not be reached. It is still kept: try again once the cluster is back, or sign in with your password. Try again',
    );
    expect(await app.byTestId('session-user').textContent()).toBe('alice@pve');
    expect(secrets.get('session-ticket')).not.toBeNull();
  });
});
