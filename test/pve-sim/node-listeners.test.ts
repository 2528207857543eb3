import { connect } from 'node:tls';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenarioPath, loadScenario, startSim, type Sim } from './index.js';
import { issueCertificate } from './certs.js';
import { call, insecureAgent, login, type Session } from './test-client.js';

/** The fingerprint a listener presents, or the connection error's code. */
function presented(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('one listener per node', () => {
  let sim: Sim;
  let agent: Agent;
  const at = (url: string): Sim => ({ ...sim, url });
  const signIn = (url: string, userid: string): Promise<Session> => login(at(url), agent, userid);
  const simGet = async (url: string, path: string, session: Session) => {
    const reply = await call(at(url), agent, 'GET', path, { session });
    return { status: reply.status, data: reply.json?.data };
  };

  beforeAll(async () => {
    sim = await startSim({
      scenario: loadScenario(bundledScenarioPath),
      nodeListeners: true,
      loginFailureDelayMs: 20,
    });
    agent = insecureAgent();
  });
  afterAll(async () => {
    await agent.close();
    await sim.close();
  });

  it('serves each node on its own loopback address and port with its own certificate', async () => {
    const [pve1, pve2] = sim.nodes;

    expect(sim.nodes.map((node) => node.name)).toEqual(['pve1', 'pve2']);
    expect(pve1?.url).toBe(sim.url);
    expect(new URL(pve2?.url ?? '').hostname).toBe('127.0.0.2');
    expect(new URL(pve2?.url ?? '').port).toBe(new URL(sim.url).port);
    expect(pve1?.fingerprint).not.toBe(pve2?.fingerprint);
    expect(await presented(pve2?.url ?? '')).toBe(pve2?.fingerprint);
  });

  it('shares one state: a ticket from one node works on the other', async () => {
    const session = await signIn(sim.nodes[0]?.url ?? '', 'labadmin@pve');
    const status = await simGet(sim.nodes[1]?.url ?? '', '/cluster/status', session);

    expect(status.status).toBe(200);
    expect(status.data).toEqual([
      { type: 'cluster', id: 'cluster', name: 'lab', nodes: 2, quorate: 1, version: 2 },
      expect.objectContaining({ name: 'pve1', ip: '127.0.0.1', online: 1, local: 0 }),
      expect.objectContaining({ name: 'pve2', ip: '127.0.0.2', online: 1, local: 1 }),
    ]);
    expect(sim.nodes[1]?.received).toEqual([{ method: 'GET', path: '/cluster/status' }]);
    expect(sim.schemaViolations).toEqual([]);
  });

  it('refuses connections while a node is stopped, lists it offline, and serves it again', async () => {
    const [pve1, pve2] = sim.nodes;
    await pve2?.stop();

    const refused = await presented(pve2?.url ?? '').catch(
      (error: { code?: string }) => error.code,
    );
    const session = await signIn(pve1?.url ?? '', 'labadmin@pve');
    const status = await simGet(pve1?.url ?? '', '/cluster/status', session);
    await pve2?.start();

    expect(refused).toBe('ECONNREFUSED');
    expect(status.data).toContainEqual(expect.objectContaining({ name: 'pve2', online: 0 }));
    expect(await presented(pve2?.url ?? '')).toBe(pve2?.fingerprint);
  });

  it('serves a replaced certificate on new connections', async () => {
    const ca = issueCertificate({ subject: { commonName: 'Test CA' }, isCa: true });
    const before = sim.nodes[1]?.fingerprint;

    const after = sim.nodes[1]?.replaceCertificate(ca);

    expect(after).not.toBe(before);
    expect(await presented(sim.nodes[1]?.url ?? '')).toBe(after);
  });

  it('refuses /cluster/status without Sys.Audit on /', async () => {
    const session = await signIn(sim.url, 'alice@pve');

    const status = await simGet(sim.url, '/cluster/status', session);

    expect(status.status).toBe(403);
  });
});
