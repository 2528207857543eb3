import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonFileStore } from '../../src/main/store/key-value-store';
import { SafeStorageSecretStore } from '../../src/main/store/safe-storage-secrets';
import { totpCode } from '../pve-sim';
import { memoryKeychain } from './memory-keychain';
import { startLab, type Lab } from './lab';

const tokenId = 'alice@pve!proxdesk';
const tokenSecret = '5d2c4b8e-1f3a-4c6d-9e7b-0a1b2c3d4e5f';
const resize = { node: 'pve1', type: 'qemu', vmid: 100, disk: 'scsi0', addGiB: 1 } as const;

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// Signs in every way there is, works, signs out, and then reads every file the core wrote.
describe('what the core leaves on disk', () => {
  let lab: Lab;
  let dataDir: string;
  let files: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-at-rest-'));
    const settings = new JsonFileStore(join(dataDir, 'settings.json'));
    const secrets = new SafeStorageSecretStore(settings, memoryKeychain());
    lab = await startLab({ taskDurationMs: 60 }, { dataDir, settings, secrets });

    await lab.signIn(0);
    await lab.call('instance:list');
    await lab.call('disk:resize', resize);
    await lab.call('session:logout');

    const url = lab.sim.url;
    await lab.call('session:login-token', { url, tokenId, secret: tokenSecret, remember: true });
    await lab.call('instance:list');
    await lab.call('disk:resize', resize);
    await lab.call('session:logout');

    const carol = lab.sim.users.find((user) => user.userid === 'carol@pve');
    await lab.call('session:login', {
      url,
      realm: 'pve',
      username: 'carol',
      password: carol?.password,
    });
    await lab.call('session:second-factor', {
      method: 'totp',
      code: totpCode(carol?.totpSecret ?? '', Date.now()),
    });
    await lab.call('session:logout');

    // Closing the core flushes and closes the log files.
    await lab.close();
    files = Object.fromEntries(
      filesUnder(dataDir).map((path) => [
        path.slice(dataDir.length + 1),
        readFileSync(path, 'utf8'),
      ]),
    );
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('wrote the settings and a log with the sign-ins in it', () => {
    expect(Object.keys(files)).toContain('settings.json');
    const logs = Object.keys(files).filter((name) => name.startsWith('logs/'));
    expect(logs.length).toBeGreaterThan(0);
    const log = logs.map((name) => files[name]).join('');
    expect(log).toContain('signed in as alice@pve');
    expect(log).toContain(`signed in with API token ${tokenId}`);
    expect(log).toContain('signed in as carol@pve');
  });

  it('keeps the remembered token secret only as ciphertext', () => {
    const settings = JSON.parse(files['settings.json'] ?? '{}') as Record<string, unknown>;

    expect(settings['session.rememberedTokens']).toEqual({ [lab.sim.url]: [tokenId] });
    const encrypted = settings['secrets.encrypted'] as Record<string, string>;
    expect(Object.values(encrypted)).toHaveLength(1);
    expect(Object.values(encrypted)[0]).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  });

  it('holds no password, ticket, partial ticket, CSRF token or token secret in any file', () => {
    for (const [name, text] of Object.entries(files)) {
      for (const password of lab.sim.users.map((user) => user.password)) {
        expect(text, name).not.toContain(password);
      }
      expect(text, name).not.toContain(tokenSecret);
      expect(text, name).not.toMatch(/PVE:[^\s"]*:[0-9A-F]{8}::[A-Za-z0-9+/=%]/);
      expect(text, name).not.toMatch(/!tfa!/);
      expect(text, name).not.toMatch(/\b[0-9A-F]{8}:[A-Za-z0-9+/]{20,}/);
    }
  });
});
