import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { bundledScenarioPath, loadScenario, startSim, type Sim, type SimOptions } from './index.js';

// Test-only helpers: an HTTPS client that accepts the simulator's self-signed certificate, login,
// and task waiting. Never use this agent outside tests.

/** A signed-in session. */
export interface Session {
  ticket: string;
  csrfToken: string;
}

/** What the simulator answered. */
export interface Reply {
  status: number;
  reason: string;
  contentType: string | undefined;
  text: string;
  /** The parsed JSON body, or undefined when the body was empty. */
  json:
    | { data?: unknown; message?: string; errors?: Record<string, string>; total?: number }
    | undefined;
}

/** Options of one call. */
export interface CallOptions {
  session?: Session;
  /** Send the CSRF header with a session (default true). */
  csrf?: boolean;
  form?: Record<string, string>;
  json?: Record<string, unknown>;
  query?: Record<string, string>;
  /** An API token sent as `Authorization: PVEAPIToken=<tokenid>=<secret>`. */
  token?: { tokenid: string; secret: string };
}

/** Creates an undici agent that accepts self-signed certificates (tests only). */
export function insecureAgent(options: Agent.Options = {}): Agent {
  return new Agent({ ...options, connect: { rejectUnauthorized: false } });
}

/** Starts a simulator on the bundled lab with short delays, for tests. */
export async function startLab(options: Partial<SimOptions> = {}): Promise<Sim> {
  return startSim({
    scenario: loadScenario(bundledScenarioPath),
    loginFailureDelayMs: 20,
    taskDurationMs: 60,
    ...options,
  });
}

/** Calls `/api2/json<path>` on the simulator. */
export async function call(
  sim: Sim,
  agent: Agent,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.session) {
    headers.cookie = `PVEAuthCookie=${encodeURIComponent(options.session.ticket)}`;
    if (options.csrf !== false) headers.CSRFPreventionToken = options.session.csrfToken;
  }
  if (options.token) {
    headers.authorization = `PVEAPIToken=${options.token.tokenid}=${options.token.secret}`;
  }
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  const response = await request(`${sim.url}/api2/json${path}${query}`, {
    method,
    headers,
    body,
    dispatcher: agent,
  });
  const text = await response.body.text();
  const contentType = response.headers['content-type'];
  return {
    status: response.statusCode,
    reason: response.statusText,
    contentType: Array.isArray(contentType) ? contentType[0] : contentType,
    text,
    json: text === '' ? undefined : (JSON.parse(text) as Reply['json']),
  };
}

/** Signs in and returns the session; throws when the login is refused. */
export async function login(
  sim: Sim,
  agent: Agent,
  userid: string,
  password?: string,
): Promise<Session> {
  const secret = password ?? sim.users.find((user) => user.userid === userid)?.password ?? '';
  const reply = await call(sim, agent, 'POST', '/access/ticket', {
    form: { username: userid, password: secret },
  });
  const data = reply.json?.data as { ticket?: string; CSRFPreventionToken?: string } | undefined;
  if (reply.status !== 200 || !data?.ticket || !data.CSRFPreventionToken) {
    throw new Error(`login of ${userid} failed: ${reply.status} ${reply.reason}`);
  }
  return { ticket: data.ticket, csrfToken: data.CSRFPreventionToken };
}

/** Polls a task until it stops (or the deadline passes) and returns its final status. */
export async function waitForTask(
  sim: Sim,
  agent: Agent,
  session: Session,
  upid: string,
  deadlineMs = 5000,
): Promise<Record<string, unknown>> {
  const node = upid.split(':')[1] ?? '';
  const started = Date.now();
  for (;;) {
    const reply = await call(
      sim,
      agent,
      'GET',
      `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`,
      {
        session,
      },
    );
    const status = reply.json?.data as Record<string, unknown> | undefined;
    if (status?.status === 'stopped') return status;
    if (Date.now() - started > deadlineMs) throw new Error(`task ${upid} still running`);
    await sleep(20);
  }
}
