import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { demoPolicyFile, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// The quota preview in the resize dialog, then the admin view: users with usage bars, who is over
// quota after a change made around ProxDesk, each user's backups against their limit, and a policy
// import that lists bad fields.

/** Puts backups of a guest on its node's `local` storage, as a lab's backup job leaves them. */
function seedBackups(
  sim: Sim,
  node: string,
  type: 'qemu' | 'lxc',
  vmid: number,
  count: number,
): void {
  const storage = sim.state.storages.get('local');
  if (!storage) throw new Error('the scenario has no storage local');
  const archive = type === 'qemu' ? 'vma.zst' : 'tar.zst';
  for (let day = 1; day <= count; day += 1) {
    storage.volumes.push({
      volid: `local:backup/vzdump-${type}-${vmid}-2026_12_0${day}-08_00_00.${archive}`,
      storage: 'local',
      node,
      sizeBytes: 1_073_741_824,
      format: archive,
      content: 'backup',
      vmid,
      ctime: 1_764_576_000 + day * 86_400,
    });
  }
}
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
      prepareSim: (simulated) => {
        // The admin may see every backup on `local` (PVEAuditor alone is shown none of them).
        simulated.state.acl.push({
          path: '/storage/local',
          ugid: 'labadmin@pve',
          roleid: 'PVEDatastoreAdmin',
          propagate: true,
        });
        // One backup of alice's VM 101; six of bob's guests, one more than his limit of 5.
        seedBackups(simulated, 'pve2', 'qemu', 101, 1);
        seedBackups(simulated, 'pve2', 'qemu', 110, 3);
        seedBackups(simulated, 'pve1', 'lxc', 210, 3);
      },
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

  it("shows each user's backups against their limit, bob's six over his limit of five", async () => {
    const bob = app.byTestId('admin-user-bob@pve');
    const alice = app.byTestId('admin-user-alice@pve');

    await bob.getByTestId('quota-backups').waitFor({ timeout: 15_000 });
    expect(await bob.getByTestId('quota-backups').textContent()).toContain('6 / 5');
    expect(await bob.getByTestId('quota-backups').getAttribute('data-level')).toBe('full');
    expect(await bob.getByTestId('over-quota-list').textContent()).toBe('Over: Cores, Backups');
    expect(await alice.getByTestId('quota-backups').textContent()).toContain('1 / 10');
    expect(await alice.getByTestId('quota-backups').getAttribute('data-level')).toBe('ok');
    // labadmin@pve has no backup limit, so no Backups row.
    expect(await app.byTestId('admin-user-labadmin@pve').getByTestId('quota-backups').count()).toBe(
      0,
    );
    await app.screenshot(join(screenshotDir, 'quota-02b-admin-backups.png'));
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

// PVE leaves a backup out of the listings an account without VM.Backup (or Datastore.Allocate)
// reads, so an admin with PVEAuditor alone is told the count is not known, never shown 0.
describe.runIf(findChromium() !== null)('the admin view for an admin PVE shows no backups', () => {
  let lab: RendererLab;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 0, taskDurationMs: 200 },
      prepareSim: (simulated) => seedBackups(simulated, 'pve2', 'qemu', 110, 2),
    });
  });
  afterAll(() => lab?.close());

  it('says why the backup count is not known instead of showing a number', async () => {
    const { app } = lab;
    await app.connect(lab.sim.url);
    await app.trustCertificate();
    await app.signIn('labadmin', 'labadmin-lab-pass', 'pve');
    await app.byTestId('admin-button').click({ timeout: 15_000 });
    const bob = app.byTestId('admin-user-bob@pve');

    await bob.getByTestId('quota-backups').waitFor({ timeout: 15_000 });
    expect(await bob.getByTestId('quota-backups').textContent()).toContain('not known');
    expect(await bob.getByTestId('quota-backups-reason').textContent()).toBe(
      'your account may not see the backups of guests 110, 210 on local (PVE lists a backup only with VM.Backup on its guest and Datastore.AllocateSpace on the storage, or Datastore.Allocate on the storage)',
    );
    expect(await bob.getByTestId('over-quota-badge').count()).toBe(0);
    await app.screenshot(join(screenshotDir, 'quota-02c-admin-backups-not-known.png'));
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
