import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { JsonFileStore, MemoryStore } from '../../src/main/store/key-value-store';
import { SafeStorageSecretStore } from '../../src/main/store/safe-storage-secrets';
import { MemorySecretStore, type SecretStore } from '../../src/main/store/secrets';
import type { SessionStatus } from '../../src/shared/contract';
import { totpCode, type RecordedRequest } from '../pve-sim';
import { demoPolicyPath, startLab, type Lab } from './lab';
import { memoryKeychain } from './memory-keychain';

const minute = 60_000;
const keptName = 'session-ticket';
const alice = { realm: 'pve', username: 'alice', password: 'alice-lab-pass' };
const carol = { realm: 'pve', username: 'carol', password: 'carol-lab-pass' };

function ticketPosts(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method === 'POST' && r.path === '/access/ticket');
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function settingsOf(dataDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function keptTicket(secrets: SecretStore): Record<string, unknown> | null {
  const raw = secrets.get(keptName);
  return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
}

describe('stay signed in', () => {
  let lab: Lab;
  let restarted: Core | null = null;
  let secrets: SecretStore;
  // One clock for the simulated cluster and one for the core, moved together or apart.
  let simNow = Date.now();
  let coreNow = simNow;

  async function start(store: SecretStore = new MemorySecretStore()): Promise<void> {
    simNow = Date.now();
    coreNow = simNow;
    secrets = store;
    lab = await startLab(
      { now: () => simNow, loginFailureDelayMs: 20 },
      { now: () => coreNow, secrets },
    );
    await lab.trust();
  }

  /** Closes the core in use and starts a new one on the same data folder and secret store. */
  async function restart(): Promise<Core> {
    await (restarted ?? lab.core).close();
    restarted = createCore({
      dataDir: lab.dataDir,
      policyFile: demoPolicyPath,
      secrets,
      now: () => coreNow,
    });
    return restarted;
  }

  async function statusOf(core: Core): Promise<SessionStatus> {
    const result = await core.invoke('session:status');
    if (!result.ok) throw new Error(`session:status failed: ${result.error.code}`);
    return result.data;
  }

  afterEach(async () => {
    // A restart already closed the lab's own core; each core is closed once.
    await (restarted ?? lab.core).close();
    restarted = null;
    await lab.sim.close();
    rmSync(lab.dataDir, { recursive: true, force: true });
  });

  it('stays signed in across a restart by renewing the kept ticket, never sending a password', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const first = keptTicket(secrets);
    // The core of the next start cannot know the password; the cluster now refuses it too.
    const user = lab.sim.state.users.get('alice@pve');
    if (user) user.password = 'changed-after-sign-in';
    const before = lab.sim.requests.length;

    simNow += 30 * minute;
    coreNow += 30 * minute;
    const core = await restart();
    const status = await statusOf(core);

    expect(status).toEqual({
      signedIn: true,
      clusterUrl: lab.sim.url,
      userid: 'alice@pve',
      via: 'ticket',
      expiresAt: new Date(coreNow + 120 * minute).toISOString(),
      staySignedIn: true,
    });
    const posts = ticketPosts(lab.sim.requests.slice(before));
    expect(posts.map((r) => [r.status, r.userid, Object.keys(r.params).sort()])).toEqual([
      [200, 'alice@pve', ['password', 'username']],
    ]);
    const renewed = keptTicket(secrets);
    expect(renewed).toMatchObject({ userid: 'alice@pve', issuedAt: coreNow });
    expect(renewed?.ticket).not.toBe(first?.ticket);
    const instances = await core.invoke('instance:list');
    expect(instances.ok && instances.data.map((i) => i.vmid).sort()).toEqual([100, 101, 200]);
    expect(lab.sim.schemaViolations).toEqual([]);
  });

  it('keeps nothing when the box is not ticked, and a restart shows signed out', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice });
    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();
    const before = lab.sim.requests.length;

    const core = await restart();

    expect(await statusOf(core)).toEqual({ signedIn: false });
    expect(lab.sim.requests.length).toBe(before);
  });

  it('replaces a kept sign-in with nothing when the next sign-in does not tick the box', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });

    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: false });

    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();
  });

  it('lists who is kept signed in in the settings, and deletes the kept ticket on sign-out', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toEqual({
      userid: 'alice@pve',
      clusterUrl: lab.sim.url,
    });

    await lab.call('session:logout');
    const before = lab.sim.requests.length;
    const core = await restart();

    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();
    expect(await statusOf(core)).toEqual({ signedIn: false });
    expect(lab.sim.requests.length).toBe(before);
  });

  it('renews the kept ticket with each renewal of the session', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const first = keptTicket(secrets);

    simNow += 100 * minute;
    coreNow += 100 * minute;
    await lab.call('instance:list');

    expect(ticketPosts(lab.sim.requests)).toHaveLength(2);
    const renewed = keptTicket(secrets);
    expect(renewed).toMatchObject({ userid: 'alice@pve', issuedAt: coreNow });
    expect(renewed?.ticket).not.toBe(first?.ticket);
  });

  it('deletes a kept ticket too old to renew and sends nothing', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const before = lab.sim.requests.length;

    // Within PVE's two hours, but inside the margin the renewal needs.
    simNow += 115 * minute;
    coreNow += 115 * minute;
    const core = await restart();

    expect(await statusOf(core)).toEqual({
      signedIn: false,
      restoreFailed: { userid: 'alice@pve', clusterUrl: lab.sim.url, reason: 'it had expired.' },
    });
    expect(lab.sim.requests.length).toBe(before);
    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();
  });

  it('deletes a kept ticket whose issue time lies in the future and sends nothing', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const forged = { ...keptTicket(secrets), issuedAt: coreNow + 60 * minute };
    secrets.set(keptName, JSON.stringify(forged));
    const before = lab.sim.requests.length;

    const core = await restart();
    const status = await statusOf(core);

    expect(status.signedIn).toBe(false);
    expect(!status.signedIn && status.restoreFailed?.reason).toBe(
      "it was issued after this computer's current time.",
    );
    expect(lab.sim.requests.length).toBe(before);
    expect(keptTicket(secrets)).toBeNull();
  });

  it('deletes a kept ticket that PVE refuses at restore, and shows signed out with why', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const before = lab.sim.requests.length;

    // Only the cluster's clock moves: the core thinks the ticket is young, PVE knows better.
    simNow += 121 * minute;
    const core = await restart();

    expect(await statusOf(core)).toEqual({
      signedIn: false,
      restoreFailed: {
        userid: 'alice@pve',
        clusterUrl: lab.sim.url,
        reason: 'PVE no longer accepts it.',
      },
    });
    expect(ticketPosts(lab.sim.requests.slice(before)).map((r) => r.status)).toEqual([401]);
    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();
  });

  it('keeps the kept ticket when the cluster refuses connections at start, and a retry uses it', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const kept = keptTicket(secrets);
    const [node] = lab.sim.nodes;
    if (!node) throw new Error('the simulator has no node listener');
    await node.stop();

    const core = await restart();
    const unreachable = await statusOf(core);
    await node.start();
    const before = lab.sim.requests.length;
    simNow += 5 * minute;
    coreNow += 5 * minute;
    const retried = await core.invoke('session:restore');

    expect(unreachable).toEqual({
      signedIn: false,
      restoreFailed: {
        userid: 'alice@pve',
        clusterUrl: lab.sim.url,
        reason: 'the cluster could not be reached.',
        stillKept: true,
      },
    });
    expect(retried.ok && retried.data).toMatchObject({
      signedIn: true,
      userid: 'alice@pve',
      staySignedIn: true,
    });
    const posts = ticketPosts(lab.sim.requests.slice(before));
    expect(posts.map((r) => [r.status, r.userid])).toEqual([[200, 'alice@pve']]);
    expect(keptTicket(secrets)).toMatchObject({ userid: 'alice@pve', issuedAt: coreNow });
    expect(keptTicket(secrets)?.ticket).not.toBe(kept?.ticket);
    expect(await statusOf(core)).toMatchObject({ signedIn: true, staySignedIn: true });
  });

  it('keeps the kept ticket when the cluster does not answer at start, for the next start', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const kept = keptTicket(secrets);

    lab.sim.faults.down = true;
    const first = await restart();
    const unreachable = await statusOf(first);
    lab.sim.faults.down = false;
    simNow += 5 * minute;
    coreNow += 5 * minute;
    const second = await restart();

    expect(!unreachable.signedIn && unreachable.restoreFailed).toEqual({
      userid: 'alice@pve',
      clusterUrl: lab.sim.url,
      reason: 'the cluster could not be reached.',
      stillKept: true,
    });
    expect(await statusOf(second)).toMatchObject({ signedIn: true, userid: 'alice@pve' });
    expect(keptTicket(secrets)).toMatchObject({ userid: 'alice@pve', issuedAt: coreNow });
    expect(keptTicket(secrets)?.ticket).not.toBe(kept?.ticket);
  });

  it('still ages out a ticket kept over an unreachable start, sending nothing', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    lab.sim.faults.down = true;
    const first = await restart();
    await statusOf(first);
    lab.sim.faults.down = false;
    const before = lab.sim.requests.length;

    simNow += 111 * minute;
    coreNow += 111 * minute;
    const second = await restart();

    expect(await statusOf(second)).toEqual({
      signedIn: false,
      restoreFailed: { userid: 'alice@pve', clusterUrl: lab.sim.url, reason: 'it had expired.' },
    });
    expect(lab.sim.requests.length).toBe(before);
    expect(keptTicket(secrets)).toBeNull();
  });

  it('deletes the kept ticket when another certificate answers at start, offering it nothing', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });
    const [node] = lab.sim.nodes;
    if (!node) throw new Error('the simulator has no node listener');
    node.replaceCertificate();
    const received = node.received.length;
    const before = lab.sim.requests.length;

    const core = await restart();
    const status = await statusOf(core);
    const retried = await core.invoke('session:restore');

    expect(status).toEqual({
      signedIn: false,
      restoreFailed: {
        userid: 'alice@pve',
        clusterUrl: lab.sim.url,
        reason: "the cluster's certificate is no longer the one you trusted.",
      },
    });
    expect(retried.ok && retried.data).toEqual(status);
    expect(node.received).toHaveLength(received);
    expect(lab.sim.requests).toHaveLength(before);
    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();
  });

  it('answers a retry with nothing kept as signed out, sending nothing', async () => {
    await start();
    const before = lab.sim.requests.length;

    const retried = await lab.call('session:restore');

    expect(retried).toEqual({ signedIn: false });
    expect(lab.sim.requests).toHaveLength(before);
  });

  it('deletes the kept ticket when the session expires', async () => {
    await start();
    await lab.call('session:login', { url: lab.sim.url, ...alice, staySignedIn: true });

    simNow += 121 * minute;
    const error = await lab.fail('instance:list');

    expect(error.code).toBe('SESSION_EXPIRED');
    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();
  });

  it('keeps a two-factor sign-in only after the second factor, never the partial ticket', async () => {
    await start();
    const secret = lab.sim.users.find((u) => u.userid === 'carol@pve')?.totpSecret ?? '';

    const first = await lab.call('session:login', {
      url: lab.sim.url,
      ...carol,
      staySignedIn: true,
    });
    expect(first.signedIn).toBe(false);
    expect(keptTicket(secrets)).toBeNull();
    expect(settingsOf(lab.dataDir)['session.staySignedIn']).toBeUndefined();

    const status = await lab.call('session:second-factor', {
      method: 'totp',
      code: totpCode(secret, Date.now()),
    });
    const kept = keptTicket(secrets);

    expect(status).toMatchObject({ signedIn: true, userid: 'carol@pve', staySignedIn: true });
    expect(kept).toMatchObject({ userid: 'carol@pve', clusterUrl: lab.sim.url });
    expect(String(kept?.ticket)).toMatch(/^PVE:carol@pve:[0-9A-F]{8}::/);
    expect(String(kept?.ticket)).not.toMatch(/!tfa!/);

    const before = lab.sim.requests.length;
    const core = await restart();
    expect(await statusOf(core)).toMatchObject({ signedIn: true, userid: 'carol@pve' });
    expect(ticketPosts(lab.sim.requests.slice(before)).map((r) => r.status)).toEqual([200]);
  });

  it('refuses the box before sending the password when there is no OS keychain', async () => {
    await start();
    secrets = new SafeStorageSecretStore(new MemoryStore(), memoryKeychain(false), 'darwin');
    const core = await restart();
    const before = lab.sim.requests.length;

    const result = await core.invoke('session:login', {
      url: lab.sim.url,
      ...alice,
      staySignedIn: true,
    });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INVALID_INPUT');
    expect(!result.ok && result.error.details?.fields).toEqual({
      staySignedIn: 'no encrypted storage on this computer',
    });
    expect(lab.sim.requests.length).toBe(before);
    expect(await statusOf(core)).toEqual({ signedIn: false });
  });

  it('refuses a stay-signed-in flag that is not a boolean', async () => {
    await start();

    const error = await lab.fail('session:login', {
      url: lab.sim.url,
      ...alice,
      staySignedIn: 'yes',
    });

    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.details?.fields ?? {})).toEqual(['staySignedIn']);
    expect(lab.sim.requests.filter((r) => r.path === '/access/ticket')).toEqual([]);
  });
});

