import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { configWrites, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// The quota preview in the resources dialog of alice's VM 100 (2 cores × 1 socket): her quota is
// 16 cores with 7 in use, so 12 cores (10 more) do not fit and 4 cores (2 more) do.
describe.runIf(findChromium() !== null)('quota preview in the resources dialog', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 0, taskDurationMs: 200 },
      core: { taskPollMinMs: 50 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
    await app.openInstance(100);
  });
  afterAll(() => lab?.close());

  it('shows that 12 cores do not fit, why, and offers no Save, before anything is sent', async () => {
    const writes = configWrites(sim);
    await app.byTestId('resources-open').click({ timeout: 20_000 });
    await app.byTestId('resources-cores').fill('12');

    const preview = app.byTestId('quota-preview');
    await expect.poll(() => preview.getAttribute('data-approved')).toBe('false');
    expect(await app.byTestId('preview-used-cores').textContent()).toBe('7');
    expect(await app.byTestId('preview-after-cores').textContent()).toBe('17 of 16');
    expect(await app.byTestId('preview-cores').getAttribute('data-fits')).toBe('false');
    expect(await app.byTestId('preview-reason-cores').textContent()).toBe(
      '7 in use + 10 = 17, over the limit of 16 by 1',
    );
    expect(await app.byTestId('resources-submit').isDisabled()).toBe(true);
    expect(configWrites(sim)).toBe(writes);
    await app.byTestId('resources-dialog').screenshot({
      path: join(screenshotDir, 'quota-preview-01-refused.png'),
    });
  });

  it('shows what 4 cores leave, and saves them when confirmed', async () => {
    await app.byTestId('resources-cores').fill('4');

    const preview = app.byTestId('quota-preview');
    await expect.poll(() => preview.getAttribute('data-approved')).toBe('true');
    expect(await app.byTestId('preview-after-cores').textContent()).toBe('9 of 16');
    expect(await preview.textContent()).toContain('7 left');
    await app.byTestId('resources-dialog').screenshot({
      path: join(screenshotDir, 'quota-preview-02-fits.png'),
    });
    await app.byTestId('resources-submit').click();

    await app.byTestId('resources-saved').waitFor({ timeout: 20_000 });
    expect(sim.state.instances.get(100)?.config.cores).toBe(4);
  });
});
