import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { auditToken, commitToken, dave, elevatedLabScenario } from '../fixtures/elevated-lab.js';
import type { Sim } from './index.js';
import { call, insecureAgent, login, startLab, type Session } from './test-client.js';

type PermissionMap = Record<string, Record<string, number>>;

// The elevated lab: dave holds PVEAuditor on his pool, `proxdesk@pve!commit` holds its owner's
// PVEVMAdmin on /vms and PVEDatastoreUser on /storage, `proxdesk@pve!audit` only PVEAuditor on `/`.

describe('GET /access/permissions', () => {
  let sim: Sim;
  let agent: Agent;
  let daveSession: Session;

  beforeAll(async () => {
    sim = await startLab({ scenario: elevatedLabScenario() });
    agent = insecureAgent();
    daveSession = await login(sim, agent, dave.userid);
  });
  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it("answers a token's effective privileges on one path, inherited ones included", async () => {
    const token = { tokenid: commitToken.tokenId, secret: commitToken.secret };
    const vms = await call(sim, agent, 'GET', '/access/permissions', {
      token,
      query: { path: '/vms/120' },
    });
    const storage = await call(sim, agent, 'GET', '/access/permissions', {
      token,
      query: { path: '/storage/local-lvm' },
    });

    expect(vms.status).toBe(200);
    const vmPrivileges = Object.keys((vms.json?.data as PermissionMap)['/vms/120'] ?? {});
    expect(vmPrivileges).toContain('VM.Config.Disk');
    expect(vmPrivileges).toContain('VM.PowerMgmt');
    expect((storage.json?.data as PermissionMap)['/storage/local-lvm']).toEqual({
      'Datastore.AllocateSpace': 1,
      'Datastore.Audit': 1,
    });
    expect(sim.requests.at(-1)?.userid).toBe(commitToken.tokenId);
  });

  it('answers an empty map for a path where nothing is held', async () => {
    const token = { tokenid: auditToken.tokenId, secret: auditToken.secret };
    const reply = await call(sim, agent, 'GET', '/access/permissions', {
      session: daveSession,
      query: { path: '/vms/100' },
    });
    const audit = await call(sim, agent, 'GET', '/access/permissions', {
      token,
      query: { path: '/vms' },
    });

    expect(reply.json?.data).toEqual({});
    expect((audit.json?.data as PermissionMap)['/vms']).toEqual({
      'VM.Audit': 1,
      'VM.GuestAgent.Audit': 1,
    });
  });

  it("lists the caller's paths without `path`, and refuses another user's without Sys.Audit", async () => {
    const own = await call(sim, agent, 'GET', '/access/permissions', { session: daveSession });
    const other = await call(sim, agent, 'GET', '/access/permissions', {
      session: daveSession,
      query: { userid: 'alice@pve' },
    });

    expect(Object.keys(own.json?.data as PermissionMap)).toEqual([
      '/pool/dave',
      '/pool/shared',
      '/storage/local-lvm',
    ]);
    expect(other.status).toBe(403);
    expect(other.json?.message).toBe('Permission check failed (/access, Sys.Audit)\n');
  });

  it("refuses a read-only user's write with PVE's 403 and lets the token make it", async () => {
    const denied = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/120/config', {
      session: daveSession,
      form: { cores: '3' },
    });
    const allowed = await call(sim, agent, 'PUT', '/nodes/pve1/qemu/120/config', {
      token: { tokenid: commitToken.tokenId, secret: commitToken.secret },
      form: { cores: '3' },
    });

    expect(denied.status).toBe(403);
    // PVE first checks that the caller holds any of the config privileges at all.
    expect(denied.json?.message).toMatch(
      /^Permission check failed \(\/vms\/120, VM\.Config\.Disk\|/,
    );
    expect(allowed.status).toBe(200);
    expect(sim.state.instances.get(120)?.config.cores).toBe(3);
    expect(sim.schemaViolations).toEqual([]);
  });
});
