// `npm run bench`: prints one line per figure, `name: value unit`. Each figure is measured, not
// estimated: times with performance.now() around the real code path, request counts from what the
// simulated cluster recorded (sim.requests). Not part of `npm test`; it takes about half a minute.
//   quota.price.warm.10000   median of 200 pricings of one resize for a user with 10,000 guests,
//                            through QuotaService.snapshot (warm) and priceChange, after 20 warm-ups
//   quota.usage.cold.200.*   quota:usage with nothing cached, 200 guests, 20 ms injected per
//                            request, each in a fresh session (new core, new TLS connections):
//                            `wall` the median of five after three warm-up sessions,
//                            `reused-connections` the same read again at once on the connections
//                            it opened, `first-of-process` the first session (it also pays for V8
//                            compiling the code path), `bare-client-first` the same requests made
//                            by bare-client.ts, undici alone in a worker thread of its own; the
//                            simulator runs in a worker thread so that its CPU time is not
//                            charged to the client, as a real node's is not, and has served the
//                            same reads to a client in its own thread before the first
//                            (`requests` counts one reading's requests, each `.round-trips` is
//                            its `.wall` divided by the 20 ms; `sequential.wall` is the same
//                            reading one config at a time)
//   ops.requests.<channel>   requests of one call of each mutating channel, start to end, signed
//                            in afresh as alice with no usage cached (usageMaxAgeMs 0)
//   bench.total.wall         the whole run
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createCore, type Core, type CoreOptions } from '../src/main/core';
import { BackupSlots } from '../src/main/core/backup-slots';
import { priceChange } from '../src/main/core/pricing';
import { QuotaService } from '../src/main/core/quota-service';
import { createLogger } from '../src/main/log/logger';
import { channelNames, type ChannelName } from '../src/shared/contract';
import {
  bundledScenarioPath,
  loadScenario,
  startSim,
  type Sim,
  type SimOptions,
} from '../test/pve-sim';
import { benchPolicy, benchUser, inMemoryApi } from './scenarios';
import type { BareClientData, BareClientReply } from './bare-client';
import type { SimWorkerData, SimWorkerReply, SimWorkerRequest } from './sim-worker';

/**
 * Fresh sessions run after the first one of the process before the cold usage figure is taken:
 * V8 keeps optimising the HTTP, TLS and usage code over the first thousand or so requests.
 */
const warmUpSessions = 3;

/**
 * Reads of every config the simulator serves to a client of its own before any session is timed,
 * as a PVE node that has been up a while has served many.
 */
const simulatorWarmUpReads = 3;

/** Fresh sessions whose median is the cold usage figure. */
const measuredSessions = 5;

/** Where every bench worker thread starts (it registers the TypeScript loader). */
const workerEntry = new URL('./worker-entry.mjs', import.meta.url);

const demoPolicyFile = join(import.meta.dirname, '../resources/demo/policy.json');

