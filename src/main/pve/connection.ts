import { interceptors, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import { mapPveResponse, mapTransportError } from './errors';
import { nodeFailure } from './node-failure';
import { noteRequest } from './write-ledger';

/** How a request proves who sends it. */
export type Credentials =
  | { kind: 'ticket'; ticket: string; csrfToken: string }
  | { kind: 'token'; tokenId: string; secret: string };

/** A parameter value as PVE accepts it on the wire. */
export type ParamValue = string | number | boolean | undefined;

/** One API call: method, path below `/api2/json`, parameters. */
export interface PveCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  params?: Record<string, ParamValue>;
  /** Ends the call early; the caller that aborts it expects the failure and handles it. */
  signal?: AbortSignal;
}

/** What sends API calls: one node's connection, or a cluster's that can move between nodes. */
export interface PveCaller {
  /** The address of the node calls go to now. */
  readonly baseUrl: string;
  call<S extends z.ZodType>(
    call: PveCall,
    schema: S,
    credentials?: Credentials | null,
  ): Promise<z.output<S>>;
}

/** Options for a connection to one node. */
export interface ConnectionOptions {
  baseUrl: string;
  dispatcher: Dispatcher;
  logger: Logger;
  /** Deadline of one request, headers and body together. */
  timeoutMs?: number;
  /** Retries of an idempotent GET after a network failure. */
  getRetries?: number;
}

/**
 * Builds an API path, percent-encoding every interpolated value so that no value can add a path
 * segment or a query string. Values are validated before they get here; this is the second wall.
 */
export function pvePath(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce(
    (path, part, index) =>
      index < values.length
        ? `${path}${part}${encodeURIComponent(String(values[index]))}`
        : path + part,
    '',
  );
}

function encodeParams(params: Record<string, ParamValue> | undefined): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    // PVE booleans are 0/1; it rejects "true"/"false".
    form.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return form;
}

/** A connection to one PVE node's API over a pinned dispatcher. */
export class PveConnection implements PveCaller {
  readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly log: Logger;
  private readonly timeoutMs: number;

  constructor(options: ConnectionOptions) {
    this.baseUrl = options.baseUrl;
    this.log = options.logger;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    // Only idempotent reads are retried, and only after network failures, never after an answer.
    this.dispatcher = options.dispatcher.compose(
      interceptors.retry({
        methods: ['GET'],
        maxRetries: options.getRetries ?? 2,
        minTimeout: 200,
        statusCodes: [],
        errorCodes: ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT'],
      }),
    );
  }

  /** Sends one call and returns its `data`, parsed with the given schema. */
  async call<S extends z.ZodType>(
    call: PveCall,
    schema: S,
    credentials: Credentials | null = null,
  ): Promise<z.output<S>> {
    const started = performance.now();
    const params = encodeParams(call.params);
    const url = new URL(`/api2/json${call.path}`, this.baseUrl);
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (call.method === 'GET' || call.method === 'DELETE') {
      url.search = params.toString();
    } else {
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (credentials?.kind === 'ticket') {
      headers.cookie = `PVEAuthCookie=${encodeURIComponent(credentials.ticket)}`;
      if (call.method !== 'GET') headers.csrfpreventiontoken = credentials.csrfToken;
    } else if (credentials?.kind === 'token') {
      headers.authorization = `PVEAPIToken=${credentials.tokenId}=${credentials.secret}`;
    }

    // undici's request rather than fetch: it costs less per call, which matters when usage reads
    // hundreds of configs at once, and it keeps the reason phrase PVE puts its 401 reasons in.
    let status: number;
    let statusText: string;
    let text: string;
    // Written down before it leaves, so a write that never gets an answer counts as maybe applied.
    const answered = noteRequest(call.method, call.path);
    try {
      const response = await request(url, {
        method: call.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        // One deadline for the whole call: connecting, every retry, the headers and the body.
        // undici's own header and body timeouts would not bound a body that trickles in, nor
        // the retries of a read.
        signal:
          call.signal === undefined
            ? AbortSignal.timeout(this.timeoutMs)
            : AbortSignal.any([AbortSignal.timeout(this.timeoutMs), call.signal]),
      });
      status = response.statusCode;
      answered(status);
      statusText = response.statusText;
      text = await response.body.text();
    } catch (error) {
      const mapped = mapTransportError(error, { url: this.baseUrl });
      const report = `${call.method} ${call.path} failed: ${mapped.code} ${mapped.message}`;
      if (call.signal?.aborted === true) {
        this.log.debug(report);
        throw mapped;
      }
      this.log.warn(report);
      // Says whether the node failed before the request left, for a cluster's failover.
      throw nodeFailure(mapped, error, this.baseUrl);
    }
    const elapsed = Math.round(performance.now() - started);
    this.log.info(`${call.method} ${call.path} -> ${status} in ${elapsed} ms`);
    if (status >= 400) {
      throw mapPveResponse({
        status,
        statusText,
        body: text,
        method: call.method,
        path: call.path,
      });
    }
    return parseData(text, schema, call);
  }

  /** Closes the sockets to the node. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function parseData<S extends z.ZodType>(text: string, schema: S, call: PveCall): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError(
      'PVE_ERROR',
      `PVE sent an answer that is not JSON to ${call.method} ${call.path}.`,
    );
  }
  const data = (json as { data?: unknown } | null)?.data;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new AppError(
      'PVE_ERROR',
      `PVE's answer to ${call.method} ${call.path} has an unexpected shape${where ? ` at ${where}` : ''}.`,
    );
  }
  return parsed.data;
}
