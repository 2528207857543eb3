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

// Alice's stopped VM 101 (pve2, 8 GiB): start it, stop it again, and change its memory, first
// beyond her 32 GiB memory quota (12 800 MiB used), then within it.
describe.runIf(findChromium() !== null)('power actions and resources in the renderer', () => {
  let sim: Sim;
  let core: Core;
  let bridge: BrowserBridge;
  let app: ProxdeskApp;
  let dataDir: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    sim = await startSim({
      scenario: loadScenario(bundledScenarioPath),
      loginFailureDelayMs: 300,
      taskDurationMs: 1500,
    });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
    core = createCore({ dataDir, policyFile, defaultClusterUrl: sim.url, taskPollMinMs: 100 });
    bridge = await openRendererInChromium(core);
    app = new ProxdeskApp(bridge.page);
    await app.firstSignIn(sim.url, 'alice@pve', 'alice-lab-pass');
    await app.openInstance(101);
  });
  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers only Start for the stopped VM', async () => {
    expect(await app.byTestId('power-start').isEnabled()).toBe(true);
    for (const action of ['shutdown', 'reboot', 'stop']) {
      expect(await app.byTestId(`power-${action}`).isDisabled()).toBe(true);
    }
    expect(await app.byTestId('tasks-empty').textContent()).toContain('No recent tasks');
    await app.screenshot(join(screenshots, 'power-01-stopped.png'));
  });

  it('starts the VM, showing the task while it runs', async () => {
    await app.power('start');

    await app.byTestId('task-progress').waitFor();
    await app.screenshot(join(screenshots, 'power-02-starting.png'));
    await app.byTestId('power-result').waitFor({ timeout: 20_000 });
    expect(sim.state.instances.get(101)?.status).toBe('running');
    await expect.poll(() => app.byTestId('power-stop').isEnabled()).toBe(true);
    expect(await app.byTestId('power-start').isDisabled()).toBe(true);
    await app.screenshot(join(screenshots, 'power-03-running.png'));
  });

  it('asks before stopping, then stops the VM', async () => {
    await app.byTestId('power-stop').click();
    await app.byTestId('power-stop-confirm').waitFor();
    await app.screenshot(join(screenshots, 'power-04-confirm-stop.png'));

    await app.byTestId('power-stop-confirm-button').click();

    await expect
      .poll(() => sim.state.instances.get(101)?.status, { timeout: 20_000 })
      .toBe('stopped');
    await expect.poll(() => app.byTestId('power-start').isEnabled()).toBe(true);
  });

  it('lists both tasks and shows the log of one', async () => {
    await expect.poll(() => app.byTestId('task-row').count()).toBe(2);
    expect(await app.byTestId('task-state').allTextContents()).toEqual(['OK', 'OK']);

    await app.byTestId('task-open').last().click();

    const log = app.byTestId('task-log-lines');
    await log.waitFor();
    expect(await log.textContent()).toContain('VM 101 started');
    await app.screenshot(join(screenshots, 'power-05-task-log.png'));
    await bridge.page.getByRole('button', { name: 'Close' }).last().click();
  });

  it('refuses memory beyond the quota with the itemised shortfall, sending nothing', async () => {
    const before = configWrites(sim);

    await app.changeResources({ memoryMiB: 40_000 });

    const shortfall = app.byTestId('shortfall-memory');
    await shortfall.waitFor();
    // 12 800 MiB used + 31 808 MiB more is 44 608 MiB, 11 840 MiB (11.6 GiB) over 32 GiB.
    expect(await shortfall.textContent()).toContain('11.6 GiB');
    expect(configWrites(sim)).toBe(before);
    await app.screenshot(join(screenshots, 'power-06-memory-refused.png'));
  });

  it('changes memory within the quota and shows the new figure', async () => {
    await app.changeResources({ memoryMiB: 10_240 });

    await app.byTestId('resources-saved').waitFor();
    expect(sim.state.instances.get(101)?.config.memory).toBe('10240');
    await app.screenshot(join(screenshots, 'power-07-memory-saved.png'));
    await bridge.page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => app.byTestId('instance-detail').textContent()).toContain('10 GiB');
    await expect.poll(() => app.byTestId('quota-memory').textContent()).toContain('14.5 GiB');
    await app.screenshot(join(screenshots, 'power-08-after.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
