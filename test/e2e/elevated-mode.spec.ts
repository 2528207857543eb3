import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { MemorySecretStore } from '../../src/main/store/secrets';
import {
  auditToken,
  commitToken,
  dave,
  elevatedLabPolicyText,
  elevatedLabScenario,
} from '../fixtures/elevated-lab';
import { startSim, type Sim } from '../pve-sim';
import { findChromium, openRendererInChromium, type BrowserBridge } from './browser-bridge';
import { ProxdeskApp } from './pages/proxdesk-app';

const screenshots = resolve(import.meta.dirname, '../../test-results/e2e');

// The lab admin installs the lab token in the admin view (a token that may only read is refused
// first), then dave, read-only in PVE, grows a disk and the token commits it.
describe.runIf(findChromium() !== null)('elevated mode: the lab token panel', () => {
  let sim: Sim;
  let core: Core;
  let bridge: BrowserBridge;
  let app: ProxdeskApp;
  let dataDir: string;
  const secrets = new MemorySecretStore();
  const secretNames = new Set<string>();
  const keepSecret = secrets.set.bind(secrets);
  secrets.set = (name, value) => {
    keepSecret(name, value);
    secretNames.add(name);
  };
  /** The lab token secrets kept, whatever name the cluster's profile gives them. */
  const labSecrets = (): Array<string | null> =>
    [...secretNames].filter((n) => n.startsWith('elevated-token ')).map((n) => secrets.get(n));
  const startCore = (): Core =>
    createCore({
      dataDir,
      policyFile: join(dataDir, 'policy.json'),
      secrets,
      defaultClusterUrl: sim.url,
      taskPollMinMs: 50,
    });

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    sim = await startSim({
      scenario: elevatedLabScenario(),
      loginFailureDelayMs: 0,
      taskDurationMs: 200,
    });
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-elevated-'));
    writeFileSync(join(dataDir, 'policy.json'), elevatedLabPolicyText());
    core = startCore();
    bridge = await openRendererInChromium(core);
    // Tall enough that the admin view's side column fits without scrolling under the header.
    await bridge.page.setViewportSize({ width: 1280, height: 1600 });
    app = new ProxdeskApp(bridge.page);
  });
  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the lab admin that no token is installed', async () => {
    await app.connect(sim.url);
    await app.trustCertificate();
    await app.signIn('labadmin', 'labadmin-lab-pass', 'pve');
    await app.byTestId('admin-button').click({ timeout: 15_000 });

    const status = app.byTestId('elevated-status');
    await status.waitFor({ timeout: 15_000 });

    expect(await status.textContent()).toBe(
      'No lab token is installed: changes are made with each user’s own PVE rights.',
    );
    await app
      .byTestId('elevated-panel')
      .screenshot({ path: join(screenshots, 'elevated-01-no-token.png') });
  });

  it('refuses a token that may only read, naming what it lacks', async () => {
    await app.byTestId('elevated-token-id').fill(auditToken.tokenId);
    await app.byTestId('elevated-token-secret').fill(auditToken.secret);
    await app.byTestId('elevated-install').click();

    const error = app.byTestId('elevated-install-error');
    await error.waitFor({ timeout: 15_000 });

    expect(await error.getAttribute('data-code')).toBe('PVE_PERMISSION');
    expect(await error.textContent()).toContain('it lacks VM.Allocate');
    expect(await app.byTestId('elevated-token-secret').inputValue()).toBe('');
    expect(labSecrets()).toEqual([]);
    await app
      .byTestId('elevated-panel')
      .screenshot({ path: join(screenshots, 'elevated-02-refused.png') });
  });

  it('installs the commit token after checking it, and says which one is installed', async () => {
    await app.byTestId('elevated-token-id').fill(commitToken.tokenId);
    await app.byTestId('elevated-token-secret').fill(commitToken.secret);
    await app.byTestId('elevated-install').click();

    await app.byTestId('elevated-installed').waitFor({ timeout: 15_000 });
    const status = (await app.byTestId('elevated-status').textContent()) ?? '';

    expect(status).toMatch(/^Installed: proxdesk@pve!commit, by labadmin@pve on /);
    expect(await bridge.page.content()).not.toContain(commitToken.secret);
    expect(labSecrets()).toEqual([commitToken.secret]);
    await app
      .byTestId('elevated-panel')
      .screenshot({ path: join(screenshots, 'elevated-03-installed.png') });
  });

  it('keeps the token for the next user after a restart; dave grows his disk with it', async () => {
    await app.screenshot(join(screenshots, 'elevated-03-admin-view.png'));
    // The next user of this computer starts ProxDesk afresh: same settings and keychain.
    await bridge.close();
    await core.close();
    core = startCore();
    bridge = await openRendererInChromium(core);
    app = new ProxdeskApp(bridge.page);
    await app.connect(sim.url);
    await app.signIn(dave.username, dave.password, 'pve');
    await app.waitForWorkspace();
    await app.openInstance(120);

    await app.resizeDisk('scsi0', 2);
    const result = app.byTestId('resize-result');
    await result.waitFor({ timeout: 20_000 });

    expect(await result.textContent()).toContain('scsi0 is now 18 GiB');
    const writes = sim.requests.filter((r) => r.method !== 'GET' && r.path.endsWith('/resize'));
    expect(writes.map((r) => [r.path, r.status, r.userid])).toEqual([
      ['/nodes/pve1/qemu/120/resize', 200, commitToken.tokenId],
    ]);
    await app.screenshot(join(screenshots, 'elevated-04-dave-resized.png'));
    expect(sim.schemaViolations).toEqual([]);
  });
});
