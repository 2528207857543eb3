import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import { InstanceCreateDialog } from './pages/instance-create-dialog';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

function creates(sim: Sim): number {
  return sim.requests.filter(
    (r) => r.method === 'POST' && /^\/nodes\/[^/]+\/(qemu|lxc)$/.test(r.path),
  ).length;
}

// Alice (vmids 100-299, pool alice) has 7 of 16 cores in use; guests 100, 101 and 200 are hers.
// She asks for a VM beyond her cores, sees in the quota preview item by item that it does not
// fit (Create stays disabled), then creates it within them from the "Linux VM" template with the
// Debian ISO, and then a container from the Debian template.
describe.runIf(findChromium() !== null)('creating instances in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;
  let dialog: InstanceCreateDialog;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300, taskDurationMs: 1200 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
    dialog = new InstanceCreateDialog(lab.bridge.page);
  });
  afterAll(() => lab?.close());

  it('offers only the ISOs, templates and storages her policy allows', async () => {
    await dialog.open();
    await dialog.fill({
      type: 'qemu',
      node: 'pve1',
      template: 'Linux VM',
      name: 'alice-build',
      cores: 10,
      memoryMiB: 2048,
      sizeGiB: 16,
      iso: 'local:iso/debian-12.7.0-amd64-netinst.iso',
    });

    const isoOptions = await dialog.byTestId('create-iso').locator('option').allTextContents();
    expect(isoOptions).toEqual([
      'None',
      'debian-12.7.0-amd64-netinst.iso (631 MiB) — Any installer on local',
      'ubuntu-24.04.1-live-server-amd64.iso (2.6 GiB) — Any installer on local',
    ]);
    const storages = await dialog.byTestId('create-storage').locator('option').allTextContents();
    expect(storages).toEqual(['local-lvm', 'tank']);
    expect(await dialog.byTestId('create-pool-fixed').textContent()).toBe(
      'It joins your pool alice.',
    );
    await app.screenshot(join(screenshotDir, 'instance-create-01-form.png'));
  });

  it('shows before anything is sent that 10 cores do not fit, and offers no Create', async () => {
    const preview = dialog.byTestId('quota-preview');

    await expect.poll(() => preview.getAttribute('data-approved')).toBe('false');

    expect(await dialog.byTestId('preview-reason-cores').textContent()).toBe(
      '7 in use + 10 = 17, over the limit of 16 by 1',
    );
    expect(await dialog.byTestId('create-submit').isDisabled()).toBe(true);
    expect(creates(sim)).toBe(0);
    await preview.scrollIntoViewIfNeeded();
    await app.screenshot(join(screenshotDir, 'instance-create-06-preview.png'));
  });

  it('creates the VM within the quota, following the task, in her pool', async () => {
    await dialog.byTestId('create-cores').fill('2');
    await dialog.submit();

    await dialog.waitForDone();
    expect(await dialog.byTestId('create-done').textContent()).toBe('Created VM 102 on pve1.');
    const guest = sim.state.instances.get(102);
    expect(guest?.pool).toBe('alice');
    expect(guest?.config).toMatchObject({
      name: 'alice-build',
      cores: 2,
      sockets: 1,
      ostype: 'l26',
      scsi0: 'local-lvm:vm-102-disk-0,size=16G',
      ide2: 'local:iso/debian-12.7.0-amd64-netinst.iso,media=cdrom,size=631M',
    });
    await app.screenshot(join(screenshotDir, 'instance-create-03-created.png'));

    await dialog.finish();
    await app.byTestId('instance-row-102').waitFor();
    await app.byTestId('disk-table').waitFor();
    await expect.poll(() => app.byTestId('quota-cores').textContent()).toContain('9');
    await app.screenshot(join(screenshotDir, 'instance-create-04-listed.png'));
  });

  it('creates a container from a listed template with a root password that is not stored', async () => {
    await dialog.open();
    await dialog.fill({
      type: 'lxc',
      node: 'pve2',
      name: 'alice-cache',
      vmid: 260,
      cores: 1,
      memoryMiB: 512,
      swapMiB: 256,
      sizeGiB: 4,
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      password: 'correct-horse',
    });
    await app.screenshot(join(screenshotDir, 'instance-create-05-container-form.png'));
    await dialog.submit();

    await dialog.waitForDone();
    expect(await dialog.byTestId('create-done').textContent()).toBe(
      'Created container 260 on pve2.',
    );
    const guest = sim.state.instances.get(260);
    expect(guest?.pool).toBe('alice');
    expect(guest?.config.rootfs).toBe('local-lvm:vm-260-disk-0,size=4G');
    expect(JSON.stringify(guest?.config)).not.toContain('correct-horse');
    await dialog.finish();
    await app.byTestId('instance-row-260').waitFor();
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
