import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import { NetworkSection } from './pages/network-section';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

const configPath = '/nodes/pve1/qemu/100/config';

/** Makes the simulator answer the next config write of VM 100 as PVE answers a bad parameter. */
function refuseNextConfigWrite(sim: Sim, errors: Record<string, string>): void {
  sim.faults.statusOverride = {
    status: 400,
    message: 'Parameter verification failed.',
    method: 'PUT',
    path: configPath,
    errors,
    remaining: 1,
  };
}

// PVE's 400 names its own parameter (`net0` with `net0.rate` inside it, `memory`); the dialog
// shows each reason under the field the user typed the value into.
describe.runIf(findChromium() !== null)('PVE parameter errors on the form fields', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;
  let network: NetworkSection;

  beforeAll(async () => {
    lab = await openRendererLab({
      sim: { loginFailureDelayMs: 300 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    ({ sim, app } = lab);
    network = new NetworkSection(lab.bridge.page);
    await app.openInstance(100);
  });
  afterAll(() => lab?.close());

  it('shows the rate PVE refused inside net0 under the rate field', async () => {
    refuseNextConfigWrite(sim, {
      net0: 'invalid format - format error\nnet0.rate: value must have a maximum value of 30\n',
    });

    await network.changeRate('net0', '40');

    const fieldError = app.byTestId('network-rate-input-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe('Value must have a maximum value of 30.');
    expect(await app.byTestId('network-rate-error').getAttribute('data-code')).toBe(
      'PVE_VALIDATION',
    );
    expect(String(sim.state.instances.get(100)?.config.net0)).toMatch(/,rate=50$/);
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'field-errors-01-rate.png') });
  });

  it('clears the field error once the user edits the value, and saves the new one', async () => {
    await app.byTestId('network-rate-input').fill('30');

    await app.byTestId('network-rate-input-error').waitFor({ state: 'detached' });
    await app.byTestId('network-rate-submit').click();
    await app.byTestId('network-rate-saved').waitFor();
    expect(String(sim.state.instances.get(100)?.config.net0)).toMatch(/,rate=30$/);
    await network.done();
  });

  it('shows a refused memory value under the memory field of the resources dialog', async () => {
    refuseNextConfigWrite(sim, { memory: 'value must have a minimum value of 4096\n' });

    await app.changeResources({ memoryMiB: 2048 });

    const fieldError = app.byTestId('resources-memory-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe('Value must have a minimum value of 4096.');
    expect(await app.byTestId('resources-cores-error').count()).toBe(0);
    expect(sim.state.instances.get(100)?.config.memory).toBe('4096');
    await lab.bridge.page.screenshot({ path: join(screenshotDir, 'field-errors-02-memory.png') });
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
