import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/main/store/key-value-store';
import { SafeStorageSecretStore } from '../../src/main/store/safe-storage-secrets';
import { MemorySecretStore } from '../../src/main/store/secrets';
import { startLab, type Lab } from './lab';

const tokenId = 'alice@pve!proxdesk';
const secret = '5d2c4b8e-1f3a-4c6d-9e7b-0a1b2c3d4e5f';

describe('API-token sign-in', () => {
  let lab: Lab;
  const secrets = new MemorySecretStore();

  beforeAll(async () => {
    lab = await startLab({ loginFailureDelayMs: 20, taskDurationMs: 60 }, { secrets });
    await lab.trust();
  });
  beforeEach(async () => {
    await lab.call('session:logout');
  });
  afterAll(async () => {
    await lab.close();
  });

  it('signs in as the token owner with no expiry, lists instances and resizes without CSRF', async () => {
    const status = await lab.call('session:login-token', { url: lab.sim.url, tokenId, secret });
    const instances = await lab.call('instance:list');
    const resized = await lab.call('disk:resize', {
      node: 'pve1',
      type: 'qemu',
      vmid: 100,
      disk: 'scsi0',
      addGiB: 1,
    });

    expect(status).toEqual({
      signedIn: true,
      clusterUrl: lab.sim.url,
      userid: 'alice@pve',
      via: 'token',
      expiresAt: null,
    });
    expect(instances.map((instance) => instance.vmid).sort()).toEqual([100, 101, 200]);
    expect(resized.task.status).toBe('ok');
    expect(lab.sim.state.instances.get(100)?.config.scsi0).toBe('local-lvm:vm-100-disk-0,size=33G');
    const writes = lab.sim.requests.filter((r) => r.method === 'PUT');
    expect(writes.map((r) => [r.path, r.status, r.userid])).toEqual([
      ['/nodes/pve1/qemu/100/resize', 200, tokenId],
    ]);
    expect(lab.sim.requests.some((r) => r.path === '/access/ticket')).toBe(false);
  });

  it('refuses a wrong secret with PVE_AUTH and stays signed out', async () => {
    const error = await lab.fail('session:login-token', {
      url: lab.sim.url,
      tokenId,
      secret: '00000000-0000-4000-8000-000000000000',
    });

    expect(error.code).toBe('PVE_AUTH');
    expect(await lab.call('session:status')).toEqual({ signedIn: false });
  });

  it('refuses a malformed token id or secret before anything is sent', async () => {
    const before = lab.sim.requests.length;

    const noRealm = await lab.fail('session:login-token', {
      url: lab.sim.url,
      tokenId: 'alice!proxdesk',
      secret,
    });
    const noToken = await lab.fail('session:login-token', {
      url: lab.sim.url,
      tokenId: 'alice@pve',
      secret,
    });
    const injected = await lab.fail('session:login-token', {
      url: lab.sim.url,
      tokenId: 'alice@pve!x=y',
      secret,
    });
    const notUuid = await lab.fail('session:login-token', {
      url: lab.sim.url,
      tokenId,
      secret: 'hunter2',
    });

    expect([noRealm, noToken, injected, notUuid].map((e) => e.code)).toEqual([
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
    ]);
    expect(notUuid.details?.fields).toEqual({ secret: 'expected a UUID' });
    expect(lab.sim.requests.length).toBe(before);
  });

  it('remembers the secret only when asked, then signs in without it, and forgets it', async () => {
    await lab.call('session:login-token', { url: lab.sim.url, tokenId, secret });
    const notRemembered = await lab.call('session:remembered-tokens', { url: lab.sim.url });

    await lab.call('session:login-token', { url: lab.sim.url, tokenId, secret, remember: true });
    const remembered = await lab.call('session:remembered-tokens', { url: lab.sim.url });
    await lab.call('session:logout');
    const again = await lab.call('session:login-token', { url: lab.sim.url, tokenId });
    const keptAfterUse = await lab.call('session:remembered-tokens', { url: lab.sim.url });
    const afterForget = await lab.call('session:forget-token', { url: lab.sim.url, tokenId });
    await lab.call('session:logout');
    const gone = await lab.fail('session:login-token', { url: lab.sim.url, tokenId });

    expect(notRemembered).toEqual([]);
    expect(remembered).toEqual([tokenId]);
    expect(again.userid).toBe('alice@pve');
    expect(keptAfterUse).toEqual([tokenId]);
    expect(afterForget).toEqual([]);
    expect(secrets.get(`api-token ${lab.sim.url} ${tokenId}`)).toBeNull();
    expect(gone.code).toBe('NOT_FOUND');
  });

  it('does not remember a secret PVE refused', async () => {
    await lab.fail('session:login-token', {
      url: lab.sim.url,
      tokenId: 'alice@pve!other',
      secret,
      remember: true,
    });

    expect(await lab.call('session:remembered-tokens', { url: lab.sim.url })).toEqual([]);
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});

describe('remembering a token where the OS has no encrypted storage', () => {
  let lab: Lab;

  beforeAll(async () => {
    const settings = new MemoryStore();
    const noKeychain = {
      isEncryptionAvailable: () => false,
      encryptString: (): Buffer => Buffer.alloc(0),
      decryptString: (): string => '',
    };
    lab = await startLab(
      {},
      { settings, secrets: new SafeStorageSecretStore(settings, noKeychain) },
    );
    await lab.trust();
  });
  afterAll(async () => {
    await lab.close();
  });

  it('refuses to remember, keeps nothing, and signs in when not asked to remember', async () => {
    const refused = await lab.fail('session:login-token', {
      url: lab.sim.url,
      tokenId,
      secret,
      remember: true,
    });
    const remembered = await lab.call('session:remembered-tokens', { url: lab.sim.url });
    const status = await lab.call('session:login-token', { url: lab.sim.url, tokenId, secret });

    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.details?.fields).toEqual({ remember: 'no encrypted storage on this computer' });
    expect(remembered).toEqual([]);
    expect(status.userid).toBe('alice@pve');
  });
});
