import { parseArgs } from 'node:util';
import {
  ScenarioError,
  bundledScenarioPath,
  loadScenario,
  startSim,
  type SimOptions,
} from './index.js';

// `npm run sim -- --port <p> [--scenario <file>] [--latency-ms <n>] [--task-duration-ms <n>]`
// Prints one JSON line ({url, fingerprint, users, caPem with --root-ca, nodes with --node-listeners})
// on stdout, then one line per request on stderr.

const usage =
  'usage: npm run sim -- --port <p> [--scenario <file>] [--latency-ms <n>] [--task-duration-ms <n>] ' +
  '[--login-failure-delay-ms <n>] [--no-schema] [--root-ca] [--node-listeners]';

function count(name: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new Error(`--${name} must be a whole number 0-${max}, got '${text}'`);
  return Number(text);
}

function readOptions(argv: string[]): SimOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      scenario: { type: 'string' },
      'latency-ms': { type: 'string' },
      'task-duration-ms': { type: 'string' },
      'login-failure-delay-ms': { type: 'string' },
      'no-schema': { type: 'boolean' },
      'root-ca': { type: 'boolean' },
      'node-listeners': { type: 'boolean' },
    },
    strict: true,
  });
  const options: SimOptions = { scenario: loadScenario(values.scenario ?? bundledScenarioPath) };
  const port = count('port', values.port, 65535);
  const latencyMs = count('latency-ms', values['latency-ms'], 600_000);
  const taskDurationMs = count('task-duration-ms', values['task-duration-ms'], 3_600_000);
  const loginFailureDelayMs = count(
    'login-failure-delay-ms',
    values['login-failure-delay-ms'],
    600_000,
  );
  if (port !== undefined) options.port = port;
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  if (taskDurationMs !== undefined) options.taskDurationMs = taskDurationMs;
  if (loginFailureDelayMs !== undefined) options.loginFailureDelayMs = loginFailureDelayMs;
  if (values['no-schema']) options.schemaPath = null;
  if (values['root-ca']) options.rootCa = true;
  if (values['node-listeners']) options.nodeListeners = true;
  return options;
}

async function main(): Promise<void> {
  let options: SimOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    const message =
      error instanceof ScenarioError || error instanceof Error ? error.message : 'bad arguments';
    process.stderr.write(`${message}\n${usage}\n`);
    process.exitCode = 2;
    return;
  }

  const sim = await startSim(options);
  sim.onRequest((request) => {
    process.stderr.write(`${request.method} ${request.path} -> ${request.status}\n`);
  });
  process.stdout.write(
    `${JSON.stringify({
      url: sim.url,
      fingerprint: sim.fingerprint,
      users: sim.users,
      ...(sim.caPem === null ? {} : { caPem: sim.caPem }),
      ...(sim.nodes.length > 1
        ? { nodes: sim.nodes.map(({ name, url, fingerprint }) => ({ name, url, fingerprint })) }
        : {}),
    })}\n`,
  );

  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
