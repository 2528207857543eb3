import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueCertificate, type CertificateIssuer } from './certs.js';
import type { SimFaults } from './faults.js';
import { allRoutes } from './handlers/index.js';
import { handleApiRequest, type ApiRequest, type ApiResponse } from './pipeline.js';
import type { SimRuntime } from './runtime.js';
import { parseScenario, type Scenario } from './scenario.js';
import { loadApiSchema } from './schema-index.js';
import { startNodeListener, type RunningNode, type SimNode } from './node-listeners.js';
import { createState, type SimState } from './state.js';
import { createTaskRunner } from './tasks.js';
import { createTicketAuthority } from './tickets.js';

// The composition root: builds the state, certificate, tickets, tasks and schema, and serves
// them over HTTPS.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of the bundled lab scenario. */
export const bundledScenarioPath = resolve(repoRoot, 'resources/demo/lab-scenario.json');

/** Where the official schema is found when the options do not say. */
export const defaultSchemaPath = resolve(repoRoot, '../shared/pve-api/apidata.json');

/** How to start a simulator. */
export interface SimOptions {
  scenario: Scenario;
  port?: number;
  latencyMs?: number;
  taskDurationMs?: number;
  loginFailureDelayMs?: number;
  schemaPath?: string | null;
  now?: () => number;
  /** Sign the node certificate with a cluster root CA (as PVE's pve-root-ca) instead of itself. */
  rootCa?: boolean;
  /** The cluster CA to sign with, so a restarted simulator presents a renewed certificate. */
  caIssuer?: CertificateIssuer;
  /**
   * One listener per scenario node, node i on 127.0.0.(i+1), all on the same port and sharing one
   * state, each with its own certificate. Off by default: one listener on 127.0.0.1 serves all.
   */
  nodeListeners?: boolean;
}

/** One request the simulator answered. Passwords in `params` are replaced by `[redacted]`. */
export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, unknown>;
  status: number;
  userid: string | null;
}

/** A request parameter the official schema refused. */
export interface SchemaViolation {
  method: string;
  path: string;
  param: string;
  message: string;
}

/** A scenario user's credentials, as tests and the CLI's first line give them. */
export interface SimUser {
  userid: string;
  password: string;
  totpSecret?: string;
}

/** A running simulator. */
export interface Sim {
  /** The first node's address. */
  url: string;
  /** The first node's certificate fingerprint at start; `nodes[i].fingerprint` stays current. */
  fingerprint: string;
  /** The listeners: one per node with `nodeListeners`, else one that stands for every node. */
  nodes: SimNode[];
  /** The cluster root CA that signed the node certificate (PEM); null when self-signed. */
  caPem: string | null;
  /** Every scenario user; `totpSecret` (base32) only for users with a TOTP second factor. */
  users: SimUser[];
  requests: RecordedRequest[];
  schemaViolations: SchemaViolation[];
  state: SimState;
  /** Switch faults on and off at any time; see README.md. */
  faults: SimFaults;
  /** Calls `listener` after each answered request; returns a function that stops it. */
  onRequest(listener: (request: RecordedRequest) => void): () => void;
  close(): Promise<void>;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isFinite(result) || result < 0)
    throw new RangeError(`${name} must be a number >= 0, got ${result}`);
  return result;
}

function redact(params: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...params };
  for (const secret of ['password', 'tfa-challenge'])
    if (secret in copy) copy[secret] = '[redacted]';
  return copy;
}

/** Starts a simulated PVE cluster on 127.0.0.1 seeded from the scenario. */
export async function startSim(options: SimOptions): Promise<Sim> {
  const scenario = parseScenario(options.scenario, 'options.scenario');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`port must be 0-65535, got ${port}`);
  const latencyMs = nonNegative('latencyMs', options.latencyMs, 0);
  const durationMs = nonNegative('taskDurationMs', options.taskDurationMs, 1500);
  const loginFailureDelayMs = nonNegative('loginFailureDelayMs', options.loginFailureDelayMs, 3000);
  const schemaPath =
    options.schemaPath === undefined
      ? existsSync(defaultSchemaPath)
        ? defaultSchemaPath
        : null
      : options.schemaPath;
  const nowMs = options.now ?? Date.now;

  const state = createState(scenario, nowMs());
  const faults: SimFaults = {};
  const caIssuer =
    options.caIssuer ??
    (options.rootCa
      ? issueCertificate({
          subject: {
            commonName: 'Simulated PVE Cluster Manager CA',
            organization: 'PVE simulated cluster',
          },
          isCa: true,
          validDays: 3650,
        })
      : undefined);
  const nodeNames = options.nodeListeners
    ? scenario.nodes.map((node) => node.name)
    : [scenario.nodes[0]?.name ?? 'pve'];
  const listeners = new Map<string, RunningNode>();
  const tasks = createTaskRunner({ state, faults, durationMs, nowMs });
  const runtime: SimRuntime = {
    state,
    tickets: createTicketAuthority(nowMs),
    tasks,
    faults,
    schema: schemaPath === null ? null : loadApiSchema(schemaPath),
    nowMs,
    get fingerprint() {
      return [...listeners.values()][0]?.fingerprint ?? '';
    },
    nodeNetwork: (name) => {
      // One listener standing for every node: each node is reached at its address.
      const listener = listeners.get(name) ?? (options.nodeListeners ? undefined : first());
      return listener
        ? { ip: listener.ip, up: listener.up, fingerprint: listener.fingerprint }
        : null;
    },
    loginFailureDelayMs,
  };
  const first = (): RunningNode | undefined => [...listeners.values()][0];

  const requests: RecordedRequest[] = [];
  const schemaViolations: SchemaViolation[] = [];
  const subscribers = new Set<(request: RecordedRequest) => void>();
  const record = (request: ApiRequest, response: ApiResponse): void => {
    const method = request.method.toUpperCase();
    const recorded: RecordedRequest = {
      method,
      path: response.path,
      params: redact(request.params),
      status: response.status,
      userid: response.userid,
    };
    requests.push(recorded);
    for (const v of response.violations) {
      schemaViolations.push({ method, path: response.path, param: v.param, message: v.message });
    }
    for (const listener of subscribers) listener(recorded);
  };
  let sharedPort = port;
  for (const [index, name] of nodeNames.entries()) {
    const listener = await startNodeListener({
      name,
      ip: `127.0.0.${index + 1}`,
      port: sharedPort,
      issuer: caIssuer,
      faults,
      latencyMs,
      serve: (request) => handleApiRequest(runtime, allRoutes, request),
      onServed: record,
    });
    sharedPort = Number(new URL(listener.url).port);
    listeners.set(name, listener);
  }
  const nodes = [...listeners.values()];

  return {
    url: nodes[0]?.url ?? '',
    fingerprint: nodes[0]?.fingerprint ?? '',
    nodes,
    caPem: caIssuer?.certPem ?? null,
    users: scenario.users.map((user) => ({
      userid: user.userid,
      password: user.password,
      ...(user.totp ? { totpSecret: user.totp.secret } : {}),
    })),
    requests,
    schemaViolations,
    state,
    faults,
    onRequest(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
    async close() {
      tasks.close();
      subscribers.clear();
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
}
