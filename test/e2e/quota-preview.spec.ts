import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { bundledScenarioPath, loadScenario, startSim, type Sim } from '../pve-sim';
import { findChromium, openRendererInChromium, type BrowserBridge } from './browser-bridge';
import { ProxdeskApp } from './pages/proxdesk-app';

const screenshots = resolve(import.meta.dirname, '../../test-results/e2e');
const policyFile = resolve(import.meta.dirname, '../../resources/demo/policy.json');

function configWrites(sim: Sim): number {
  return sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/config')).length;
}

// The quota preview in the resources dialog of alice's VM 100 (2 cores × 1 socket): her quota is
// 16 cores with 7 in use, so 12 cores (10 more) do not fit and 4 cores (2 more) do.
describe.runIf(findChromium() !== null)('quota preview in the resources dialog', () => {
  let sim: Sim;
  let core: Core;
  let bridge: BrowserBridge;
  let app: ProxdeskApp;
  let dataDir: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    sim = await startSim({
      scenario: loadScenario(bundledScenarioPath),
      loginFailureDelayMs: 0,
      taskDurationMs: 200,
    });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
    core = createCore({ dataDir, policyFile, defaultClusterUrl: sim.url, taskPollMinMs: 50 });
    bridge = await openRendererInChromium(core);
    app = new ProxdeskApp(bridge.page);
    await app.firstSignIn(sim.url, 'alice@pve', 'alice-lab-pass');
    await app.openInstance(100);
  });
  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows that 12 cores do not fit, why, and offers no Save, before anything is sent', async () => {
    const writes = configWrites(sim);
    await app.byTestId('resources-open').click({ timeout: 20_000 });
    await app.byTestId('resources-cores').fill('12');

    const preview = app.byTestId('quota-preview');
    await expect.poll(() => preview.getAttribute('data-approved')).toBe('false');
    expect(await app.byTestId('preview-used-cores').textContent()).toBe('7');
    expect(await app.byTestId('preview-after-cores').textContent()).toBe('17 of 16');
    expect(await app.byTestId('preview-cores').getAttribute('data-fits')).toBe('false');
    expect(await app.byTestId('preview-reason-cores').textContent()).toBe(
      '7 in use + 10 = 17, over the limit of 16 by 1',
    );
    expect(await app.byTestId('resources-submit').isDisabled()).toBe(true);
    expect(configWrites(sim)).toBe(writes);
    await app.byTestId('resources-dialog').screenshot({
      path: join(screenshots, 'quota-preview-01-refused.png'),
    });
  });

  it('shows what 4 cores leave, and saves them when confirmed', async () => {
    await app.byTestId('resources-cores').fill('4');

    const preview = app.byTestId('quota-preview');
    await expect.poll(() => preview.getAttribute('data-approved')).toBe('true');
    expect(await app.byTestId('preview-after-cores').textContent()).toBe('9 of 16');
    expect(await preview.textContent()).toContain('7 left');
    await app.byTestId('resources-dialog').screenshot({
      path: join(screenshots, 'quota-preview-02-fits.png'),
    });
    await app.byTestId('resources-submit').click();

    await app.byTestId('resources-saved').waitFor({ timeout: 20_000 });
    expect(sim.state.instances.get(100)?.config.cores).toBe(4);
  });
});
