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

// Alice stays signed in, and the next start finds the cluster away: besides the kept sign-in's
// Try again, the sign-in page says it could not reach the cluster for the sign-in options, and
// asks again when told to, instead of waiting on a spinner.
describe.runIf(findChromium() !== null)('the sign-in page with the cluster away at start', () => {
  let sim: Sim;
  let dataDir: string;
  const secrets = new MemorySecretStore();
  let core: Core | null = null;
  let bridge: BrowserBridge | null = null;

  async function open(): Promise<ProxdeskApp> {
    core = createCore({ dataDir, policyFile, secrets, defaultClusterUrl: sim.url });
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
    sim = await startSim({ scenario: loadScenario(bundledScenarioPath) });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
    const app = await open();
    await app.connect(sim.url);
    await app.trustCertificate();
    await app.byTestId('stay-signed-in').check({ timeout: 20_000 });
    await app.signIn('alice', 'alice-lab-pass', 'pve');
    await app.waitForWorkspace();
    await quit();
  });
  afterEach(async () => {
    sim.faults.down = false;
    sim.faults.latencyMs = 0;
    await quit();
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says the cluster could not be reached for the sign-in options, and asks again on Try again', async () => {
    const host = new URL(sim.url).host;
    sim.faults.down = true;
    const app = await open();
    await app.byTestId('restore-retry').waitFor({ timeout: 20_000 });
    const away = app.byTestId('realms-unreachable');
    await away.waitFor({ timeout: 20_000 });

    expect(await app.byTestId('realms-pending').count()).toBe(0);
    expect(await away.locator('.message-title').textContent()).toBe(
      `ProxDesk could not reach the cluster at ${host}`,
    );
    expect(await away.locator('.message-detail').textContent()).toBe(
      `The connection to ${host} was closed unexpectedly. Try again.`,
    );
    expect(await away.locator('.message-hint').textContent()).toBe(
      'The ways to sign in come from the cluster, so they show once it answers.',
    );
    await bridge?.page.screenshot({ path: join(screenshotDir, 'sign-in-away-01-unreachable.png') });

    const asked = sim.requests.length;
    await app.byTestId('realms-retry').click();
    // Still away: asking again ends in the same message, not in a spinner that stays.
    await away.waitFor({ timeout: 20_000 });
    expect(sim.requests.length).toBe(asked);

    // Back, but slow to answer: while it waits the page says whom it asks and that no answer came.
    sim.faults.down = false;
    // Long enough that an answer to this lookup cannot be what ends the wait below.
    sim.faults.latencyMs = 30_000;
    await app.byTestId('realms-retry').click();
    const slow = app.byTestId('realms-slow');
    await slow.waitFor({ timeout: 20_000 });
    expect(await app.byTestId('realms-pending').locator('.loading').textContent()).toBe(
      `Asking the cluster at ${host} how you can sign in…`,
    );
    expect(await slow.textContent()).toBe(
      `${host} has not answered yet. It may be down, or slow to answer.`,
    );
    await bridge?.page.screenshot({ path: join(screenshotDir, 'sign-in-away-02-slow.png') });
    // Try again while that lookup still hangs drops it and asks anew, which now answers at once.
    sim.faults.latencyMs = 0;
    await app.byTestId('realms-retry').click();
    await app.byTestId('username').waitFor({ timeout: 10_000 });

    expect(await app.byTestId('realms-unreachable').count()).toBe(0);
    expect(await app.byTestId('realm-select').inputValue()).toBe('pve');
    expect(sim.requests.slice(asked).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /access/domains',
    ]);
    await bridge?.page.screenshot({ path: join(screenshotDir, 'sign-in-away-03-asked-again.png') });

    // The kept sign-in's own Try again still signs her in now that the cluster is back.
    await app.byTestId('restore-retry').click();
    await app.waitForWorkspace();
    expect(await app.byTestId('session-user').textContent()).toBe('alice@pve');
    expect(secrets.get('session-ticket')).not.toBeNull();
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
