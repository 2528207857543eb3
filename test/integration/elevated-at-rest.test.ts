import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonFileStore } from '../../src/main/store/key-value-store';
import {
  SafeStorageSecretStore,
  type SafeStorageLike,
} from '../../src/main/store/safe-storage-secrets';
import {
  commitToken,
  dave,
  elevatedLabPolicyText,
  elevatedLabScenario,
} from '../fixtures/elevated-lab';
import { memoryKeychain } from './memory-keychain';
import { startLab, type Lab } from './lab';

const resize = { node: 'pve1', type: 'qemu', vmid: 120, disk: 'scsi0', addGiB: 1 } as const;

function readTree(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path.slice(folder.length + 1)] = readFileSync(path, 'utf8');
    }
  };
  walk(folder);
  return files;
}

async function startElevatedLab(dataDir: string, keychain: SafeStorageLike): Promise<Lab> {
  const policyFile = join(dataDir, 'policy.json');
  writeFileSync(policyFile, elevatedLabPolicyText());
  const settings = new JsonFileStore(join(dataDir, 'settings.json'));
  const secrets = new SafeStorageSecretStore(settings, keychain);
  const lab = await startLab(
    { scenario: elevatedLabScenario(), loginFailureDelayMs: 20, taskDurationMs: 60 },
    { dataDir, settings, secrets, policyFile },
  );
  await lab.trust();
  return lab;
}

// Installs the lab token, lets dave commit with it, signs out, then reads every file the core
// wrote, logs included.
describe('the lab token on disk', () => {
  let dataDir: string;
  let files: Record<string, string> = {};
  let url = '';
  const answers: unknown[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-elevated-at-rest-'));
    const lab = await startElevatedLab(dataDir, memoryKeychain());
    url = lab.sim.url;
    const login = { url, realm: 'pve' };

    await lab.call('session:login', {
      ...login,
      username: 'labadmin',
      password: 'labadmin-lab-pass',
    });
    answers.push(await lab.call('elevated:install', commitToken));
    answers.push(await lab.call('elevated:status'));
    await lab.call('session:logout');
    await lab.call('session:login', { ...login, username: dave.username, password: dave.password });
    answers.push(await lab.call('elevated:status'));
    answers.push(await lab.call('disk:resize', resize));
    await lab.call('session:logout');
    expect(lab.sim.requests.filter((r) => r.method === 'PUT').map((r) => r.userid)).toEqual([
      commitToken.tokenId,
    ]);

    await lab.close();
    files = readTree(dataDir);
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the token id in the settings and the secret only as ciphertext', () => {
    const settings = JSON.parse(files['settings.json'] ?? '{}') as Record<string, unknown>;
    const installed = settings['elevated.tokens'] as Record<string, { tokenId: string }>;
    const [cluster, ...others] = Object.keys(installed);

    expect(others).toEqual([]);
    expect(installed[cluster ?? '']?.tokenId).toBe(commitToken.tokenId);
    const encrypted = settings['secrets.encrypted'] as Record<string, string>;
    expect(Object.keys(encrypted)).toEqual([`elevated-token ${cluster}`]);
    expect(encrypted[`elevated-token ${cluster}`]).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  });

  it('writes the secret into no file, log lines included, and sends it back on no channel', () => {
    const logs = Object.keys(files).filter((name) => name.startsWith('logs/'));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.map((name) => files[name]).join('')).toContain(
      `lab token ${commitToken.tokenId} installed for cluster ${new URL(url).host} by labadmin@pve`,
    );

    for (const [name, text] of Object.entries(files)) {
      expect(text, name).not.toContain(commitToken.secret);
      expect(text, name).not.toContain(commitToken.secret.toUpperCase());
    }
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(commitToken.secret);
  });
});

describe('a computer without an OS keychain', () => {
  it('refuses to install the token and stores nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'proxdesk-elevated-no-keychain-'));
    const lab = await startElevatedLab(dataDir, memoryKeychain(false));
    try {
      await lab.call('session:login', {
        url: lab.sim.url,
        realm: 'pve',
        username: 'labadmin',
        password: 'labadmin-lab-pass',
      });

      const error = await lab.fail('elevated:install', commitToken);
      const status = await lab.call('elevated:status');
      const settings = readFileSync(join(dataDir, 'settings.json'), 'utf8');

      expect(error.code).toBe('INVALID_INPUT');
      expect(error.details?.fields).toEqual({ secret: 'no encrypted storage on this computer' });
      expect(status.token).toBeNull();
      expect(settings).not.toContain('elevated.tokens');
      expect(settings).not.toContain(commitToken.secret);
    } finally {
      await lab.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