function line(name: string, value: number, unit: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(3);
  console.log(`${name}: ${shown} ${unit}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Median time to price one resize for a user with `count` guests, from the warm snapshot. */
async function warmPricing(count: number): Promise<number> {
  const logger = createLogger({ level: 'silent' });
  const quota = new QuotaService({ policy: benchPolicy() }, logger.child('quota'));
  const api = inMemoryApi(count);
  await quota.snapshot(api, benchUser.userid); // the cold read that makes the snapshot warm
  const change = {
    kind: 'disk:resize',
    node: 'pve1',
    type: 'qemu',
    vmid: 1000 + count - 1,
    disk: 'scsi0',
    addGiB: 1,
  } as const;
  const pending = [{ node: 'pve1', storageBytes: { 'local-lvm': 1024 ** 3 } }];
  // A resize needs neither: no backup is being made and changes go out with the user's ticket.
  const setting = { backupSlots: new BackupSlots(), elevated: () => Promise.resolve(false) };
  const times: number[] = [];
  for (let run = 0; run < 220; run += 1) {
    const start = performance.now();
    const snapshot = await quota.snapshot(api, benchUser.userid);
    const priced = await priceChange({ api, quota, snapshot, pending }, change, setting);
    const elapsed = performance.now() - start;
    if (!priced.decision.approved) throw new Error('the bench change should fit');
    if (run >= 20) times.push(elapsed); // the first runs warm up the JIT
  }
  await logger.close();
  return median(times);
}

interface Lab {
  sim: Sim;
  core: Core;
  close(): Promise<void>;
}

async function startLab(sim: Partial<SimOptions>, core: Partial<CoreOptions>): Promise<Lab> {
  const started = await startSim({
    scenario: loadScenario(bundledScenarioPath),
    loginFailureDelayMs: 0,
    taskDurationMs: 0,
    ...sim,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-bench-'));
  const logger = createLogger({ level: 'silent' });
  const instance = createCore({ dataDir, logger, taskPollMinMs: 20, ...core });
  return {
    sim: started,
    core: instance,
    async close() {
      await instance.close();
      await started.close();
      await logger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function must<C extends ChannelName>(
  lab: { core: Core },
  channel: C,
  input?: unknown,
): Promise<unknown> {
  const result = await lab.core.invoke(channel, input);
  if (!result.ok)
    throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

async function signIn(lab: Lab, userid: string, password: string): Promise<number> {
  await must(lab, 'cluster:trust', { url: lab.sim.url, fingerprint: lab.sim.fingerprint });
  const [username, realm] = userid.split('@');
  const before = lab.sim.requests.length;
  await must(lab, 'session:login', { url: lab.sim.url, realm, username, password });
  return lab.sim.requests.length - before;
}

/** A simulator in a worker thread, answering questions about what it recorded. */
class WorkerSim {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
    readonly fingerprint: string,
  ) {}

  static async start(guests: number, latencyMs: number): Promise<WorkerSim> {
    const workerData: SimWorkerData = {
      module: './sim-worker.ts',
      guests,
      latencyMs,
      warmUpReads: simulatorWarmUpReads,
    };
    const worker = new Worker(workerEntry, { workerData });
    const started = await WorkerSim.next(worker, 'started');
    return new WorkerSim(worker, started.url, started.fingerprint);
  }

  private static next<T extends SimWorkerReply['type']>(
    worker: Worker,
    type: T,
  ): Promise<Extract<SimWorkerReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: SimWorkerReply): void => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message as Extract<SimWorkerReply, { type: T }>);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  async requests(): Promise<{ count: number; schemaViolations: number }> {
    const answer = WorkerSim.next(this.worker, 'requests');
    this.worker.postMessage({ type: 'requests' } satisfies SimWorkerRequest);
    return answer;
  }

  async close(): Promise<void> {
    const closed = WorkerSim.next(this.worker, 'closed');
    this.worker.postMessage({ type: 'close' } satisfies SimWorkerRequest);
    await closed;
    await this.worker.terminate();
  }
}

/**
 * The first reading of a bare undici client (bare-client.ts) in an isolate of its own: the same
 * requests as a usage computation, with none of ProxDesk's code, against a simulator of its own
 * started and warmed exactly as the one ProxDesk's sessions read from.
 */
async function bareClientFirstRead(count: number, latencyMs: number): Promise<BareClientReply> {
  const sim = await WorkerSim.start(count, latencyMs);
  const workerData: BareClientData = {
    module: './bare-client.ts',
    url: sim.url,
    userid: benchUser.userid,
    password: benchUser.password,
    pool: benchUser.pool,
  };
  const worker = new Worker(workerEntry, { workerData });
  try {
    return await new Promise<BareClientReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
    await sim.close();
  }
}

/** What one fresh session's cold usage read measured. */
interface ColdRead {
  requests: number;
  wallMs: number;
  /** The same read again at once: nothing cached, but its TLS connections are open. */
  reusedWallMs: number;
}

/**
 * Signs in afresh (a new core: new connections, no usage cached) and times quota:usage, then the
 * same read again on the connections the first one opened.
 */
async function freshSessionRead(sim: WorkerSim, concurrency?: number): Promise<ColdRead> {
  const dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-bench-'));
  const logger = createLogger({ level: 'silent' });
  const core = createCore({
    dataDir,
    logger,
    policy: benchPolicy(),
    usageReadConcurrency: concurrency,
  });
  try {
    const lab = { core, sim };
    await must(lab, 'cluster:trust', { url: sim.url, fingerprint: sim.fingerprint });
    const [username, realm] = benchUser.userid.split('@');
    await must(lab, 'session:login', {
      url: sim.url,
      realm,
      username,
      password: benchUser.password,
    });
    const before = await sim.requests();
    const start = performance.now();
    await must(lab, 'quota:usage');
    const wallMs = performance.now() - start;
    const after = await sim.requests();
    if (after.schemaViolations > 0) throw new Error('the schema check refused a request');
    const again = performance.now();
    await must(lab, 'quota:usage');
    const reusedWallMs = performance.now() - again;
    return { requests: after.count - before.count, wallMs, reusedWallMs };
  } finally {
    await core.close();
    await logger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `sessions` fresh sessions' cold usage reads of `count` guests, one after another. */
async function coldUsage(
  count: number,
  latencyMs: number,
  sessions: number,
  concurrency?: number,
): Promise<ColdRead[]> {
  const sim = await WorkerSim.start(count, latencyMs);
  try {
    const reads: ColdRead[] = [];
    for (let session = 0; session < sessions; session += 1) {
      reads.push(await freshSessionRead(sim, concurrency));
    }
    return reads;
  } finally {
    await sim.close();
  }
}

/** Requests each mutating channel makes from start to end, signed in afresh as alice. */
async function operationRequests(): Promise<Array<[string, number]>> {
  const alice = { node: 'pve1', type: 'qemu', vmid: 100 };
  // VM 100 has scsi0 and efidisk0; each step leaves what the next one works on.
  const created = { node: 'pve1', type: 'qemu', vmid: 102 };
  // An input may be worked out from the answer of the step before (a backup's volume id).
  const operations: Array<[string, unknown]> = [
    ['disk:resize', { ...alice, disk: 'scsi0', addGiB: 1 }],
    ['instance:resources', { ...alice, cores: 3 }],
    ['net:create', { ...alice, model: 'virtio', bridge: 'vmbr0', rateMBps: 10 }],
    ['net:modify', { ...alice, key: 'net1', rateMBps: 5 }],
    ['net:delete', { ...alice, key: 'net1' }],
    ['disk:create', { ...alice, storage: 'local-lvm', bus: 'scsi', sizeGiB: 1 }],
    ['disk:move', { ...alice, disk: 'scsi1', targetStorage: 'tank', deleteSource: true }],
    ['disk:detach', { ...alice, disk: 'scsi1' }],
    ['disk:attach', { ...alice, volume: 'unused0', bus: 'scsi' }],
    ['disk:detach', { ...alice, disk: 'scsi1' }],
    ['disk:delete', { ...alice, disk: 'unused0' }],
    ['pci:attach', { ...alice, device: { mapping: 'lab-gpu' } }],
    ['pci:modify', { ...alice, key: 'hostpci0', pcie: true }],
    ['pci:detach', { ...alice, key: 'hostpci0' }],
    ['instance:power', { ...alice, action: 'stop' }],
    [
      'instance:create',
      {
        type: 'qemu',
        node: 'pve1',
        name: 'bench-vm',
        cores: 1,
        memoryMiB: 512,
        disk: { storage: 'local-lvm', bus: 'scsi', sizeGiB: 1 },
      },
    ],
    ['instance:destroy', { ...created, confirmVmid: created.vmid }],
    ['backup:create', { ...alice, storage: 'local', mode: 'snapshot' }],
    ['backup:delete', (made: unknown) => ({ ...alice, volid: backupVolid(made) })],
  ];
  const results: Array<[string, number]> = [];
  const lab = await startLab({}, { policyFile: demoPolicyFile, usageMaxAgeMs: 0 });
  try {
    const user = lab.sim.users[0];
    if (!user) throw new Error('the bundled scenario has no users');
    results.push(['session:login', await signIn(lab, user.userid, user.password)]);
    let previous: unknown;
    for (const [channel, input] of operations) {
      if (!(channelNames as readonly string[]).includes(channel)) {
        throw new Error(`the bench names a channel the contract does not have: ${channel}`);
      }
      const before = lab.sim.requests.length;
      const given =
        typeof input === 'function' ? (input as (made: unknown) => unknown)(previous) : input;
      previous = await must(lab, channel as ChannelName, given);
      // A channel run twice to set up the next step is reported once, from its first run.
      if (!results.some(([name]) => name === channel)) {
        results.push([channel, lab.sim.requests.length - before]);
      }
    }
  } finally {
    await lab.close();
  }
  return results;
}

/** The volume id of the backup a `backup:create` answer names. */
function backupVolid(answer: unknown): string {
  const volid = (answer as { backup?: { volid?: unknown } | null } | null)?.backup?.volid;
  if (typeof volid !== 'string') throw new Error('backup:create named no backup volume');
  return volid;
}

async function main(): Promise<void> {
  const started = performance.now();
  const latencyMs = 20;
  // A cold reading is one with nothing cached: a new session (new core, new TLS connections) and
  // no usage read before. Its figure is the median of fresh sessions in a process that has run a
  // few before, as any benchmark of a code path lets the JIT warm up first. The first session of
  // the process also pays for V8 compiling the HTTP, TLS and usage code, so it is printed apart,
  // beside the first reading of a bare undici client, which pays the same for undici alone.
  const reads = await coldUsage(200, latencyMs, 1 + warmUpSessions + measuredSessions);
  // After ProxDesk's sessions, so that starting its worker does not disturb their first reading.
  const bare = await bareClientFirstRead(200, latencyMs);
  const [first] = reads;
  if (first === undefined || bare === undefined) throw new Error('no cold read was measured');
  if (reads.some((read) => read.requests !== first.requests) || bare.requests !== first.requests) {
    throw new Error(
      `the cold reads sent different numbers of requests: ${reads.map((r) => r.requests).join(', ')}` +
        ` (bare client ${bare.requests})`,
    );
  }
  const measured = reads.slice(1 + warmUpSessions);
  const coldWallMs = median(measured.map((read) => read.wallMs));
  const reusedWallMs = median(measured.map((read) => read.reusedWallMs));
  // Pricing over 10,000 guests runs the usage code a great deal, so it comes after the cold reads.
  line('quota.price.warm.10000', await warmPricing(10_000), 'ms');
  line('quota.usage.cold.200.requests', first.requests, 'requests');
  const timed: Array<[string, number]> = [
    ['quota.usage.cold.200', coldWallMs],
    ['quota.usage.cold.200.reused-connections', reusedWallMs],
    ['quota.usage.cold.200.first-of-process', first.wallMs],
    ['quota.usage.cold.200.bare-client-first', bare.wallMs],
  ];
  for (const [name, wallMs] of timed) {
    line(`${name}.wall`, wallMs, 'ms');
    line(`${name}.round-trips`, wallMs / latencyMs, 'round-trips');
  }
  const [sequential] = await coldUsage(200, latencyMs, 1, 1);
  if (sequential === undefined) throw new Error('no sequential read was measured');
  line('quota.usage.cold.200.sequential.wall', sequential.wallMs, 'ms');

  for (const [channel, requests] of await operationRequests()) {
    line(`ops.requests.${channel}`, requests, 'requests');
  }
  line('bench.total.wall', performance.now() - started, 'ms');
}

await main();
