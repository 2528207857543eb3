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

function deletes(sim: Sim): number {
  return sim.requests.filter((r) => r.method === 'DELETE').length;
}

// Alice's running VM 100 cannot be destroyed; her stopped VM 101 (pve2) can, once she types 101.
describe.runIf(findChromium() !== null)('destroying a guest in the renderer', () => {
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
  });
  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers no destroy for a running VM', async () => {
    await app.openInstance(100);

    expect(await app.byTestId('destroy-open').isDisabled()).toBe(true);
    expect(await app.byTestId('destroy-open').getAttribute('title')).toBe('Stop the guest first');
  });

  it('lists the disks that go and waits for the vmid to be typed', async () => {
    await app.openInstance(101);
    await app.byTestId('destroy-open').click();
    await app.byTestId('destroy-dialog').waitFor();

    const disks = await app.byTestId('destroy-disks').textContent();
    expect(disks).toContain('tank:vm-101-disk-0');
    expect(disks).toContain('local-lvm:vm-101-disk-1');
    expect(disks).toContain('local-lvm:vm-101-disk-2');
    expect(await app.byTestId('destroy-confirm').isDisabled()).toBe(true);
    await app.byTestId('destroy-confirm-input').fill('10');
    expect(await app.byTestId('destroy-confirm').isDisabled()).toBe(true);
    await app.screenshot(join(screenshots, 'destroy-01-confirm.png'));
    expect(deletes(sim)).toBe(0);
  });

  it('destroys the VM once confirmed, showing the task, and drops it from the list', async () => {
    await app.byTestId('destroy-confirm-input').fill('101');
    await app.byTestId('destroy-confirm').click();

    await app.byTestId('task-progress').waitFor();
    await app.screenshot(join(screenshots, 'destroy-02-running.png'));
    await app.byTestId('destroy-done').waitFor({ timeout: 20_000 });
    expect(sim.state.instances.has(101)).toBe(false);
    await expect.poll(() => app.byTestId('instance-row-101').count()).toBe(0);
    await app.screenshot(join(screenshots, 'destroy-03-done.png'));

    await bridge.page.getByRole('button', { name: 'Done' }).click();

    await expect.poll(() => app.byTestId('instance-detail').count()).toBe(0);
  });
});
