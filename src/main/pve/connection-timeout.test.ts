import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { z } from 'zod';
import { createLogger } from '../log/logger';
import { PveConnection } from './connection';

// A node that accepts a request and then says nothing must not hold a call for ever. The server
// here answers `/silent` never, `/stalled` with headers and half a body, and `/slow` late.

describe('a node that stops answering', () => {
  let server: Server;
  let connection: PveConnection;
  const held: ServerResponse[] = [];
  const arrived: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      arrived.push(`${request.method ?? ''} ${request.url ?? ''}`);
      if (request.url === '/api2/json/stalled') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"data":');
      } else if (request.url === '/api2/json/slow') {
        setTimeout(() => response.end('{"data":"late"}'), 100);
        return;
      }
      held.push(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connection = new PveConnection({
      baseUrl: `http://127.0.0.1:${port}`,
      dispatcher: new Agent(),
      logger: createLogger({ level: 'silent' }),
      timeoutMs: 300,
    });
  });
  beforeEach(() => {
    arrived.length = 0;
  });
  afterAll(async () => {
    for (const response of held) response.destroy();
    await connection.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a request that gets no answer, and sends it once', async () => {
    const started = performance.now();
    const failure = connection.call({ method: 'POST', path: '/silent' }, z.unknown());

    await expect(failure).rejects.toMatchObject({ code: 'PVE_TIMEOUT' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(arrived).toEqual(['POST /api2/json/silent']);
  });

  it('gives up on an answer whose body stops half way', async () => {
    const failure = connection.call({ method: 'GET', path: '/stalled' }, z.unknown());

    await expect(failure).rejects.toMatchObject({ code: 'PVE_TIMEOUT' });
  });

  it('waits for an answer that comes within the time allowed', async () => {
    await expect(connection.call({ method: 'GET', path: '/slow' }, z.string())).resolves.toBe(
      'late',
    );
  });

  it('stops when the caller cancels, long before the time allowed is up', async () => {
    // Allowed a minute: only the cancel can end this call within the test's own time limit.
    const patient = new PveConnection({
      baseUrl: connection.baseUrl,
      dispatcher: new Agent(),
      logger: createLogger({ level: 'silent' }),
      timeoutMs: 60_000,
    });
    const cancel = new AbortController();
    const call = { method: 'GET', path: '/silent', signal: cancel.signal } as const;
    const failure = patient.call(call, z.unknown());
    setTimeout(() => cancel.abort(), 20);

    await expect(failure).rejects.toMatchObject({ code: 'PVE_TIMEOUT' });
    await patient.close();
  });
});
