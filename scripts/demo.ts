import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../src/main/core';
import { createLogger } from '../src/main/log/logger';
import { bundledScenarioPath, loadScenario, startSim } from '../test/pve-sim';
import { openRendererInChromium } from '../test/e2e/browser-bridge';
import { ProxdeskApp } from '../test/e2e/pages/proxdesk-app';
import { findElectronBinary } from './electron-binary';

// `npm run demo`: the simulated cluster with the bundled lab scenario, and ProxDesk connected to
// it. In Electron when its binary is there; otherwise the same renderer and core in Chromium.

const repoRoot = resolve(import.meta.dirname, '..');
const policyFile = join(repoRoot, 'resources/demo/policy.json');

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    scenario: { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});

function build(): void {
  console.log('Building ProxDesk…');
  const result = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('The build failed; see the messages above.');
}

async function main(): Promise<void> {
  build();
  const sim = await startSim({
    scenario: loadScenario(values.scenario ?? bundledScenarioPath),
    port: Number(values.port),
  });
  // A user with two-factor sign-in needs the TOTP secret to add to an authenticator app.
  const users = sim.users
    .map(
      (u) => `${u.userid} / ${u.password}${u.totpSecret ? ` (TOTP secret ${u.totpSecret})` : ''}`,
    )
    .join(', ');
  console.log(`Simulated cluster at ${sim.url} (certificate ${sim.fingerprint}). Users: ${users}.`);

  const electron = findElectronBinary();
  if (electron && !values.headless) {
    const child = spawn(electron, [repoRoot], {
      stdio: 'inherit',
      env: { ...process.env, PROXDESK_CLUSTER_URL: sim.url, PROXDESK_POLICY: policyFile },
    });
    await new Promise<void>((done) => child.once('exit', () => done()));
    await sim.close();
    return;
  }

  console.log(
    electron
      ? 'Headless demo: running the renderer and core in Chromium through the browser bridge.'
      : 'No Electron binary on this machine: running the same renderer and core in Chromium through the browser bridge.',
  );
  const headless = values.headless || !process.env.DISPLAY;
  if (headless && !values.headless) {
    console.log(
      'There is no display, so Chromium runs headless; use --screenshot <file.png> to see the result.',
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-demo-'));
  const core = createCore({
    dataDir,
    logger: createLogger({ directory: join(dataDir, 'logs') }),
    policyFile,
    defaultClusterUrl: sim.url,
  });
  const bridge = await openRendererInChromium(core, { headless });
  try {
    if (values.screenshot) {
      const app = new ProxdeskApp(bridge.page);
      const first = sim.users[0];
      if (!first) throw new Error('The scenario has no users.');
      await app.firstSignIn(sim.url, first.userid, first.password);
      await app.screenshot(resolve(values.screenshot));
      console.log(`Signed in as ${first.userid}; wrote ${resolve(values.screenshot)}.`);
    } else if (headless) {
      console.log('Nothing to show without a display or --screenshot; stopping.');
    } else {
      await new Promise<void>((done) => bridge.page.once('close', () => done()));
    }
  } finally {
    await bridge.close();
    await core.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
