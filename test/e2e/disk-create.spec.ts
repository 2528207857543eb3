import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// Bob's VM 110 (pve2) has no CD drive. His policy allows only the Debian installers, so the Add
// disk dialog's ISO picker offers the Debian ISO and not the Ubuntu one the storage also holds.
describe.runIf(findChromium() !== null)('adding a CD drive with an ISO in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300 },
      user: { userid: 'bob@pve', password: 'bob-lab-pass' },
    });
    ({ sim, app } = lab);
    await app.openInstance(110);
  });
  afterAll(() => lab?.close());

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
    await app.screenshot(join(screenshotDir, 'disk-create-01-iso-picker.png'));
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
    await app.screenshot(join(screenshotDir, 'disk-create-02-iso-added.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
