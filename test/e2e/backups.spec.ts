import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import type { VolumeState } from '../pve-sim/state';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { demoPolicyFile, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// alice may keep 3 backups in this spec's policy; VM 100 starts with two on pve1's `local`, one of
// them protected.
const oldVolid = 'local:backup/vzdump-qemu-100-2026_11_28-22_00_00.vma.zst';
const keptVolid = 'local:backup/vzdump-qemu-100-2026_12_01-22_00_00.vma.zst';

function backupVolume(volid: string, ctime: number, extra: Partial<VolumeState>): VolumeState {
  return {
    volid,
    storage: 'local',
    node: 'pve1',
    sizeBytes: 8_590_069_760,
    format: 'vma.zst',
    content: 'backup',
    vmid: 100,
    ctime,
    ...extra,
  };
}

function backupsOf(sim: Sim): string[] {
  return (sim.state.storages.get('local')?.volumes ?? [])
    .filter((volume) => volume.content === 'backup')
    .map((volume) => volume.volid)
    .sort();
}

function policyText(): string {
  const policy = JSON.parse(readFileSync(demoPolicyFile, 'utf8')) as {
    users: Record<string, { backups?: { max: number } }>;
  };
  const alice = policy.users['alice@pve'];
  if (!alice) throw new Error('the demo policy has no alice');
  alice.backups = { max: 3 };
  return JSON.stringify(policy);
}

describe.runIf(findChromium() !== null)('backups in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;

  const shot = (name: string): Promise<Buffer> =>
    lab.bridge.page.screenshot({ path: join(screenshotDir, name) });

  beforeAll(async () => {
    lab = await openRendererLab({
      policyText: policyText(),
      sim: { loginFailureDelayMs: 300, taskDurationMs: 600 },
      prepareSim: (cluster) => {
        cluster.state.storages.get('local')?.volumes.push(
          backupVolume(oldVolid, 1_795_903_200, {}),
          backupVolume(keptVolid, 1_796_162_400, {
            notes: 'before the kernel update',
            protected: true,
          }),
        );
      },
      // A short task deadline, so a backup that outlasts it can be shown.
      core: { usageMaxAgeMs: 0, taskDeadlineMs: 4_000 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
    await app.openInstance(100);
  });
  afterAll(() => lab?.close());

  it("lists the guest's backups newest first with the count", async () => {
    await app.byTestId('backups-table').waitFor();

    const rows = await app.byTestId('backup-row').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('before the kernel update');
    expect(rows[0]).toContain('Protected');
    expect(rows[0]).toContain('8.0 GiB');
    expect(await app.byTestId('backups-count').innerText()).toBe(
      '2 of 3 backups kept across your guests; 1 left.',
    );
    expect(await app.byTestId('backup-delete').first().isDisabled()).toBe(true);
    // The quota panel counts them too, beside the other limits.
    await expect
      .poll(() => app.byTestId('quota-backups').textContent(), { timeout: 10_000 })
      .toContain('2 / 3');
    await app.byTestId('quota-panel').screenshot({
      path: join(screenshotDir, 'backups-01b-quota-panel.png'),
    });
    // The date as the task table writes its times (toLocaleString in the page's locale).
    const madeText = await lab.bridge.page.evaluate(
      (ms) => new Date(ms).toLocaleString(),
      1_796_162_400_000,
    );
    expect(rows[0]).toContain(madeText);
    await app.byTestId('backups-section').scrollIntoViewIfNeeded();
    await shot('backups-01-list.png');
  });

  it('shows what a backup costs and what would remain before it is confirmed', async () => {
    await app.byTestId('backup-now').click();
    await app.byTestId('backup-create-dialog').waitFor();

    const preview = app.byTestId('quota-preview');
    await expect.poll(() => preview.getAttribute('data-approved')).toBe('true');
    expect(await app.byTestId('preview-used-backups').textContent()).toBe('2');
    expect(await app.byTestId('preview-after-backups').textContent()).toBe('3 of 3');
    expect(await app.byTestId('preview-backups').textContent()).toContain('0 left');
    expect(await app.byTestId('backup-create-submit').isDisabled()).toBe(false);
    await shot('backups-02a-cost.png');
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
    await app.byTestId('backup-create-dialog').waitFor({ state: 'detached' });
  });

  it('backs the guest up with notes and shows the new backup', async () => {
    await app.byTestId('backup-now').click();
    await app.byTestId('backup-create-dialog').waitFor();
    await app.byTestId('backup-notes').fill('a\\b');
    await app.byTestId('backup-notes-error').waitFor();
    await shot('backups-02-bad-notes.png');
    await app.byTestId('backup-notes').fill('before the upgrade of {{guestname}}');
    await app.byTestId('backup-mode').selectOption('stop');
    await shot('backups-03-form.png');

    await app.byTestId('backup-create-submit').click();
    await app.byTestId('backup-created').waitFor({ timeout: 10_000 });
    await shot('backups-04-created.png');
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();

    await expect.poll(() => app.byTestId('backup-row').count(), { timeout: 10_000 }).toBe(3);
    expect(await app.byTestId('backup-row').first().innerText()).toContain(
      'before the upgrade of alice-web',
    );
    expect(await app.byTestId('backups-count').innerText()).toBe(
      '3 of 3 backups kept across your guests; 0 left.',
    );
    await expect
      .poll(() => app.byTestId('quota-backups').textContent(), { timeout: 10_000 })
      .toContain('3 / 3');
    const vzdump = sim.requests.filter((request) => request.path === '/nodes/pve1/vzdump');
    expect(vzdump.map((request) => request.params.mode)).toEqual(['stop']);
  });

  it('holds "Back up now" back once the count is used up', async () => {
    await app.byTestId('backup-now').click();
    await app.byTestId('backup-blocked').waitFor();
    await app.byTestId('preview-reason-backups').waitFor({ timeout: 10_000 });

    expect(await app.byTestId('backup-blocked').innerText()).toBe(
      'You keep 3 of 3 backups; delete one to make room.',
    );
    expect(await app.byTestId('preview-reason-backups').textContent()).toBe(
      '3 in use + 1 = 4, over the limit of 3 by 1',
    );
    expect(await app.byTestId('backup-create-submit').isDisabled()).toBe(true);
    await shot('backups-05-full.png');
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('deletes a backup after confirming, freeing a slot', async () => {
    await app.byTestId('backup-row').last().getByTestId('backup-delete').click();
    await app.byTestId('backup-delete-dialog').waitFor();
    await shot('backups-06-delete-confirm.png');

    await app.byTestId('backup-delete-confirm').click();
    await app.byTestId('backup-deleted').waitFor({ timeout: 10_000 });
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();

    await expect.poll(() => app.byTestId('backup-row').count(), { timeout: 10_000 }).toBe(2);
    expect(backupsOf(sim)).not.toContain(oldVolid);
    expect(await app.byTestId('backups-count').innerText()).toBe(
      '2 of 3 backups kept across your guests; 1 left.',
    );
  });

  it('shows the itemised refusal before confirming when a backup made elsewhere used the last slot', async () => {
    // Made outside ProxDesk after the panel last read the count.
    sim.state.storages.get('local')?.volumes.push(
      backupVolume('local:backup/vzdump-lxc-200-2026_12_02-03_00_00.tar.zst', 1_796_180_400, {
        vmid: 200,
        format: 'tar.zst',
      }),
    );
    const writesBefore = sim.requests.filter((request) => request.method !== 'GET').length;

    await app.byTestId('backup-now').click();
    await app.byTestId('preview-reason-backups').waitFor({ timeout: 10_000 });

    // The panel's count was read before that backup; the preview counts it, and the panel then
    // reads again, so the count above the form agrees with the itemised one.
    await expect
      .poll(() => app.byTestId('backup-count').innerText(), { timeout: 10_000 })
      .toBe('3 of 3 backups kept across your guests; 0 left. A backup counts until it is deleted.');
    expect(await app.byTestId('backups-count').innerText()).toBe(
      '3 of 3 backups kept across your guests; 0 left.',
    );
    expect(await app.byTestId('quota-preview').getAttribute('data-approved')).toBe('false');
    expect(await app.byTestId('preview-reason-backups').textContent()).toBe(
      '3 in use + 1 = 4, over the limit of 3 by 1',
    );
    expect(await app.byTestId('backup-create-submit').isDisabled()).toBe(true);
    expect(sim.requests.filter((request) => request.method !== 'GET').length).toBe(writesBefore);
    await shot('backups-07-refused.png');
    expect(sim.schemaViolations).toEqual([]);
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('lets the dialog close while a backup runs, and the backup goes on', async () => {
    // Room for two more: the container's backup goes, then the newest of VM 100 is deleted.
    const local = sim.state.storages.get('local');
    if (local) local.volumes = local.volumes.filter((volume) => volume.vmid !== 200);
    await app.byTestId('backup-row').first().getByTestId('backup-delete').click();
    await app.byTestId('backup-delete-confirm').click();
    await app.byTestId('backup-deleted').waitFor({ timeout: 10_000 });
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();
    await expect
      .poll(() => app.byTestId('backups-count').innerText(), { timeout: 10_000 })
      .toBe('1 of 3 backups kept across your guests; 2 left.');

    await app.byTestId('backup-now').click();
    await app.byTestId('backup-create-submit').click();
    await app.byTestId('backup-create-continues').waitFor({ timeout: 10_000 });

    expect(await app.byTestId('backup-create-continues').innerText()).toBe(
      'You can close this; the backup continues and shows in Tasks.',
    );
    expect(await app.byTestId('backup-create-close').innerText()).toBe('Close');
    expect(await app.byTestId('backup-create-close').isDisabled()).toBe(false);
    await shot('backups-08-running.png');
    await app.byTestId('backup-create-close').click();
    await app.byTestId('backup-create-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => app.byTestId('backup-row').count(), { timeout: 10_000 }).toBe(2);
    expect(await app.byTestId('backups-count').innerText()).toBe(
      '2 of 3 backups kept across your guests; 1 left.',
    );
  });

  it('says a backup that outlasts the wait may still be running, and counts its held slot', async () => {
    sim.faults.hangTasks = true;

    await app.byTestId('backup-now').click();
    await app.byTestId('backup-create-submit').click();
    await app.byTestId('backup-create-error').waitFor({ timeout: 15_000 });

    expect(await app.byTestId('backup-create-error').innerText()).toContain(
      'The backup is still running, or its outcome is unknown',
    );
    await shot('backups-09-still-running.png');
    // The slot stays held while the task may still end; the panel was read again to show it.
    await expect
      .poll(() => app.byTestId('backups-count').innerText(), { timeout: 10_000 })
      .toBe('3 of 3 backups kept across your guests; 0 left.');
    await app.byTestId('backup-create-close').click();
    await app.byTestId('backup-create-dialog').waitFor({ state: 'detached' });
    sim.faults.hangTasks = false;
  });

  it('shows the count as unknown and holds "Back up now" back while a backup storage is inactive', async () => {
    const tank = sim.state.storages.get('tank');
    if (!tank) throw new Error('the scenario has no storage tank');
    tank.content = [...tank.content, 'backup'];
    tank.online = false;

    await app.openInstance(200);
    await app.byTestId('backups-count').waitFor({ timeout: 10_000 });

    expect(await app.byTestId('backups-count').innerText()).toBe(
      'Backups: cannot be counted — backup storage tank is not active, so the backups there cannot be read.',
    );
    expect(await app.byTestId('backup-now').isDisabled()).toBe(true);
    await app.byTestId('backups-section').scrollIntoViewIfNeeded();
    await shot('backups-10-uncounted.png');
    expect(sim.schemaViolations).toEqual([]);
  });
});
