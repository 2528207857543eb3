import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

function resizeRequests(sim: Sim): number {
  return sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/resize')).length;
}

// One walk through the first-run path, each step building on the one before, as a new user
// goes through it: connect, trust, sign in, look at instances and quota, resize a disk.
describe.runIf(findChromium() !== null)('the first-run path in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;

  beforeAll(async () => {
    lab = await openRendererLab({ sim: { loginFailureDelayMs: 1500, taskDurationMs: 1500 } });
    ({ sim, app } = lab);
  });
  afterAll(() => lab?.close());

  it('starts on the connect form with the cluster address filled in', async () => {
    await expect.poll(() => app.byTestId('connect-url').inputValue()).toBe(sim.url);
    await app.screenshot(join(screenshotDir, '01-connect.png'));
  });

  it('shows the node certificate fingerprint to compare before trusting it', async () => {
    await app.byTestId('connect-button').click();

    const fingerprint = app.byTestId('trust-fingerprint');
    await fingerprint.waitFor();
    expect(await fingerprint.getAttribute('data-fingerprint')).toBe(sim.fingerprint);
    await app.screenshot(join(screenshotDir, '02-trust.png'));
  });

  it('shows that it waits on a failed sign-in, then says the password is wrong', async () => {
    await app.trustCertificate();
    await app.signIn('alice', 'not-her-password');

    await app.byTestId('sign-in-pending').waitFor();
    await app.screenshot(join(screenshotDir, '03-sign-in-waiting.png'));
    const error = app.byTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toContain(
      'The user name or password is not correct for this realm',
    );
    await app.screenshot(join(screenshotDir, '04-wrong-password.png'));
  });

  it('signs in and shows her instances and her quota', async () => {
    await app.signIn('alice', 'alice-lab-pass');
    await app.waitForWorkspace();

    expect(await app.byTestId('session-user').textContent()).toContain('alice@pve');
    for (const vmid of [100, 101, 200]) {
      expect(await app.byTestId(`instance-row-${vmid}`).count()).toBe(1);
    }
    expect(await app.byTestId('instance-row-300').count()).toBe(0);
    expect(await app.byTestId('quota-storage:local-lvm').textContent()).toContain(
      '64.0 GiB / 200 GiB',
    );
    expect(await app.byTestId('quota-cores').textContent()).toContain('7 / 16');
    await app.screenshot(join(screenshotDir, '05-workspace.png'));
  });

  it('refuses a resize beyond the storage quota with the itemised shortfall', async () => {
    await app.openInstance(100);
    const before = resizeRequests(sim);

    await app.resizeDisk('scsi0', 500);

    const shortfall = app.byTestId('shortfall-storage:local-lvm');
    await shortfall.waitFor();
    expect(await shortfall.textContent()).toMatch(/364(\.\d)? GiB/);
    expect(resizeRequests(sim)).toBe(before);
    await app.screenshot(join(screenshotDir, '06-quota-refusal.png'));
  });

  it('resizes within quota, shows the task running, then the new size and usage', async () => {
    await app.byTestId('resize-gib').fill('10');
    await app.byTestId('resize-submit').click();

    await app.byTestId('task-progress').waitFor();
    await app.screenshot(join(screenshotDir, '07-resize-running.png'));
    const result = app.byTestId('resize-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toContain('scsi0 is now 42 GiB');
    await app.screenshot(join(screenshotDir, '08-resize-done.png'));

    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => app.byTestId('disk-size-scsi0').textContent()).toContain('42 GiB');
    await expect
      .poll(() => app.byTestId('quota-storage:local-lvm').textContent())
      .toContain('74.0 GiB / 200 GiB');
    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=42G');
    await app.screenshot(join(screenshotDir, '09-after-resize.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
