import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { MemoryStore } from '../../src/main/store/key-value-store';
import { bundledScenarioPath, loadScenario, startSim, type Sim, type SimNode } from '../pve-sim';
import { findChromium, openRendererInChromium, type BrowserBridge } from './browser-bridge';
import { ClusterNodesSection } from './pages/cluster-nodes-section';
import { ProxdeskApp } from './pages/proxdesk-app';

const screenshots = resolve(import.meta.dirname, '../../test-results/e2e');
const policyFile = resolve(import.meta.dirname, '../../resources/demo/policy.json');

// A two-node cluster: alice signs in on pve1, adds pve2 after comparing its fingerprint, and keeps
// working on pve2 when pve1 stops answering. Back on the connect page the profile lists both.
describe.runIf(findChromium() !== null)('a cluster profile with failover in the renderer', () => {
  let sim: Sim;
  let core: Core;
  let bridge: BrowserBridge;
  let app: ProxdeskApp;
  let nodes: ClusterNodesSection;
  let dataDir: string;
  let pve1: SimNode;
  let pve2: SimNode;
  const settings = new MemoryStore();

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    sim = await startSim({
      scenario: loadScenario(bundledScenarioPath),
      loginFailureDelayMs: 300,
      nodeListeners: true,
    });
    [pve1, pve2] = sim.nodes as [SimNode, SimNode];
    // Reading /cluster/status needs Sys.Audit on `/`; the lab grants it to alice here.
    sim.state.acl.push({ path: '/', ugid: 'alice@pve', roleid: 'PVEAuditor', propagate: true });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
    core = createCore({ dataDir, policyFile, defaultClusterUrl: sim.url, settings });
    bridge = await openRendererInChromium(core);
    app = new ProxdeskApp(bridge.page);
    nodes = new ClusterNodesSection(bridge.page);
    await app.firstSignIn(pve1.url, 'alice@pve', 'alice-lab-pass');
  });
  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds pve2 only after its fingerprint is shown and confirmed', async () => {
    await nodes.offerNode('pve2');
    const shown = await nodes.shownFingerprint();
    const pinsBefore = settings.get('trust.pins') as Record<string, unknown>;
    await app.screenshot(join(screenshots, 'cluster-failover-01-confirm-node.png'));
    await nodes.confirmNode('pve2');
    await app.screenshot(join(screenshots, 'cluster-failover-02-node-list.png'));

    expect(shown).toBe(pve2.fingerprint);
    expect(Object.keys(pinsBefore)).toEqual([pve1.url]);
    expect(settings.get('trust.pins')).toMatchObject({
      [pve1.url]: { fingerprint: pve1.fingerprint },
      [pve2.url]: { fingerprint: pve2.fingerprint },
    });
    expect(await app.byTestId('node-in-use').count()).toBe(1);
  });

  it('tells the user when pve1 stops answering and the session moves to pve2', async () => {
    await pve1.stop();

    await app.byTestId('refresh-button').click();
    const text = await nodes.failoverText();
    await nodes.renameProfile('Teaching lab');
    await app.byTestId('cluster-node-pve2').getByTestId('node-in-use').waitFor();
    await app.screenshot(join(screenshots, 'cluster-failover-03-failover-notice.png'));

    expect(text).toBe(
      'pve1 stopped answering (refused the connection); now using pve2 (certificate checked against its pin).',
    );
    expect(await app.byTestId('instance-row-100').count()).toBe(1);
    expect(await app.byTestId('profile-name').textContent()).toBe('Teaching lab');
    expect(sim.schemaViolations).toEqual([]);
  });

  it('lists the profile with both nodes on the next start, and connects through it', async () => {
    await pve1.start();
    // ProxDesk starts again with the same settings: nobody is signed in.
    await bridge.close();
    await core.close();
    core = createCore({ dataDir, policyFile, settings });
    bridge = await openRendererInChromium(core);
    app = new ProxdeskApp(bridge.page);
    await app.byTestId('profile-list').waitFor({ timeout: 20_000 });
    await app.screenshot(join(screenshots, 'cluster-failover-04-profiles.png'));
    const profiles = settings.get('cluster.profiles') as Array<{ id: string }>;
    const pve2Row = await app.byTestId(`profile-node-${pve2.url}`).textContent();

    await app.byTestId(`profile-connect-${profiles[0]?.id ?? ''}`).click();
    const signInTo = await app.byTestId('sign-in-cluster').textContent({ timeout: 20_000 });

    expect(profiles).toMatchObject([{ name: 'Teaching lab' }]);
    expect(pve2Row).toContain('pve2');
    expect(pve2Row).toContain(pve2.fingerprint.split(':').slice(0, 4).join(':'));
    expect(signInTo).toBe(new URL(pve1.url).host);
  });
});
