import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/main/core';
import { parsePolicy, type Policy } from '../../src/main/quota/policy';
import type { ChannelName, ChannelOutput } from '../../src/shared/contract';
import type { AppErrorData } from '../../src/shared/errors';
import {
  bundledScenarioPath,
  defaultSchemaPath,
  loadScenario,
  startSim,
  type Sim,
  type SimOptions,
} from '../pve-sim';

/** The demo policy, which names the bundled scenario's users. */
export const demoPolicyPath = resolve(import.meta.dirname, '../../resources/demo/policy.json');

/** The demo policy with one user's entry changed by `change`, parsed as ProxDesk would. */
export function demoPolicyWith(
  userid: string,
  change: (entry: Record<string, unknown>) => Record<string, unknown>,
): Policy {
  const demo = JSON.parse(readFileSync(demoPolicyPath, 'utf8')) as {
    users: Record<string, Record<string, unknown>>;
  };
  const entry = demo.users[userid];
  if (!entry) throw new Error(`the demo policy has no ${userid}`);
  demo.users[userid] = change(entry);
  const parsed = parsePolicy(demo);
  if (!parsed.ok)
    throw new Error(`the changed demo policy is not valid: ${JSON.stringify(parsed)}`);
  return parsed.policy;
}

/** A simulated cluster with a core connected to it. */
export interface Lab {
  sim: Sim;
  core: Core;
  dataDir: string;
  /** Probes, trusts and signs in as one of the scenario's users (the first by default). */
  signIn(userIndex?: number): Promise<void>;
  /** Pins the simulator's certificate, as the user does before the first sign-in. */
  trust(): Promise<void>;
  /** Invokes a channel and returns its data, failing the test on an error envelope. */
  call<C extends ChannelName>(channel: C, input?: unknown): Promise<ChannelOutput<C>>;
  /** Invokes a channel that must fail and returns its error. */
  fail(channel: ChannelName, input?: unknown): Promise<AppErrorData>;
  close(): Promise<void>;
}

/** Starts the bundled scenario on a random port and a core with a fresh data folder. */
export async function startLab(
  simOptions: Partial<SimOptions> = {},
  coreOptions: Partial<CoreOptions> = {},
): Promise<Lab> {
  // CI always has the official schema beside the repository; without it the simulator could not
  // catch a request the real API would reject, so a CI run without it must fail, not pass quietly.
  if (process.env.CI && !existsSync(defaultSchemaPath)) {
    throw new Error(`The PVE API schema is missing at ${defaultSchemaPath}; CI needs it.`);
  }
  const sim = await startSim({
    scenario: loadScenario(bundledScenarioPath),
    loginFailureDelayMs: 300,
    taskDurationMs: 300,
    ...simOptions,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-test-'));
  const core = createCore({
    dataDir,
    policyFile: demoPolicyPath,
    taskPollMinMs: 50,
    ...coreOptions,
  });

  const call = async <C extends ChannelName>(
    channel: C,
    input?: unknown,
  ): Promise<ChannelOutput<C>> => {
    const result = await core.invoke(channel, input);
    if (!result.ok)
      throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.data;
  };
  const fail = async (channel: ChannelName, input?: unknown): Promise<AppErrorData> => {
    const result = await core.invoke(channel, input);
    if (result.ok) throw new Error(`${channel} succeeded but was expected to fail`);
    return result.error;
  };

  return {
    sim,
    core,
    dataDir,
    call,
    fail,
    async signIn(userIndex = 0) {
      const user = sim.users[userIndex];
      if (!user) throw new Error(`the scenario has no user ${userIndex}`);
      const [username, realm] = user.userid.split('@') as [string, string];
      await call('cluster:trust', { url: sim.url, fingerprint: sim.fingerprint });
      await call('session:login', { url: sim.url, realm, username, password: user.password });
    },
    async trust() {
      await call('cluster:trust', { url: sim.url, fingerprint: sim.fingerprint });
    },
    async close() {
      await core.close();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
