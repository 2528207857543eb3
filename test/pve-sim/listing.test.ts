import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { bundledScenarioPath, configDigest, loadScenario, type Sim } from './index.js';
import { call, insecureAgent, login, startLab, type Session } from './test-client.js';

type Row = Record<string, unknown>;

describe('lists, configs and the wire format', () => {
  let sim: Sim;
  let agent: Agent;
  let alice: Session;

  beforeAll(async () => {
    sim = await startLab();
    agent = insecureAgent();
    alice = await login(sim, agent, 'alice@pve');
  });

  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it('returns the container vmid as a string and the VM vmid as a number', async () => {
    const lxc = await call(sim, agent, 'GET', '/nodes/pve1/lxc', { session: alice });
    const qemu = await call(sim, agent, 'GET', '/nodes/pve1/qemu', { session: alice });

    expect((lxc.json?.data as Row[]).map((row) => row.vmid)).toEqual(['200']);
    expect((qemu.json?.data as Row[]).map((row) => row.vmid)).toEqual([100, 300]);
    expect((lxc.json?.data as Row[])[0]).toMatchObject({
      name: 'alice-ct',
      status: 'running',
      cpus: 1,
      maxswap: 512 * 1024 ** 2,
    });
  });

  it('returns a config exactly as stored, plus the SHA-1 digest of its content', async () => {
    const scenario = loadScenario(bundledScenarioPath);
    const stored = scenario.instances.find((guest) => guest.vmid === 101)?.config ?? {};

    const reply = await call(sim, agent, 'GET', '/nodes/pve2/qemu/101/config', { session: alice });
    const { digest, ...config } = reply.json?.data as Row;

    expect(config).toEqual(stored);
    expect(config.unused0).toBe('local-lvm:vm-101-disk-2');
    expect(config.memory).toBe('8192');
    expect(digest).toMatch(/^[0-9a-f]{40}$/);
    expect(digest).toBe(configDigest(stored));
  });

  it('lists every node with the certificate fingerprint', async () => {
    const reply = await call(sim, agent, 'GET', '/nodes', { session: alice });

    expect(
      (reply.json?.data as Row[]).map((row) => [row.node, row.status, row.ssl_fingerprint]),
    ).toEqual([
      ['pve1', 'online', sim.fingerprint],
      ['pve2', 'online', sim.fingerprint],
    ]);
  });

  it('answers 501 for an endpoint it does not simulate', async () => {
    const unknown = await call(sim, agent, 'GET', '/nodes/pve1/qemu/100/rrddata', {
      session: alice,
    });
    const wrongMethod = await call(sim, agent, 'DELETE', '/version', { session: alice });

    expect(unknown.status).toBe(501);
    expect(unknown.reason).toBe("Method 'GET /nodes/pve1/qemu/100/rrddata' not implemented");
    expect(unknown.json).toEqual({
      data: null,
      message: "Method 'GET /nodes/pve1/qemu/100/rrddata' not implemented\n",
    });
    expect(wrongMethod.status).toBe(501);
  });

  it('refuses an unknown node with a lookup error and an offline one with 595', async () => {
    const node = sim.state.nodes.get('pve2');
    if (node) node.status = 'offline';

    const unknown = await call(sim, agent, 'GET', '/nodes/pve9/qemu', { session: alice });
    const offline = await call(sim, agent, 'GET', '/nodes/pve2/qemu', { session: alice });
    const rows = (
      await call(sim, agent, 'GET', '/cluster/resources', { session: alice, query: { type: 'vm' } })
    ).json?.data as Row[];
    if (node) node.status = 'online';

    expect(unknown.status).toBe(500);
    expect(unknown.json?.message).toMatch(/^hostname lookup 'pve9' failed/);
    expect(offline.status).toBe(595);
    expect(offline.reason).toBe('No route to host');
    expect(rows.find((row) => row.vmid === 101)?.status).toBe('unknown');
  });

  it('decodes percent-encoded path segments and refuses malformed ones', async () => {
    const encoded = await call(sim, agent, 'GET', '/nodes/pve1/storage/local%2Dlvm/content', {
      session: alice,
    });
    const malformed = await call(sim, agent, 'GET', '/nodes/pve1/storage/local%zz/content', {
      session: alice,
    });

    expect(encoded.status).toBe(200);
    expect(malformed.status).toBe(400);
  });

  it('records every request in order, with query and body merged and the path decoded', async () => {
    const before = sim.requests.length;

    await call(sim, agent, 'GET', '/cluster/resources', {
      session: alice,
      query: { type: 'storage' },
    });
    await call(sim, agent, 'PUT', '/nodes/pve1/qemu/100/resize', {
      session: alice,
      query: { digest: 'x' },
      form: { disk: 'scsi0', size: '+1G' },
    });

    expect(sim.requests.slice(before)).toEqual([
      {
        method: 'GET',
        path: '/cluster/resources',
        params: { type: 'storage' },
        status: 200,
        userid: 'alice@pve',
      },
      {
        method: 'PUT',
        path: '/nodes/pve1/qemu/100/resize',
        params: { digest: 'x', disk: 'scsi0', size: '+1G' },
        status: 500,
        userid: 'alice@pve',
      },
    ]);
  });
});
