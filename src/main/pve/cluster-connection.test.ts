import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { createLogger } from '../log/logger';
import { ClusterConnection, type NodeSwitch } from './cluster-connection';
import type { PveCall, PveConnection } from './connection';
import { NodeUnreachableError, type FailurePhase } from './node-failure';

const pve1 = 'https://10.0.0.1:8006';
const pve2 = 'https://10.0.0.2:8006';
const pve3 = 'https://10.0.0.3:8006';

type Behaviour = 'ok' | FailurePhase | 'mismatch' | 'untrusted';

function unreachable(url: string, phase: FailurePhase): NodeUnreachableError {
  const mapped = new AppError('PVE_UNREACHABLE', `${url} is gone`);
  return new NodeUnreachableError(
    mapped,
    phase,
    url,
    phase === 'connect' ? 'refused the connection' : 'closed the connection',
  );
}

/** A cluster of fake nodes that answer, or fail, as told; counts what each was sent. */
function cluster(behaviour: Record<string, Behaviour>) {
  const sent: Record<string, string[]> = {};
  const switches: NodeSwitch[] = [];
  const connect = (url: string): { connection: PveConnection; trust: 'pin' } => {
    if (behaviour[url] === 'untrusted') {
      throw new AppError('CERT_NOT_TRUSTED', `${url} is not trusted`);
    }
    const connection = {
      baseUrl: url,
      call: async (call: PveCall) => {
        (sent[url] ??= []).push(`${call.method} ${call.path}`);
        await Promise.resolve();
        const what = behaviour[url];
        if (what === 'connect' || what === 'exchange') throw unreachable(url, what);
        if (what === 'mismatch') {
          throw new AppError('CERT_MISMATCH', 'changed', {
            pinnedFingerprint: 'AA',
            presentedFingerprint: 'BB',
          });
        }
        return url;
      },
    };
    return { connection: connection as unknown as PveConnection, trust: 'pin' };
  };
  const connection = new ClusterConnection({
    startUrl: pve1,
    nodes: () => [
      { url: pve1, name: 'pve1' },
      { url: pve2, name: 'pve2' },
      { url: pve3, name: 'pve3' },
    ],
    connect,
    onSwitch: (change) => switches.push(change),
    log: createLogger({ level: 'silent' }),
    now: () => 1_000,
  });
  return { connection, sent, switches };
}

const read: PveCall = { method: 'GET', path: '/cluster/resources' };
const write: PveCall = { method: 'POST', path: '/nodes/pve1/qemu/100/status/start' };

describe('ClusterConnection', () => {
  it('moves parallel reads to the next node and announces the move once', async () => {
    const { connection, switches } = cluster({ [pve1]: 'connect', [pve2]: 'ok', [pve3]: 'ok' });

    const answers = await Promise.all([1, 2, 3].map(() => connection.call(read, z.string())));

    expect(answers).toEqual([pve2, pve2, pve2]);
    expect(connection.baseUrl).toBe(pve2);
    expect(switches).toEqual([
      {
        from: { url: pve1, name: 'pve1' },
        to: { url: pve2, name: 'pve2' },
        reason: 'refused the connection',
        verifiedBy: 'pin',
        atMs: 1_000,
      },
    ]);
  });

  it('sends a write to another node only when the first never received it', async () => {
    const refused = cluster({ [pve1]: 'connect', [pve2]: 'ok' });
    const cut = cluster({ [pve1]: 'exchange', [pve2]: 'ok' });

    const sentOn = await refused.connection.call(write, z.string());
    const error = await cut.connection.call(write, z.string()).catch((caught: unknown) => caught);

    expect(sentOn).toBe(pve2);
    expect(error).toBeInstanceOf(NodeUnreachableError);
    expect(cut.sent).toEqual({ [pve1]: [`POST ${write.path}`] });
    expect(cut.switches).toEqual([]);
  });

  it('passes over a node with a changed or unconfirmed certificate', async () => {
    const { connection, sent } = cluster({
      [pve1]: 'connect',
      [pve2]: 'mismatch',
      [pve3]: 'untrusted',
    });

    const error = await connection.call(read, z.string()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
      details: { pinnedFingerprint: 'AA', presentedFingerprint: 'BB' },
    });
    expect((error as AppError).details?.nodes?.map((node) => node.name)).toEqual([
      'pve1',
      'pve2',
      'pve3',
    ]);
    expect(sent[pve3]).toBeUndefined();
    expect(connection.baseUrl).toBe(pve1);
  });

  it('does not move a call its caller aborted', async () => {
    const { connection, sent } = cluster({ [pve1]: 'connect', [pve2]: 'ok' });
    const abort = new AbortController();
    abort.abort();

    const error = await connection
      .call({ ...read, signal: abort.signal }, z.string())
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NodeUnreachableError);
    expect(sent[pve2]).toBeUndefined();
  });
});
