import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { configWrites, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// pve2 is down when alice signs in. Her VM 101 there cannot be read, so her Quota panel says
// what it leaves out, and the resources dialog of VM 100 on pve1 refuses more cores (the 4 cores
// of VM 101 might already use the rest) while it still lets her give cores back.
describe.runIf(findChromium() !== null)('a node of the cluster is down', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 0, taskDurationMs: 200 },
      core: { taskPollMinMs: 50 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
      prepareSim: (cluster) => {
        const pve2 = cluster.state.nodes.get('pve2');
        if (!pve2) throw new Error('the scenario has no node pve2');
        pve2.status = 'offline';
      },
    });
    ({ sim, app } = lab);
  });
  afterAll(() => lab?.close());

  it('says in the Quota panel which guest is not counted and why', async () => {
    const notice = app.byTestId('quota-unread');
    await notice.waitFor({ timeout: 20_000 });

    expect(await notice.textContent()).toContain(
      'One guest of yours could not be read and is not counted',
    );
    expect(await notice.textContent()).toContain('VM 101 on pve2: PVE cannot reach pve2');
    // Every figure leaves VM 101 out, so each is shown as what is used at least.
    expect(await app.byTestId('quota-cores').locator('.quota-figures').textContent()).toContain(
      '≥ 3 / 16',
    );
    await app.byTestId('quota-panel').screenshot({
      path: join(screenshotDir, 'node-offline-01-quota-panel.png'),
    });
  });

  it('refuses more cores for VM 100 with the reason, and sends nothing', async () => {
    const writes = configWrites(sim);
    await app.openInstance(100);
    await app.byTestId('resources-open').click({ timeout: 20_000 });
    await app.byTestId('resources-cores').fill('3');

    const preview = app.byTestId('quota-preview');
    await expect.poll(() => preview.getAttribute('data-approved')).toBe('false');
    expect(await app.byTestId('preview-used-cores').textContent()).toBe('≥ 3');
    expect(await app.byTestId('preview-reason-cores').textContent()).toBe(
      'at least 3 in use + 1: guest 101 on pve2 could not be read (PVE cannot reach pve2), so what is in use is not known',
    );
    expect(await app.byTestId('resources-submit').isDisabled()).toBe(true);
    expect(configWrites(sim)).toBe(writes);
    await app.byTestId('resources-dialog').screenshot({
      path: join(screenshotDir, 'node-offline-02-more-cores-refused.png'),
    });
  });

  it('lets her give a core back', async () => {
    await app.byTestId('resources-cores').fill('1');

    const preview = app.byTestId('quota-preview');
    await expect.poll(() => preview.getAttribute('data-approved')).toBe('true');
    await app.byTestId('resources-submit').click();

    await app.byTestId('resources-saved').waitFor({ timeout: 20_000 });
    expect(sim.state.instances.get(100)?.config.cores).toBe(1);
  });
});
