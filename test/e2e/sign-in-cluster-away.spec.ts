import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { MemorySecretStore } from '../../src/main/store/secrets';
import { bundledScenarioPath, loadScenario, startSim, type Sim } from '../pve-sim';
import { findChromium, openRendererInChromium, type BrowserBridge } from './browser-bridge';
import { ProxdeskApp } from './pages/proxdesk-app';
import { screenshotDir } from './renderer-lab';

const policyFile = resolve(import.meta.dirname, '../../resources/demo/policy.json');
const minute = 60_000;
const sharedRetryNote = 'Try again above also asks the cluster again how you can sign in.';
// The two requests a Try again can send: renewing the kept ticket, and reading the realms.
const retryPaths = new Set(['/access/ticket', '/access/domains']);

// Alice stays signed in, and the next start finds the cluster away: the kept sign-in cannot be
// restored and the sign-in options cannot be read, for the same cause. The page says both, each
// naming what failed and the cluster, and offers one Try again, which tries both.
describe.runIf(findChromium() !== null)('the sign-in page with the cluster away at start', () => {
  let sim: Sim;
  let dataDir = '';
  let secrets = new MemorySecretStore();
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

  /** Every button on the page named exactly "Try again". */
  function tryAgainButtons(app: ProxdeskApp): Locator {
    return app.page.getByRole('button', { name: 'Try again', exact: true });
  }

  /** Starts ProxDesk with the cluster down and waits until both failures are on the page. */
  async function openWithClusterDown(): Promise<ProxdeskApp> {
    sim.faults.down = true;
    const app = await open();
    await app.byTestId('realms-unreachable').waitFor({ timeout: 20_000 });
    await tryAgainButtons(app).first().waitFor({ timeout: 20_000 });
    return app;
  }

  /** The Try again requests the simulator answered since `from`, as `METHOD /path`, sorted. */
  function retryRequestsSince(from: number): string[] {
    return sim.requests
      .slice(from)
      .filter((r) => retryPaths.has(r.path))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
  }

  beforeAll(async () => {
    sim = await startSim({ scenario: loadScenario(bundledScenarioPath) });
  });
  afterAll(async () => {
    await sim?.close();
  });

  describe('with a kept sign-in', () => {
    // Each test starts from a first run of its own and keeps a fresh sign-in, so none depends on
    // what an earlier one did to the kept sign-in.
    beforeEach(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
      secrets = new MemorySecretStore();
      coreNow = Date.now();
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
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('offers one Try again when both failed, and that one press restores the kept sign-in and asks the options', async () => {
      const host = new URL(sim.url).host;
      const app = await openWithClusterDown();
      const away = app.byTestId('realms-unreachable');

      expect(await tryAgainButtons(app).count()).toBe(1);
      expect(await app.byTestId('restore-retry').textContent()).toBe('Try again');
      expect(await app.byTestId('realms-retry').count()).toBe(0);
      expect(await app.byTestId('sign-in-notice').textContent()).toBe(
        'ProxDesk could not restore your sign-in as alice@pve because the cluster could not be reached. It is still kept: try again once the cluster is back, or sign in with your password. Try again',
      );
      expect(await away.locator('.message-title').textContent()).toBe(
        `ProxDesk could not reach the cluster at ${host}`,
      );
      expect(await away.locator('.message-detail').textContent()).toBe(
        `The connection to ${host} was closed unexpectedly. Try again.`,
      );
      expect(await away.locator('.message-hint').textContent()).toBe(
        'The ways to sign in come from the cluster, so they show once it answers.',
      );
      expect(await app.byTestId('realms-retry-note').textContent()).toBe(sharedRetryNote);
      await bridge?.page.screenshot({
        path: join(screenshotDir, 'sign-in-away-01-both-failed.png'),
      });

      sim.faults.down = false;
      const asked = sim.requests.length;
      await tryAgainButtons(app).click();
      await app.waitForWorkspace();

      expect(await app.byTestId('session-user').textContent()).toBe('alice@pve');
      expect(secrets.get('session-ticket')).not.toBeNull();
      // The realms' answer races the workspace's first reads; it is served within moments.
      await vi.waitFor(
        () =>
          expect(retryRequestsSince(asked)).toEqual(['GET /access/domains', 'POST /access/ticket']),
        { timeout: 5_000 },
      );
      await bridge?.page.screenshot({
        path: join(screenshotDir, 'sign-in-away-02-signed-in-after-retry.png'),
      });
    });

    it('brings the sign-in options on the same press when the kept sign-in cannot be used once the cluster is back', async () => {
      const app = await openWithClusterDown();
      expect(await tryAgainButtons(app).count()).toBe(1);

      // Back, but the kept sign-in has grown too old meanwhile: ProxDesk drops it without asking.
      coreNow += 115 * minute;
      sim.faults.down = false;
      const asked = sim.requests.length;
      await tryAgainButtons(app).click();
      await app.byTestId('username').waitFor({ timeout: 20_000 });

      expect(await app.byTestId('sign-in-notice').textContent()).toBe(
        'ProxDesk could not keep you signed in as alice@pve because it had expired. Sign in again.',
      );
      expect(await tryAgainButtons(app).count()).toBe(0);
      expect(await app.byTestId('realms-unreachable').count()).toBe(0);
      expect(await app.byTestId('realms-retry-note').count()).toBe(0);
      expect(await app.byTestId('realm-select').inputValue()).toBe('pve');
      expect(retryRequestsSince(asked)).toEqual(['GET /access/domains']);
      expect(secrets.get('session-ticket')).toBeNull();
      await bridge?.page.screenshot({
        path: join(screenshotDir, 'sign-in-away-03-options-after-retry.png'),
      });
    });

    it('keeps a Try again for a lookup that hangs while the kept sign-in is still being tried', async () => {
      const host = new URL(sim.url).host;
      const app = await openWithClusterDown();

      // Back, but slow: the one press sends both, and neither is answered for a while.
      sim.faults.down = false;
      sim.faults.latencyMs = 12_000;
      const asked = sim.requests.length;
      await tryAgainButtons(app).click();
      const slow = app.byTestId('realms-slow');
      await slow.waitFor({ timeout: 20_000 });

      expect(await app.byTestId('restore-retry').textContent()).toBe('Trying…');
      expect(await app.byTestId('restore-retry').isDisabled()).toBe(true);
      expect(await tryAgainButtons(app).count()).toBe(1);
      expect(await app.byTestId('realms-retry').count()).toBe(1);
      expect(await app.byTestId('realms-pending').locator('.loading').textContent()).toBe(
        `Asking the cluster at ${host} how you can sign in…`,
      );
      expect(await slow.textContent()).toBe(
        `${host} has not answered yet. It may be down, or slow to answer.`,
      );
      expect(retryRequestsSince(asked)).toEqual([]);
      await bridge?.page.screenshot({ path: join(screenshotDir, 'sign-in-away-04-slow.png') });

      // Its Try again drops the hanging lookup and asks anew, which now answers at once; the kept
      // sign-in's renewal, already on its way, still signs her in when its answer comes.
      sim.faults.latencyMs = 0;
      await app.byTestId('realms-retry').click();
      await app.byTestId('username').waitFor({ timeout: 10_000 });
      expect(await app.byTestId('realm-select').inputValue()).toBe('pve');
      expect(retryRequestsSince(asked)).toEqual(['GET /access/domains']);
      await app.waitForWorkspace();

      expect(await app.byTestId('session-user').textContent()).toBe('alice@pve');
      // The dropped lookup is still answered in the end; the page had already let it go.
      await vi.waitFor(
        () =>
          expect(retryRequestsSince(asked)).toEqual([
            'GET /access/domains',
            'GET /access/domains',
            'POST /access/ticket',
          ]),
        { timeout: 5_000 },
      );
    });
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