describe('a kept sign-in at rest', () => {
  it('leaves no ticket, CSRF token or password in any file ProxDesk wrote', async () => {
    const lab = await startLab({ loginFailureDelayMs: 20 }, {});
    const settings = new JsonFileStore(join(lab.dataDir, 'settings.json'));
    const secrets = new SafeStorageSecretStore(settings, memoryKeychain(), 'darwin');
    await lab.core.close();
    const core = createCore({
      dataDir: lab.dataDir,
      policyFile: demoPolicyPath,
      settings,
      secrets,
    });
    await core.invoke('cluster:trust', { url: lab.sim.url, fingerprint: lab.sim.fingerprint });
    const login = await core.invoke('session:login', {
      url: lab.sim.url,
      ...alice,
      staySignedIn: true,
    });
    expect(login.ok && login.data.signedIn).toBe(true);
    await core.invoke('instance:list');
    const kept = JSON.parse(secrets.get(keptName) ?? '{}') as { ticket: string; csrfToken: string };
    await core.close();
    await lab.sim.close();

    const files = filesUnder(lab.dataDir).map(
      (path) => [path, readFileSync(path, 'utf8')] as const,
    );
    const written = JSON.parse(
      files.find(([path]) => path.endsWith('settings.json'))?.[1] ?? '{}',
    ) as Record<string, Record<string, unknown> | undefined>;

    expect(kept.ticket).toMatch(/^PVE:alice@pve:/);
    expect(written['session.staySignedIn']).toEqual({
      userid: 'alice@pve',
      clusterUrl: lab.sim.url,
    });
    expect(Object.keys(written['secrets.encrypted'] ?? {})).toEqual([keptName]);
    for (const [path, text] of files) {
      expect(text, path).not.toContain(kept.ticket);
      expect(text, path).not.toContain(kept.csrfToken);
      expect(text, path).not.toContain(alice.password);
      expect(text, path).not.toMatch(/PVE:[^\s"]*:[0-9A-F]{8}::/);
    }
    rmSync(lab.dataDir, { recursive: true, force: true });
  });
});
