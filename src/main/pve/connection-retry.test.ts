import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { z } from 'zod';
import { createLogger } from '../log/logger';
import { PveConnection } from './connection';

// A change must never reach PVE twice because a connection dropped: only idempotent reads are
// retried. The server here drops every connection without answering and counts what arrived.

describe('retries after a dropped connection', () => {
  let server: Server;
  let connection: PveConnection;
  const arrived: string[] = [];

  beforeAll(async () => {
    server = createServer((request) => {
      arrived.push(request.method ?? '');
      request.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connection = new PveConnection({
      baseUrl: `http://127.0.0.1:${port}`,
      dispatcher: new Agent(),
      logger: createLogger({ level: 'silent' }),
      timeoutMs: 5_000,
      getRetries: 2,
    });
  });
  beforeEach(() => {
    arrived.length = 0;
  });
  afterAll(async () => {
    await connection.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('retries a GET twice, then reports the node unreachable', async () => {
    const failure = connection.call({ method: 'GET', path: '/version' }, z.unknown());

    await expect(failure).rejects.toMatchObject({ code: 'PVE_UNREACHABLE' });
    expect(arrived).toEqual(['GET', 'GET', 'GET']);
  });

  it.each(['PUT', 'POST', 'DELETE'] as const)('sends a %s exactly once', async (method) => {
    const call = { method, path: '/nodes/pve1/qemu/100/resize', params: { disk: 'scsi0' } };
    const credentials = { kind: 'ticket', ticket: 'PVE:x', csrfToken: 'y' } as const;

    await expect(connection.call(call, z.unknown(), credentials)).rejects.toMatchObject({
      code: 'PVE_UNREACHABLE',
    });
    expect(arrived).toEqual([method]);
  });
});
