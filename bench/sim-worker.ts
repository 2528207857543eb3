// Runs the simulated cluster in a worker thread, so that its own CPU time (TLS, routing, the
// schema check) is spent on another core, as a real PVE node's is, and does not slow the client
// being measured. The parent asks for the recorded request count over the message port.
import { parentPort, workerData } from 'node:worker_threads';
import { nodeConnections } from '../src/main/pve/tls';
import { startSim, type Sim } from '../test/pve-sim';
import { call, insecureAgent, login } from '../test/pve-sim/test-client';
import { benchUser, scenarioWithGuests } from './scenarios';

/** What the parent sends: a question about the requests so far, or the order to stop. */
export type SimWorkerRequest = { type: 'requests' } | { type: 'close' };

/** What the worker answers. */
export type SimWorkerReply =
  | { type: 'started'; url: string; fingerprint: string }
  | { type: 'requests'; count: number; schemaViolations: number }
  | { type: 'closed' };

/** What the parent starts the worker with. */
export interface SimWorkerData {
  /** This module, for worker-entry.mjs to load. */
  module: './sim-worker.ts';
  guests: number;
  latencyMs: number;
  /** Times the bench user's guest list and every config are read before the worker reports. */
  warmUpReads: number;
}

/**
 * Serves the reads a usage computation makes, from a client inside this worker. A PVE node has
 * been answering for days when a user signs in; a simulator started a moment ago still runs its
 * request path in V8's interpreter, and that would be charged to the client. The client here runs
 * in the worker's own V8 isolate, so nothing of the ProxDesk process being measured is warmed.
 */
async function warmUp(sim: Sim, reads: number): Promise<void> {
  // As many sockets as ProxDesk opens to a node, so the simulator warms the same way.
  const agent = insecureAgent({ connections: nodeConnections });
  try {
    const session = await login(sim, agent, benchUser.userid, benchUser.password);
    for (let read = 0; read < reads; read += 1) {
      const list = await call(sim, agent, 'GET', '/cluster/resources', {
        session,
        query: { type: 'vm' },
      });
      const rows = (list.json?.data ?? []) as Array<{ node: string; type: string; vmid: number }>;
      const answers = await Promise.all(
        rows.map((row) =>
          call(sim, agent, 'GET', `/nodes/${row.node}/${row.type}/${row.vmid}/config`, {
            session,
          }),
        ),
      );
      const failed = answers.find((answer) => answer.status !== 200);
      if (failed) throw new Error(`warm-up read failed: ${failed.status} ${failed.reason}`);
    }
  } finally {
    await agent.close();
  }
}

const { guests, latencyMs, warmUpReads } = workerData as SimWorkerData;
const port = parentPort;
if (port === null) throw new Error('sim-worker.ts must run as a worker thread');

const sim = await startSim({
  scenario: scenarioWithGuests(guests),
  latencyMs,
  loginFailureDelayMs: 0,
  taskDurationMs: 0,
});
await warmUp(sim, warmUpReads);
const reply = (message: SimWorkerReply): void => port.postMessage(message);
port.on('message', (message: SimWorkerRequest) => {
  switch (message.type) {
    case 'requests':
      reply({
        type: 'requests',
        count: sim.requests.length,
        schemaViolations: sim.schemaViolations.length,
      });
      return;
    case 'close':
      void sim.close().then(() => {
        reply({ type: 'closed' });
        port.close();
      });
      return;
  }
});
reply({ type: 'started', url: sim.url, fingerprint: sim.fingerprint });
