import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import { DiskSlotsSection } from './pages/disk-slots-section';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// Alice's VM 101 (pve2): virtio0 on tank, scsi1 on local-lvm and unused0. The policy allows only
// scsi and virtio on tank. Detach virtio0, then attach it again on scsi.
describe.runIf(findChromium() !== null)('detaching and attaching disks in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;
  let slots: DiskSlotsSection;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
    slots = new DiskSlotsSection(lab.bridge.page);
    await app.openInstance(101);
  });
  afterAll(() => lab?.close());

  it('detaches virtio0 after a confirmation; the volume shows up as unused1', async () => {
    await slots.openDetach('virtio0');
    expect(await slots.byTestId('disk-detach-lead').textContent()).toContain(
      'kept on tank as an unused volume',
    );
    await app.screenshot(join(screenshotDir, 'disk-slots-01-detach-confirm.png'));
    await slots.byTestId('disk-detach-confirm').click();

    await slots.byTestId('disk-detach-done').waitFor();
    expect(await slots.byTestId('disk-detach-done').textContent()).toBe('virtio0 is now unused1.');
    await slots.done();
    await slots.byTestId('disk-row-unused1').waitFor();
    expect(await slots.byTestId('disk-row-virtio0').count()).toBe(0);
    expect(sim.state.instances.get(101)?.config.unused1).toBe('tank:vm-101-disk-0');
    await app.screenshot(join(screenshotDir, 'disk-slots-02-detached.png'));
  });

  it('offers only the buses the policy allows on tank, and attaches on scsi', async () => {
    await slots.openAttach('unused1');
    const options = await slots.byTestId('disk-attach-bus').locator('option').allTextContents();
    expect(options).toEqual(['scsi', 'virtio']);
    await app.screenshot(join(screenshotDir, 'disk-slots-03-attach-form.png'));
    await slots.byTestId('disk-attach-confirm').click();

    await slots.byTestId('disk-attach-done').waitFor();
    expect(await slots.byTestId('disk-attach-done').textContent()).toBe(
      'tank:vm-101-disk-0 is attached as scsi0.',
    );
    await slots.done();
    await slots.byTestId('disk-row-scsi0').waitFor();
    expect(await slots.byTestId('disk-row-unused1').count()).toBe(0);
    expect(sim.state.instances.get(101)?.config.scsi0).toBe('tank:vm-101-disk-0,size=64G');
    expect(sim.schemaViolations).toEqual([]);
    await app.screenshot(join(screenshotDir, 'disk-slots-04-attached.png'));
  });

  it('asks before deleting an unused volume and says the data is destroyed', async () => {
    await slots.byTestId('delete-unused0').click();
    await slots.byTestId('disk-delete-dialog').waitFor();

    expect(await slots.byTestId('disk-delete-lead').textContent()).toBe(
      'The volume local-lvm:vm-101-disk-2 is deleted from local-lvm. Its data is destroyed and cannot be recovered.',
    );
    expect(await slots.byTestId('disk-delete-confirm').textContent()).toBe('Delete the data');
    await app.screenshot(join(screenshotDir, 'disk-slots-05-delete-confirm.png'));
    await slots.page.getByRole('button', { name: 'Cancel' }).click();
    expect(sim.state.instances.get(101)?.config.unused0).toBe('local-lvm:vm-101-disk-2');
  });
});
