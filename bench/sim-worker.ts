// Runs the simulated cluster in a worker thread, so that its own CPU time (TLS, routing, the
// schema check) is spent on another core, as a real PVE node's is, and does not slow the client
// being measured. The parent asks for the recorded request count over the message port.
import { parentPort, workerData } from 'node:worker_threads';
import { startSim } from '../test/pve-sim';
import { scenarioWithGuests } from './scenarios';

/** What the parent sends: a question about the requests so far, or the order to stop. */
export type SimWorkerRequest = { type: 'requests' } | { type: 'close' };

/** What the worker answers. */
export type SimWorkerReply =
  | { type: 'started'; url: string; fingerprint: string }
  | { type: 'requests'; count: number; schemaViolations: number }
  | { type: 'closed' };

const { guests, latencyMs } = workerData as { guests: number; latencyMs: number };
const port = parentPort;
if (port === null) throw new Error('sim-worker.ts must run as a worker thread');

const sim = await startSim({
  scenario: scenarioWithGuests(guests),
  latencyMs,
  loginFailureDelayMs: 0,
  taskDurationMs: 0,
});
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
