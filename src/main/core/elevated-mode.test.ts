import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import { PveApi } from '../pve/api';
import { PveConnection } from '../pve/connection';
import { MemoryStore } from '../store/key-value-store';
import { MemorySecretStore } from '../store/secrets';
import { ElevatedMode } from './elevated-mode';

const lines: string[] = [];
const log: Logger = {
  child: () => log,
  debug: () => undefined,
  info: (message) => void lines.push(message),
  warn: (message) => void lines.push(message),
  error: () => undefined,
  close: async () => undefined,
};
const url = 'https://pve.invalid:8006';
const cluster = { id: 'profile-1', name: 'lab' };
const secret = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function setup(): { mode: ElevatedMode; secrets: MemorySecretStore; settings: MemoryStore } {
  const settings = new MemoryStore();
  const secrets = new MemorySecretStore();
  const guard = (): (() => Promise<void>) => async () => undefined;
  const clusterOf = (): typeof cluster => cluster;
  return { mode: new ElevatedMode(settings, secrets, guard, log, clusterOf), secrets, settings };
}

function sessionApi(): PveApi {
  const connection = new PveConnection({ baseUrl: url, dispatcher: new Agent(), logger: log });
  return new PveApi(connection, () => ({ kind: 'ticket', ticket: 't', csrfToken: 'c' }));
}

describe('ElevatedMode', () => {
  it('hands out the session API itself while no token is installed', () => {
    const { mode } = setup();
    const api = sessionApi();

    expect(mode.apiFor({ clusterUrl: url, userid: 'dave@pve', api })).toBe(api);
    expect(mode.status(cluster)).toEqual({ cluster: 'lab', token: null });
  });

  it('keeps one routed API per session and installation, and drops it on removal', () => {
    const { mode, secrets, settings } = setup();
    const api = sessionApi();
    const session = { clusterUrl: url, userid: 'dave@pve', api };

    mode.install(cluster, 'svc@pve!commit', secret, 'labadmin@pve', Date.UTC(2026, 0, 2, 3, 4, 5));
    const first = mode.apiFor(session);
    const again = mode.apiFor(session);
    mode.remove(cluster, 'labadmin@pve');
    const afterRemoval = mode.apiFor(session);
    mode.install(cluster, 'svc@pve!commit', secret, 'labadmin@pve', Date.UTC(2026, 0, 2, 4, 0, 0));
    const reinstalled = mode.apiFor(session);

    expect(first).not.toBe(api);
    expect(again).toBe(first);
    expect(afterRemoval).toBe(api);
    expect(reinstalled).not.toBe(first);
    expect(reinstalled).not.toBe(api);
    expect(mode.status(cluster).token).toEqual({
      tokenId: 'svc@pve!commit',
      installedBy: 'labadmin@pve',
      installedAt: '2026-01-02T04:00:00.000Z',
    });
    expect(JSON.stringify(settings.get('elevated.tokens'))).not.toContain(secret);
    expect(secrets.get(`elevated-token ${cluster.id}`)).toBe(secret);
  });

  it('commits as the user when the secret cannot be read on this computer', () => {
    const { mode, secrets } = setup();
    const api = sessionApi();
    mode.install(cluster, 'svc@pve!commit', secret, 'labadmin@pve', 0);
    secrets.delete(`elevated-token ${cluster.id}`);

    const handed = mode.apiFor({ clusterUrl: url, userid: 'dave@pve', api });

    expect(handed).toBe(api);
    expect(lines).toContain(
      'the secret of lab token svc@pve!commit cannot be read on this machine',
    );
  });

  it('installs nothing when the secret store refuses to keep the secret', () => {
    const settings = new MemoryStore();
    const refusing = {
      get: () => null,
      set: () => {
        throw new AppError('INVALID_INPUT', 'no keychain');
      },
      delete: () => undefined,
      available: () => false,
    };
    const mode = new ElevatedMode(settings, refusing, () => async () => undefined, log);

    const attempt = (): void => mode.install(cluster, 'svc@pve!commit', secret, 'labadmin@pve', 0);

    expect(attempt).toThrow(/no encrypted storage \(OS keychain\)/);
    expect(settings.get('elevated.tokens')).toBeUndefined();
  });
});
