import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

function deletes(sim: Sim): number {
  return sim.requests.filter((r) => r.method === 'DELETE').length;
}

// Alice's running VM 100 cannot be destroyed; her stopped VM 101 (pve2) can, once she types 101.
describe.runIf(findChromium() !== null)('destroying a guest in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300, taskDurationMs: 1500 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
  });
  afterAll(() => lab?.close());

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
    await app.screenshot(join(screenshotDir, 'destroy-01-confirm.png'));
    expect(deletes(sim)).toBe(0);
  });

  it('destroys the VM once confirmed, showing the task, and drops it from the list', async () => {
    await app.byTestId('destroy-confirm-input').fill('101');
    await app.byTestId('destroy-confirm').click();

    await app.byTestId('task-progress').waitFor();
    await app.screenshot(join(screenshotDir, 'destroy-02-running.png'));
    await app.byTestId('destroy-done').waitFor({ timeout: 20_000 });
    expect(sim.state.instances.has(101)).toBe(false);
    await expect.poll(() => app.byTestId('instance-row-101').count()).toBe(0);
    await app.screenshot(join(screenshotDir, 'destroy-03-done.png'));

    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();

    await expect.poll(() => app.byTestId('instance-detail').count()).toBe(0);
  });
});
