import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/main/core';
import { bundledScenarioPath, loadScenario, startSim, type Sim, type SimOptions } from '../pve-sim';
import { openRendererInChromium, type BrowserBridge } from './browser-bridge';
import { ProxdeskApp } from './pages/proxdesk-app';

/** Where the end-to-end specs save their screenshots. */
export const screenshotDir = resolve(import.meta.dirname, '../../test-results/e2e');

/** The demo policy the bundled scenario's users are described in. */
export const demoPolicyFile = resolve(import.meta.dirname, '../../resources/demo/policy.json');

/** What a spec drives: the simulated cluster, a core against it, and the renderer in Chromium. */
/** PUTs of guest configs the simulator has received, to show a refused change sent nothing. */
export function configWrites(sim: Sim): number {
  return sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/config')).length;
}

export interface RendererLab {
  sim: Sim;
  core: Core;
  bridge: BrowserBridge;
  app: ProxdeskApp;
  /** The policy file the core reads, a copy in the data folder when the spec gave its own text. */
  policyFile: string;
  /** Closes the browser, the core and the simulator, and removes the core's data folder. */
  close: () => Promise<void>;
}

/** How a spec wants its lab: the policy document (the demo one if left out) and who signs in. */
export interface RendererLabOptions {
  policyText?: string;
  sim?: Omit<SimOptions, 'scenario'>;
  /** Core settings beyond the data folder, policy and cluster, which the lab chooses. */
  core?: Omit<CoreOptions, 'dataDir' | 'policyFile' | 'defaultClusterUrl'>;
  /** Changes the simulated cluster's state before anyone signs in. */
  prepareSim?: (sim: Sim) => void;
  /** Left out, the renderer stays on its first screen so the spec can walk the first run. */
  user?: { userid: string; password: string };
}

/** Starts the bundled scenario, a core with the policy and the renderer; signs in any `user`. */
export async function openRendererLab(options: RendererLabOptions): Promise<RendererLab> {
  mkdirSync(screenshotDir, { recursive: true });
  const sim = await startSim({ scenario: loadScenario(bundledScenarioPath), ...options.sim });
  options.prepareSim?.(sim);
  const dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-e2e-'));
  let policyFile = demoPolicyFile;
  if (options.policyText !== undefined) {
    policyFile = join(dataDir, 'policy.json');
    writeFileSync(policyFile, options.policyText);
  }
  const core = createCore({
    dataDir,
    policyFile,
    defaultClusterUrl: sim.url,
    taskPollMinMs: 100,
    ...options.core,
  });
  let bridge: BrowserBridge | undefined;
  const close = async (): Promise<void> => {
    await bridge?.close();
    await core.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    bridge = await openRendererInChromium(core);
    const app = new ProxdeskApp(bridge.page);
    if (options.user !== undefined) {
      await app.firstSignIn(sim.url, options.user.userid, options.user.password);
    }
    return { sim, core, bridge, app, policyFile, close };
  } catch (error) {
    // A lab that did not start leaves nothing running behind the failed spec.
    await close();
    throw error;
  }
}
