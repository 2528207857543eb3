import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './browser-bridge';
import { configWrites, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// Alice's stopped VM 101 (pve2, 8 GiB): start it, stop it again, and change its memory, first
// beyond her 32 GiB memory quota (12 800 MiB used), then within it.
describe.runIf(findChromium() !== null)('power actions and resources in the renderer', () => {
  let lab: RendererLab;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300, taskDurationMs: 1500 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    await lab.app.openInstance(101);
  });
  afterAll(() => lab?.close());

  it('offers only Start for the stopped VM', async () => {
    expect(await lab.app.byTestId('power-start').isEnabled()).toBe(true);
    for (const action of ['shutdown', 'reboot', 'stop']) {
      expect(await lab.app.byTestId(`power-${action}`).isDisabled()).toBe(true);
    }
    expect(await lab.app.byTestId('tasks-empty').textContent()).toContain('No recent tasks');
    await lab.app.screenshot(join(screenshotDir, 'power-01-stopped.png'));
  });

  it('starts the VM, showing the task while it runs', async () => {
    await lab.app.power('start');

    await lab.app.byTestId('task-progress').waitFor();
    await lab.app.screenshot(join(screenshotDir, 'power-02-starting.png'));
    await lab.app.byTestId('power-result').waitFor({ timeout: 20_000 });
    expect(lab.sim.state.instances.get(101)?.status).toBe('running');
    await expect.poll(() => lab.app.byTestId('power-stop').isEnabled()).toBe(true);
    expect(await lab.app.byTestId('power-start').isDisabled()).toBe(true);
    await lab.app.screenshot(join(screenshotDir, 'power-03-running.png'));
  });

  it('asks before stopping, then stops the VM', async () => {
    await lab.app.byTestId('power-stop').click();
    await lab.app.byTestId('power-stop-confirm').waitFor();
    await lab.app.screenshot(join(screenshotDir, 'power-04-confirm-stop.png'));

    await lab.app.byTestId('power-stop-confirm-button').click();

    await expect
      .poll(() => lab.sim.state.instances.get(101)?.status, { timeout: 20_000 })
      .toBe('stopped');
    await expect.poll(() => lab.app.byTestId('power-start').isEnabled()).toBe(true);
  });

  it('lists both tasks and shows the log of one', async () => {
    await expect.poll(() => lab.app.byTestId('task-row').count()).toBe(2);
    expect(await lab.app.byTestId('task-state').allTextContents()).toEqual(['OK', 'OK']);

    await lab.app.byTestId('task-open').last().click();

    const log = lab.app.byTestId('task-log-lines');
    await log.waitFor();
    expect(await log.textContent()).toContain('VM 101 started');
    await lab.app.screenshot(join(screenshotDir, 'power-05-task-log.png'));
    await lab.bridge.page.getByRole('button', { name: 'Close' }).last().click();
  });

  it('refuses memory beyond the quota with the itemised shortfall, sending nothing', async () => {
    const before = configWrites(lab.sim);

    await lab.app.changeResources({ memoryMiB: 40_000 });

    const shortfall = lab.app.byTestId('shortfall-memory');
    await shortfall.waitFor();
    // 12 800 MiB used + 31 808 MiB more is 44 608 MiB, 11 840 MiB (11.6 GiB) over 32 GiB.
    expect(await shortfall.textContent()).toContain('11.6 GiB');
    expect(configWrites(lab.sim)).toBe(before);
    await lab.app.screenshot(join(screenshotDir, 'power-06-memory-refused.png'));
  });

  it('changes memory within the quota and shows the new figure', async () => {
    await lab.app.changeResources({ memoryMiB: 10_240 });

    await lab.app.byTestId('resources-saved').waitFor();
    expect(lab.sim.state.instances.get(101)?.config.memory).toBe('10240');
    await lab.app.screenshot(join(screenshotDir, 'power-07-memory-saved.png'));
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => lab.app.byTestId('instance-detail').textContent()).toContain('10 GiB');
    await expect.poll(() => lab.app.byTestId('quota-memory').textContent()).toContain('14.5 GiB');
    await lab.app.screenshot(join(screenshotDir, 'power-08-after.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
