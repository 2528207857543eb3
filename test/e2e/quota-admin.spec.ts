import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { demoPolicyFile, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// The quota preview in the resize dialog, then the admin view: users with usage bars, who is over
// quota after a change made around ProxDesk, and a policy import that lists bad fields.
describe.runIf(findChromium() !== null)('quota preview and the admin view', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;
  let policyFile: string;

  beforeAll(async () => {
    // A copy of the demo policy, since the admin view may import over it.
    lab = await openRendererLab({
      policyText: readFileSync(demoPolicyFile, 'utf8'),
      sim: { loginFailureDelayMs: 0, taskDurationMs: 200 },
      core: { taskPollMinMs: 50 },
    });
    ({ sim, app, policyFile } = lab);
  });
  afterAll(() => lab?.close());

  it('shows what a resize would leave before alice confirms, and no admin button', async () => {
    await app.firstSignIn(sim.url, 'alice@pve', 'alice-lab-pass');
    await app.openInstance(100);
    await app.byTestId('resize-scsi0').click();
    await app.byTestId('resize-gib').fill('10');

    const after = app.byTestId('preview-after-storage:local-lvm');
    await expect.poll(() => after.textContent()).toBe('74.0 GiB of 200 GiB');
    await app.byTestId('resize-gib').fill('200');
    await expect
      .poll(() => app.byTestId('quota-preview').getAttribute('data-approved'))
      .toBe('false');
    await app.screenshot(join(screenshotDir, 'quota-01-preview.png'));
    expect(await app.byTestId('admin-button').count()).toBe(0);
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
    await app.signOut();
  });

  it('lists every user for the lab admin, with bob over quota after a change around ProxDesk', async () => {
    const guest = sim.state.instances.get(110);
    if (guest) guest.config.cores = 12;
    await app.signIn('labadmin', 'labadmin-lab-pass', 'pve');
    await app.byTestId('admin-button').click({ timeout: 15_000 });

    const bob = app.byTestId('admin-user-bob@pve');
    await bob.waitFor({ timeout: 15_000 });
    expect(await app.byTestId('admin-users').locator('[data-testid^="admin-user-"]').count()).toBe(
      4,
    );
    expect(await bob.getByTestId('over-quota-badge').count()).toBe(1);
    expect(await bob.getByTestId('quota-cores').textContent()).toContain('14 / 8');
    expect(await app.byTestId('admin-user-alice@pve').getByTestId('over-quota-badge').count()).toBe(
      0,
    );
    await app.screenshot(join(screenshotDir, 'quota-02-admin.png'));
  });

  it('refuses a bad policy with every bad field by path and keeps the file', async () => {
    const before = readFileSync(policyFile, 'utf8');
    const bad = before.replace('"max": "32GiB"', '"max": "32GB"').replace('"max": 16', '"max": -1');

    await app.byTestId('policy-text').fill(bad);
    await app.byTestId('policy-import-submit').click();

    const error = app.byTestId('policy-import-error');
    await error.waitFor({ timeout: 15_000 });
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('users.alice@pve.memory.max');
    expect(text).toContain('users.alice@pve.cores.max');
    expect(readFileSync(policyFile, 'utf8')).toBe(before);
    await app.screenshot(join(screenshotDir, 'quota-03-import-refused.png'));
    expect(sim.schemaViolations).toEqual([]);
  });
});
