import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimFaults } from './faults.js';
import type { ApiRequest, ApiResponse } from './pipeline.js';

// The HTTPS transport: TLS on a loopback address, reading query and body into parameters, injected
// latency and dropped connections, and writing answers with PVE's headers.

const maxBodyBytes = 1024 * 1024;

/** What the transport needs from the simulator. */
export interface TransportOptions {
  certPem: string;
  keyPem: string;
  port: number;
  faults: SimFaults;
  latencyMs: number;
  serve: (request: ApiRequest) => Promise<ApiResponse>;
  onServed: (request: ApiRequest, response: ApiResponse) => void;
  /** The loopback address to listen on (default 127.0.0.1). */
  host?: string;
  /** The node this listener stands for; handlers see it as the node that served the request. */
  nodeName?: string;
  /** Read on every request: drop it after reading it, without an answer (this listener only). */
  dropRequests?: (request: ApiRequest) => boolean;
  /** Called for every request that was read, before it is answered or dropped. */
  onReceived?: (request: ApiRequest) => void;
}

/** A listening transport. */
export interface Transport {
  port: number;
  /** Serves a new certificate on new connections from now on. */
  setCertificate(certPem: string, keyPem: string): void;
  close(): Promise<void>;
}

function addParam(params: Record<string, unknown>, key: string, value: unknown): void {
  // ExtJS's cache-busting `_dc` parameter is dropped by PVE before anything looks at it.
  if (key === '_dc') return;
  const existing = params[key];
  if (existing === undefined) params[key] = value;
  else
    params[key] = Array.isArray(existing) ? [...(existing as unknown[]), value] : [existing, value];
}

function parseBody(text: string, contentType: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (text.trim() === '') return params;
  if (contentType.includes('application/json')) {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('a JSON body must be an object');
    }
    for (const [key, item] of Object.entries(value)) addParam(params, key, item);
    return params;
  }
  for (const [key, item] of new URLSearchParams(text)) addParam(params, key, item);
  return params;
}

async function readBody(req: IncomingMessage): Promise<string> {
  // A request that declares no body has none; reading it would only cost time.
  if (
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] === undefined
  ) {
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function toApiRequest(req: IncomingMessage): Promise<ApiRequest> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) addParam(params, key, value);
  const request: ApiRequest = {
    method: req.method ?? 'GET',
    rawPath: url.pathname,
    params,
    headers: req.headers,
  };
  try {
    const body = parseBody(await readBody(req), req.headers['content-type'] ?? '');
    for (const [key, value] of Object.entries(body)) {
      delete params[key];
      addParam(params, key, value);
    }
  } catch (error) {
    request.bodyError = error instanceof Error ? error.message : 'unreadable request body';
  }
  return request;
}

function write(res: ServerResponse, response: ApiResponse): void {
  res.statusCode = response.status;
  res.statusMessage = response.reason;
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Cache-Control', 'max-age=0');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Server', 'pve-api-daemon/3.0');
  res.end(response.body ?? '');
}

/** Starts listening on 127.0.0.1 (port 0 picks a free one). */
export async function startTransport(options: TransportOptions): Promise<Transport> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(
    { cert: options.certPem, key: options.keyPem },
    (req, res) => {
      if (options.faults.down) {
        req.socket.destroy();
        return;
      }
      void (async () => {
        const request = await toApiRequest(req);
        if (options.nodeName !== undefined) request.servedBy = options.nodeName;
        options.onReceived?.(request);
        await sleep(options.faults.latencyMs ?? options.latencyMs);
        if (options.faults.down || options.dropRequests?.(request) === true) {
          req.socket.destroy();
          return;
        }
        const response = await options.serve(request);
        write(res, response);
        options.onServed(request, response);
      })().catch((error: unknown) => {
        res.statusCode = 500;
        res.end(
          JSON.stringify({
            data: null,
            message: `${error instanceof Error ? error.message : 'error'}\n`,
          }),
        );
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    // A switched-off node accepts nothing: drop the connection before TLS starts.
    if (options.faults.down) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    setCertificate(certPem, keyPem) {
      server.setSecureContext({ cert: certPem, key: keyPem });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}
