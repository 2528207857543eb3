import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import { NetworkSection } from './pages/network-section';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { configWrites, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// Alice's VM 100 (pve1): her network quota is 200 MB/s with 125.5 MB/s used (100: 50, 101: 25.5,
// CT 200 without a rate counted at 50). Add an interface, then raise its rate beyond the quota
// and within it.
describe.runIf(findChromium() !== null)('network interfaces in the renderer', () => {
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

  it('lists the VM interface with its MAC, bridge and rate', async () => {
    const row = network.byTestId('network-row-net0');
    await row.waitFor();

    expect(await network.byTestId('network-mac-net0').textContent()).toBe('BC:24:11:2A:10:00');
    expect(await network.byTestId('network-bridge-net0').textContent()).toBe('vmbr0');
    expect(await network.byTestId('network-rate-net0').textContent()).toBe('50 MB/s');
    await network.byTestId('network-table').scrollIntoViewIfNeeded();
    await app.screenshot(join(screenshotDir, 'network-01-listed.png'));
  });

  it('adds an interface on a VLAN with a rate limit', async () => {
    await network.fillVmInterface({
      model: 'e1000',
      bridge: 'vmbr1',
      vlanTag: 30,
      rateMBps: '12.5',
    });
    await app.screenshot(join(screenshotDir, 'network-02-add-form.png'));
    await network.submitInterface();

    await network.byTestId('network-added').waitFor();
    expect(String(sim.state.instances.get(100)?.config.net1)).toMatch(
      /^e1000=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr1,rate=12\.5,tag=30$/,
    );
    await app.screenshot(join(screenshotDir, 'network-03-added.png'));
    await network.done();
    await network.byTestId('network-row-net1').waitFor();
    expect(await network.byTestId('network-vlan-net1').textContent()).toBe('30');
    expect(await network.byTestId('network-rate-net1').textContent()).toBe('12.5 MB/s');
  });

  it('refuses a rate beyond the quota with the itemised shortfall, sending nothing', async () => {
    const before = configWrites(sim);

    // 138 MB/s used; 12.5 -> 80 asks 67.5 more, 5.5 MB/s over 200.
    await network.changeRate('net1', '80');

    const shortfall = network.byTestId('shortfall-network');
    await shortfall.waitFor();
    expect(await shortfall.textContent()).toContain('5.5 MB/s');
    expect(configWrites(sim)).toBe(before);
    await app.screenshot(join(screenshotDir, 'network-04-rate-refused.png'));
  });

  it('changes the rate within the quota and shows it', async () => {
    await network.changeRate('net1', '60');

    await network.byTestId('network-rate-saved').waitFor();
    expect(String(sim.state.instances.get(100)?.config.net1)).toMatch(/,rate=60,tag=30$/);
    await network.done();
    await expect.poll(() => network.byTestId('network-rate-net1').textContent()).toBe('60 MB/s');
    await expect.poll(() => app.byTestId('quota-network').textContent()).toContain('185.5 MB/s');
    await app.screenshot(join(screenshotDir, 'network-05-rate-changed.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
