import { Agent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import { PveApi } from './api';
import { apiRoutes, routeCommits, taskOwner, type CommitTarget } from './commit-routing';
import { PveConnection, type Credentials, type PveCall } from './connection';

const silent: Logger = {
  child: () => silent,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  close: async () => undefined,
};

const user: Credentials = { kind: 'ticket', ticket: 'user-ticket', csrfToken: 'user-csrf' };
const token = { kind: 'token', tokenId: 'svc@pve!commit', secret: 'token-secret' } as const;
const tokenUpid = 'UPID:pve1:0000A1B2:00C3D4E5:6789ABCD:resize:120:svc@pve!commit:';
const userUpid = 'UPID:pve1:0000A1B2:00C3D4E5:6789ABCD:qmstart:120:dave@pve:';

/** A connection that answers every call with `answer` and records who sent it. */
function recordingConnection(answer: (call: PveCall) => unknown): {
  connection: PveConnection;
  sent: Array<{ method: string; path: string; by: string | null }>;
} {
  const connection = new PveConnection({
    baseUrl: 'https://pve.invalid:8006',
    dispatcher: new Agent(),
    logger: silent,
  });
  const sent: Array<{ method: string; path: string; by: string | null }> = [];
  vi.spyOn(connection, 'call').mockImplementation(async (call, schema, credentials) => {
    const by =
      credentials === null || credentials === undefined
        ? null
        : credentials.kind === 'token'
          ? credentials.tokenId
          : credentials.ticket;
    sent.push({ method: call.method, path: call.path, by });
    return schema.parse(answer(call));
  });
  return { connection, sent };
}

const answers = (call: PveCall): unknown => {
  if (call.path.endsWith('/status')) return { status: 'stopped', exitstatus: 'OK' };
  if (call.path.endsWith('/log')) return [{ n: 1, t: 'done' }];
  if (call.path.endsWith('/config') && call.method === 'GET') return { digest: 'abc' };
  if (call.method === 'PUT' && call.path.endsWith('/config')) return null;
  if (call.path === '/cluster/resources' || call.path === '/nodes/pve1/tasks') return [];
  return tokenUpid;
};

describe('routeCommits', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sends reads with the user credentials and commits with the token after the check', async () => {
    const { connection, sent } = recordingConnection(answers);
    const checked: CommitTarget[] = [];
    const api = routeCommits(new PveApi(connection, () => user), {
      token,
      allow: async (target) => {
        checked.push(target);
      },
    });

    await api.guests();
    await api.config('pve1', 'qemu', 120);
    await api.resize('pve1', 'qemu', 120, { disk: 'scsi0', size: '+1G', digest: 'abc' });
    await api.updateQemuConfigAsync('pve1', 120, { scsi1: 'local-lvm:4', digest: 'abc' });
    await api.updateConfig('pve1', 'lxc', 200, { cores: 2, digest: 'abc' });
    await api.createGuest('pve2', 'lxc', { vmid: 121, pool: 'dave' });

    expect(sent.map((s) => `${s.method} ${s.path} ${s.by}`)).toEqual([
      'GET /cluster/resources user-ticket',
      'GET /nodes/pve1/qemu/120/config user-ticket',
      'PUT /nodes/pve1/qemu/120/resize svc@pve!commit',
      'POST /nodes/pve1/qemu/120/config svc@pve!commit',
      'PUT /nodes/pve1/lxc/200/config svc@pve!commit',
      'POST /nodes/pve2/lxc svc@pve!commit',
    ]);
    expect(checked).toEqual([
      { kind: 'guest', node: 'pve1', type: 'qemu', vmid: 120 },
      { kind: 'guest', node: 'pve1', type: 'qemu', vmid: 120 },
      { kind: 'guest', node: 'pve1', type: 'lxc', vmid: 200 },
      { kind: 'new-guest', node: 'pve2', type: 'lxc', vmid: 121, pool: 'dave' },
    ]);
  });

  it('sends nothing with the token when the check refuses the commit', async () => {
    const { connection, sent } = recordingConnection(answers);
    const api = routeCommits(new PveApi(connection, () => user), {
      token,
      allow: async () => {
        throw new AppError('NOT_OWNED', 'Guest 300 is not in one of your pools.');
      },
    });

    const refused = api.powerAction('pve1', 'qemu', 300, 'stop');

    await expect(refused).rejects.toMatchObject({ code: 'NOT_OWNED' });
    expect(sent).toEqual([]);
  });

  it('reads a task with the token only when the token started it', async () => {
    const { connection, sent } = recordingConnection(answers);
    const api = routeCommits(new PveApi(connection, () => user), { token, allow: async () => {} });

    await api.taskStatus('pve1', tokenUpid);
    await api.taskLog('pve1', tokenUpid, 0);
    await api.taskStatus('pve1', userUpid);
    await api.nodeTasks('pve1', { source: 'all', limit: 10 });

    expect(sent.map((s) => s.by)).toEqual([
      'svc@pve!commit',
      'svc@pve!commit',
      'user-ticket',
      'user-ticket',
    ]);
  });

  it('reports a 401 to the token as a problem with the lab token, not with the session', async () => {
    const { connection } = recordingConnection(() => {
      throw new AppError('PVE_AUTH', 'PVE did not accept the credentials. Sign in again.', {
        status: 401,
      });
    });
    const api = routeCommits(new PveApi(connection, () => user), { token, allow: async () => {} });

    const error = await api.destroyGuest('pve1', 'qemu', 120).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).toData()).toEqual({
      code: 'PVE_AUTH',
      message:
        'PVE refused the lab token svc@pve!commit that commits approved changes on this computer; it may have been revoked or have expired. Ask the lab admin to install a valid one.',
      details: { status: 401 },
    });
  });

  it('classifies every PveApi method, and routes exactly the commits and task reads', () => {
    const methods = Object.getOwnPropertyNames(PveApi.prototype).filter((n) => n !== 'constructor');
    const byKind = (kind: string): string[] =>
      Object.entries(apiRoutes)
        .filter(([, route]) => route.kind === kind)
        .map(([name]) => name)
        .sort();

    expect(Object.keys(apiRoutes).sort()).toEqual([...methods].sort());
    expect(byKind('task')).toEqual(['taskLog', 'taskStatus']);
    expect(byKind('commit')).toEqual([
      'backupGuest',
      'createGuest',
      'deleteBackup',
      'destroyGuest',
      'moveVolume',
      'powerAction',
      'resize',
      'updateConfig',
      'updateQemuConfigAsync',
    ]);
  });
});

describe('taskOwner', () => {
  it('reads the user or token from a UPID and refuses anything else', () => {
    expect(taskOwner(tokenUpid)).toBe('svc@pve!commit');
    expect(taskOwner(userUpid)).toBe('dave@pve');
    expect(taskOwner('UPID:pve1:1:2')).toBeNull();
    expect(taskOwner('NOTUPID:pve1:0:0:0:resize:120:svc@pve!commit:')).toBeNull();
  });
});
