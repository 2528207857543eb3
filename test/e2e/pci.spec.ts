import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { configWrites, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

function pciKeys(sim: Sim, vmid: number): string[] {
  return Object.keys(sim.state.instances.get(vmid)?.config ?? {}).filter((key) =>
    key.startsWith('hostpci'),
  );
}

// Alice's PCI quota in the demo policy: the mapping lab-gpu at most once, and one raw device
// matching /^host:0000:0[13]:00\.[0-7]$/ (pve1's GPU and its audio function, pve2's NIC). She is
// given Sys.Audit on / here, as a lab admin would, so she sees pve1's hardware list too.
describe.runIf(findChromium() !== null)('PCI passthrough in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300 },
      prepareSim: (cluster) => {
        cluster.state.acl.push({
          path: '/',
          ugid: 'alice@pve',
          roleid: 'PVEAuditor',
          propagate: false,
        });
      },
      // Usage is read fresh for every change, so a change made outside this window is priced.
      core: { usageMaxAgeMs: 0 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
    await app.openInstance(100);
  });
  afterAll(() => lab?.close());

  it('lists the raw devices and the mapping the policy lets her use, with what is left', async () => {
    await app.byTestId('pci-empty').waitFor();
    await app.byTestId('pci-attach').click();
    const select = app.byTestId('pci-device');
    await select.waitFor();

    const options = await select.locator('option').allTextContents();
    expect(options).toEqual([
      'Mapping lab-gpu: The GPU of pve1 (1 left)',
      'Device 0000:01:00.0: NVIDIA Corporation GA102 [GeForce RTX 3090] (1 left)',
      'Device 0000:01:00.1: NVIDIA Corporation GA102 High Definition Audio Controller (1 left)',
    ]);
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'pci-01-available.png') });
  });

  it('attaches the GPU by its PCI id as primary GPU without its ROM BAR', async () => {
    await app.byTestId('pci-device').selectOption('host:0000:01:00.0');
    await app.byTestId('pci-flag-xVga').check();
    await app.byTestId('pci-flag-rombar').uncheck();
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'pci-02-attach-form.png') });

    await app.byTestId('pci-attach-submit').click();

    await app.byTestId('pci-attached').waitFor();
    expect(await app.byTestId('pci-attached').textContent()).toContain('Attached as hostpci0');
    expect(sim.state.instances.get(100)?.config.hostpci0).toBe(
      '0000:01:00.0,pcie=0,x-vga=1,rombar=0',
    );
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();
    await app.byTestId('pci-row-hostpci0').waitFor();
    expect(await app.byTestId('pci-flags-hostpci0').textContent()).toBe('x-vga, no ROM BAR');
    await expect
      .poll(() => app.byTestId('quota-pci:/^host:0000:0[13]:00\\.[0-7]$/').textContent())
      .toContain('1 / 1');
    await app.byTestId('pci-table').scrollIntoViewIfNeeded();
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'pci-03-attached.png') });
  });

  it('refuses the mapping with the itemised shortfall once its count is used elsewhere', async () => {
    await app.byTestId('pci-attach').click();
    await app.byTestId('pci-device').waitFor();
    // The raw-device entry is used up now, so the audio function is offered but cannot be chosen.
    expect(
      await app.byTestId('pci-device').locator('option[value="host:0000:01:00.1"]').isDisabled(),
    ).toBe(true);
    // Meanwhile the lab GPU is given to VM 101 elsewhere (another window, or PVE's own UI).
    const vm101 = sim.state.instances.get(101);
    if (vm101) vm101.config.hostpci0 = 'mapping=lab-gpu';
    const writes = configWrites(sim);

    await app.byTestId('pci-device').selectOption('mapping:lab-gpu');
    await app.byTestId('pci-attach-submit').click();

    const shortfall = app.byTestId('shortfall-pci:mapping:lab-gpu');
    await shortfall.waitFor();
    expect(await shortfall.textContent()).toContain('Lab GPU (mapping lab-gpu)');
    expect(configWrites(sim)).toBe(writes);
    expect(pciKeys(sim, 100)).toEqual(['hostpci0']);
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'pci-04-refused.png') });
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('detaches the GPU again', async () => {
    await app.byTestId('pci-detach-hostpci0').click();
    await app.byTestId('pci-detach-confirm').click();

    await app.byTestId('pci-detached').waitFor();
    expect(pciKeys(sim, 100)).toEqual([]);
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();
    await expect
      .poll(() => app.byTestId('quota-pci:/^host:0000:0[13]:00\\.[0-7]$/').textContent())
      .toContain('0 / 1');
    await app.byTestId('pci-empty').scrollIntoViewIfNeeded();
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'pci-05-detached.png') });
  });

  it('says the mapping, not the quota, rules the lab GPU out on pve2', async () => {
    // Without the hardware read pve2 offers only the mapping, which names no device of pve2.
    const audit = sim.state.acl.findIndex(
      (entry) => entry.ugid === 'alice@pve' && entry.path === '/' && entry.roleid === 'PVEAuditor',
    );
    expect(audit).toBeGreaterThanOrEqual(0);
    sim.state.acl.splice(audit, 1);
    await app.openInstance(101);
    await app.byTestId('pci-attach').click();
    const reason = app.byTestId('pci-unavailable-reason');
    await reason.waitFor();

    const select = app.byTestId('pci-device');
    expect(await select.locator('option').allTextContents()).toEqual([
      'Mapping lab-gpu: The GPU of pve1 (no device on pve2)',
    ]);
    expect(await select.locator('option[value="mapping:lab-gpu"]').isDisabled()).toBe(true);
    expect(await reason.textContent()).toBe(
      'This mapping has no device on pve2. Ask a lab admin to map a device of pve2 to lab-gpu.',
    );
    expect(await app.byTestId('pci-none-available').count()).toBe(0);
    expect(await app.byTestId('pci-attach-submit').isDisabled()).toBe(true);
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'pci-06-not-on-node.png') });
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
