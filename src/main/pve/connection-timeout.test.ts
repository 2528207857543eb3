import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { z } from 'zod';
import { createLogger } from '../log/logger';
import { PveConnection } from './connection';

// A node that accepts a request and then says nothing must not hold a call for ever. The server
// here answers `/silent` never, `/stalled` with headers and half a body, `/trickle` with a body
// that never ends, `/reset` by dropping the connection, and `/slow` late.

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
      } else if (request.url === '/api2/json/trickle') {
        // A byte every 50 ms, for ever: no gap is long, the answer never ends.
        response.writeHead(200, { 'content-type': 'application/json' });
        const drip = setInterval(() => response.write(' '), 50);
        response.on('close', () => clearInterval(drip));
      } else if (request.url === '/api2/json/reset') {
        setTimeout(() => request.socket.destroy(), 200);
        return;
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
      getRetries: 2,
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

  it('gives up on an answer that trickles in for longer than the time allowed', async () => {
    const failure = connection.call({ method: 'GET', path: '/trickle' }, z.unknown());

    await expect(failure).rejects.toMatchObject({ code: 'PVE_TIMEOUT' });
  });

  it('counts the retries of a read against its one deadline', async () => {
    // Each attempt is reset after 200 ms and a retry waits 200 ms first: a third attempt would
    // start at 600 ms, after the 300 ms allowed.
    const failure = connection.call({ method: 'GET', path: '/reset' }, z.unknown());

    await expect(failure).rejects.toMatchObject({ code: 'PVE_TIMEOUT' });
    expect(arrived.length).toBeLessThan(3);
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
