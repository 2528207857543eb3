// The reads of one usage computation (the user's groups, the guest list, every config of the
// user's pool) made with nothing but undici and JSON.parse, in a worker thread and so in a V8
// isolate of its own. Its first reading is what a client built on undici takes on this machine
// while its code is not compiled yet: ProxDesk's own first reading can be faster only by doing
// less, so the difference between the two is what ProxDesk's code costs on a first reading.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import { nodeConnections } from '../src/main/pve/tls';

/** What the parent starts the worker with. */
export interface BareClientData {
  module: string;
  url: string;
  userid: string;
  password: string;
  pool: string;
}

/** What the worker answers once, after its reading. */
export interface BareClientReply {
  type: 'read';
  wallMs: number;
  /** Requests sent by the timed reading. */
  requests: number;
}

const { url, userid, password, pool } = workerData as BareClientData;
const port = parentPort;
if (port === null) throw new Error('bare-client.ts must run as a worker thread');

// The simulator's certificate is self-signed; this agent never leaves the bench. undici's own TLS
// session cache is on, so connections after the first resume, as ProxDesk's checked ones do.
const agent = new Agent({ connections: nodeConnections, connect: { rejectUnauthorized: false } });
let requests = 0;

async function get(path: string, cookie: string): Promise<unknown> {
  requests += 1;
  const response = await request(`${url}/api2/json${path}`, {
    dispatcher: agent,
    headers: { cookie },
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode}`);
  return (JSON.parse(text) as { data: unknown }).data;
}

async function signIn(): Promise<string> {
  const [username, realm] = userid.split('@');
  const response = await request(`${url}/api2/json/access/ticket`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      username: username ?? '',
      realm: realm ?? '',
      password,
    }).toString(),
  });
  const answer = JSON.parse(await response.body.text()) as { data?: { ticket?: string } };
  if (response.statusCode !== 200 || !answer.data?.ticket) throw new Error('sign-in failed');
  return `PVEAuthCookie=${encodeURIComponent(answer.data.ticket)}`;
}

const cookie = await signIn();
const start = performance.now();
const [, rows] = await Promise.all([
  get('/access/users?full=1', cookie),
  get('/cluster/resources?type=vm', cookie) as Promise<
    Array<{ node: string; type: string; vmid: number; pool?: string }>
  >,
]);
const limit = pLimit(nodeConnections);
await Promise.all(
  rows
    .filter((row) => row.pool === pool)
    .map((row) => limit(() => get(`/nodes/${row.node}/${row.type}/${row.vmid}/config`, cookie))),
);
const wallMs = performance.now() - start;
await agent.close();
port.postMessage({ type: 'read', wallMs, requests } satisfies BareClientReply);
