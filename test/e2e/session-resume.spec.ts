import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import { NetworkSection } from './pages/network-section';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

const minute = 60_000;

function writes(sim: Sim, suffix: string): number[] {
  return sim.requests
    .filter((r) => r.method === 'PUT' && r.path === `/nodes/pve1/qemu/100${suffix}`)
    .map((r) => r.status);
}

// The cluster's clock is moved past the ticket's two hours while a dialog is open, so the change
// the user asks for meets an expired session: PVE refuses it with 401 before changing anything.
describe.runIf(findChromium() !== null)('a change that survives the sign-in prompt', () => {
  let lab: RendererLab;
  let sim: Sim;
  let simNow = Date.now();
  let app: ProxdeskApp;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300, taskDurationMs: 400, now: () => simNow },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
    await app.openInstance(100);
    await app.byTestId('backups-count').waitFor();
  });
  afterAll(() => lab?.close());

  it('keeps the resize dialog and its value behind the sign-in prompt', async () => {
    await app.byTestId('resize-scsi0').click();
    await app.byTestId('resize-gib').fill('4');
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'resume-01-resize-filled.png') });

    simNow += 121 * minute;
    await app.byTestId('resize-submit').click();

    const prompt = app.byTestId('sign-in-again-dialog');
    await prompt.waitFor();
    expect(await app.byTestId('sign-in-again-pending').textContent()).toContain(
      'Grow scsi0 of guest 100 by 4 GiB',
    );
    expect(await app.byTestId('resize-dialog').isVisible()).toBe(true);
    expect(await app.byTestId('resize-gib').inputValue()).toBe('4');
    expect(await prompt.getByTestId('username').inputValue()).toBe('alice');
    expect(writes(sim, '/resize').filter((status) => status === 200)).toEqual([]);
    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=32G');
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'resume-02-sign-in-prompt.png') });
  });

  it('finishes the resize once, by itself, after the same user signs in again', async () => {
    await app.signInAgain('alice-lab-pass');

    await app.byTestId('resize-result').waitFor({ timeout: 20_000 });
    expect(sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=36G');
    expect(writes(sim, '/resize').filter((status) => status === 200)).toEqual([200]);
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'resume-03-resized-once.png') });
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => app.byTestId('disk-size-scsi0').textContent()).toBe('36 GiB');
  });

  it('drops the waiting change when someone else signs in at the prompt', async () => {
    const network = new NetworkSection(lab.bridge.page);
    await network.byTestId('network-row-net0').waitFor();
    simNow += 121 * minute;
    await network.changeRate('net0', '40');
    await app.byTestId('sign-in-again-pending').waitFor();
    expect(await app.byTestId('sign-in-again-pending').textContent()).toContain(
      'Set the rate of net0 of guest 100 to 40 MB/s',
    );
    expect(await app.byTestId('network-rate-dialog').isVisible()).toBe(true);

    await app.signInAgain('bob-lab-pass', 'bob');

    await app.waitForWorkspace();
    expect(await app.byTestId('session-user').textContent()).toBe('bob@pve');
    expect(await app.byTestId('network-rate-dialog').count()).toBe(0);
    expect(await app.byTestId('instance-row-100').count()).toBe(0);
    expect(writes(sim, '/config').filter((status) => status === 200)).toEqual([]);
    expect(String(sim.state.instances.get(100)?.config.net0)).toMatch(/,rate=50$/);
    await app.screenshot(join(screenshotDir, 'resume-04-other-user-discarded.png'));
  });

  it('drops the waiting change when the user chooses to sign out at the prompt', async () => {
    await app.openInstance(110);
    // The guest view's last reading (its backups) must be in before the ticket ages: a reading
    // after that would bring the prompt up before the change does.
    await app.byTestId('backups-count').waitFor();
    const coresBefore = sim.state.instances.get(110)?.config.cores;
    simNow += 121 * minute;
    await app.changeResources({ cores: Number(coresBefore) + 1 });
    await app.byTestId('sign-in-again-pending').waitFor();

    await app.byTestId('sign-in-again-sign-out').click();

    await app.byTestId('sign-in-page').waitFor();
    expect(await app.byTestId('workspace').count()).toBe(0);
    expect(await app.byTestId('username').inputValue()).toBe('');
    expect(sim.state.instances.get(110)?.config.cores).toBe(coresBefore);
    expect(
      sim.requests.filter((r) => r.path === '/nodes/pve2/qemu/110/config' && r.method === 'PUT'),
    ).toEqual([expect.objectContaining({ status: 401 })]);
    await lab.bridge.page.screenshot({
      path: join(screenshotDir, 'resume-05-discarded-signed-out.png'),
    });
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
