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

// Bob's VM 110 (pve2) has no CD drive. His policy allows only the Debian installers, so the Add
// disk dialog's ISO picker offers the Debian ISO and not the Ubuntu one the storage also holds.
describe.runIf(findChromium() !== null)('adding a CD drive with an ISO in the renderer', () => {
  let sim: Sim;
  let core: Core;
  let bridge: BrowserBridge;
  let app: ProxdeskApp;
  let dataDir: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    sim = await startSim({ scenario: loadScenario(bundledScenarioPath), loginFailureDelayMs: 300 });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
    core = createCore({ dataDir, policyFile, defaultClusterUrl: sim.url, taskPollMinMs: 100 });
    bridge = await openRendererInChromium(core);
    app = new ProxdeskApp(bridge.page);
    await app.firstSignIn(sim.url, 'bob@pve', 'bob-lab-pass');
    await app.openInstance(110);
  });
  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers only the ISO images his policy allows on the node', async () => {
    await app.byTestId('disk-create-open').click();
    await app.byTestId('disk-create-kind').selectOption('cdrom');
    const picker = app.byTestId('disk-create-iso');
    await picker.locator('option[value="local:iso/debian-12.7.0-amd64-netinst.iso"]').waitFor({
      state: 'attached',
    });

    expect(await picker.locator('option').allTextContents()).toEqual([
      'Choose an ISO…',
      'debian-12.7.0-amd64-netinst.iso (631 MiB) on local — Debian installers',
    ]);
    expect(await app.byTestId('disk-create-confirm').isDisabled()).toBe(true);
    await app.screenshot(join(screenshots, 'disk-create-01-iso-picker.png'));
  });

  it('inserts the chosen ISO as a CD drive', async () => {
    await app.byTestId('disk-create-iso').selectOption('local:iso/debian-12.7.0-amd64-netinst.iso');
    await app.byTestId('disk-create-confirm').click();

    await app.byTestId('disk-create-done').waitFor();
    expect(await app.byTestId('disk-create-done').textContent()).toBe(
      'Added ide0 (local:iso/debian-12.7.0-amd64-netinst.iso).',
    );
    expect(sim.state.instances.get(110)?.config.ide0).toBe(
      'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M',
    );
    await app.screenshot(join(screenshots, 'disk-create-02-iso-added.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
