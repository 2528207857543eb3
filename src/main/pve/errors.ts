import { AppError, isAppError } from '../../shared/errors';
import { redactSecrets } from '../log/redact';

// The one place where PVE's answers and network failures become AppErrors. PVE reports failures
// in three places: the HTTP reason phrase (401s, older servers), the JSON body's `message`, and
// the body's `errors` map for parameter checks; all three are read here.

/** The node presented a certificate other than the pinned one. */
export class PinMismatchError extends Error {
  constructor(
    readonly pinnedFingerprint: string,
    readonly presentedFingerprint: string,
  ) {
    super('The certificate presented does not match the pinned fingerprint.');
    this.name = 'PinMismatchError';
  }
}

/** A request outlived its deadline. */
export class TransportTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms.`);
    this.name = 'TransportTimeoutError';
  }
}

/**
 * Whether PVE answered that it lost the node a request was for. PVE's proxy passes on its HTTP
 * client's own statuses: 595 when it could not connect (refused, no route), 596 when sending the
 * request or reading the answer's head failed (timed out), 597 when reading the body failed. The
 * node ProxDesk talks to did answer; the one behind it is down or cut off.
 */
export function isNodeNotReached(error: unknown): boolean {
  const status = isAppError(error) ? error.details?.status : undefined;
  return status === 595 || status === 596 || status === 597;
}

const noAnswerCodes = new Set(['PVE_UNREACHABLE', 'CLUSTER_UNREACHABLE', 'PVE_TIMEOUT']);

/**
 * Whether a request got no answer about what it asked: no node could be reached, the node behind
 * the one asked could not (595-597), or it timed out. Such a request may be sent again, and it
 * says nothing about the session or the thing asked about.
 */
export function isNoAnswer(error: unknown): boolean {
  return isAppError(error) && noAnswerCodes.has(error.code);
}

/** What mapPveResponse needs of an HTTP answer with a failure status. */
export interface PveFailedResponse {
  status: number;
  statusText: string;
  body: string;
  method: string;
  path: string;
}

/** Turns a PVE answer with a failure status into an AppError with a message for people. */
export function mapPveResponse(response: PveFailedResponse): AppError {
  const { status } = response;
  const body = readBody(response.body);
  const reason = clean(body.message ?? '') || clean(response.statusText);
  const request = `${response.method} ${response.path.split('?')[0] ?? ''}`;
  const said = reason ? ` PVE said: ${reason}` : '';

  if (status === 401) return authError(clean(response.statusText) || reason, status);

  if (status === 403) {
    const needed = /permission check failed \(([^,()]+),\s*([^()]+)\)/i.exec(reason);
    const message = needed
      ? `You do not have permission ${needed[2]?.trim()} on ${needed[1]?.trim()}. Ask the lab admin to grant it.`
      : `PVE refused ${request}: permission denied. Ask the lab admin for access.${said}`;
    return new AppError('PVE_PERMISSION', message, { status });
  }

  if (status === 400) {
    const fields = body.errors;
    const listed = Object.entries(fields ?? {})
      .map(([field, why]) => `${field}: ${why}`)
      .join('; ');
    const message = listed
      ? `PVE refused the values sent with ${request}: ${listed}.`
      : `PVE refused ${request} as invalid.${said}`;
    return new AppError('PVE_VALIDATION', message, fields ? { status, fields } : { status });
  }

  if (status === 595 || status === 596 || status === 597) {
    // PVE's proxy forwards a request about a node to that node; these say it could not.
    const node = /^\/nodes\/([^/?]+)/.exec(response.path)?.[1];
    const target = node === undefined ? 'the node that holds this resource' : `node ${node}`;
    return new AppError(
      'PVE_UNREACHABLE',
      `The cluster node ProxDesk talks to could not reach ${target}. Check that the node is online and try again.${said}`,
      { status },
    );
  }

  if (status === 500 && /detected modified configuration|digest/i.test(reason)) {
    return new AppError(
      'CONFLICT',
      'The configuration changed elsewhere since ProxDesk read it, so nothing was written. Reload and try again.',
      { status },
    );
  }

  // A guest id free when ProxDesk asked can be taken by another create before this one runs;
  // PVE then says `unable to create VM 102 - VM 102 already exists on node 'pve2'`.
  const taken = /\b(?:VM|CT) (\d+) already exists\b/i.exec(reason);
  if (status === 500 && taken) {
    const vmid = Number(taken[1]);
    return new AppError(
      'CONFLICT',
      `Guest id ${vmid} was taken by another guest in the meantime, so nothing was created. Choose another id and try again.`,
      // Under the id field, where a form shows it.
      { status, fields: { vmid: `${vmid} was taken in the meantime; choose another id` } },
    );
  }

  const lock = /\b(?:VM|CT) is locked(?: \(([^)]+)\))?/i.exec(reason);
  if (status === 500 && (lock || /can't lock file/i.test(reason))) {
    const what = lock?.[1] ? ` (${lock[1]})` : '';
    return new AppError(
      'LOCKED',
      `The guest is locked${what} by another operation. Wait for it to finish and try again.`,
      { status },
    );
  }

  if (status === 500 && /does not exist/i.test(reason)) {
    return new AppError('NOT_FOUND', `PVE could not find what ${request} refers to.${said}`, {
      status,
    });
  }

  if (status === 501) {
    return new AppError('PVE_ERROR', `PVE does not support ${request} (501).${said}`, { status });
  }

  const message = reason
    ? `PVE could not complete ${request}: ${reason}`
    : `PVE could not complete ${request} (HTTP ${status}).`;
  return new AppError('PVE_ERROR', message, { status });
}

function authError(reason: string, status: number): AppError {
  // PVE says `permission denied - invalid PVE ticket` once a ticket has expired.
  if (/no ticket|invalid (?:PVE )?ticket|ticket (?:expired|invalid)/i.test(reason)) {
    return new AppError('SESSION_EXPIRED', 'Your PVE session has ended. Sign in again.', {
      status,
    });
  }
  if (/csrf/i.test(reason)) {
    return new AppError(
      'PVE_AUTH',
      'PVE did not accept the request as coming from this session (CSRF check). Sign in again.',
      { status },
    );
  }
  if (/authentication failure/i.test(reason)) {
    return new AppError(
      'PVE_AUTH',
      'Sign-in failed: the user name, password or realm is wrong (or the second factor). Check them and try again.',
      { status },
    );
  }
  const said = reason ? ` PVE said: ${reason}` : '';
  return new AppError('PVE_AUTH', `PVE did not accept the credentials. Sign in again.${said}`, {
    status,
  });
}

/** The parts of a PVE error body ProxDesk reads; anything malformed is left out. */
function readBody(text: string): { message?: string; errors?: Record<string, string> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const { message, errors } = json as { message?: unknown; errors?: unknown };
  const result: { message?: string; errors?: Record<string, string> } = {};
  if (typeof message === 'string') result.message = message;
  if (typeof errors === 'object' && errors !== null && !Array.isArray(errors)) {
    const fields: Record<string, string> = {};
    for (const [field, why] of Object.entries(errors)) {
      const text = typeof why === 'string' ? why : JSON.stringify(why);
      Object.assign(fields, fieldReasons(clean(field), text ?? ''));
    }
    if (Object.keys(fields).length > 0) result.errors = fields;
  }
  return result;
}

/**
 * One parameter's reason, split per option when PVE checked a property string. PVE then writes
 * `invalid format - format error` and one `<param>.<option>: <why>` line per bad option (the
 * simulator writes `invalid format - <option>: <why>`); each becomes its own `param.option` entry,
 * so a form can show it at the option's field. Any other reason stays whole under the parameter.
 */
function fieldReasons(param: string, raw: string): Record<string, string> {
  const options: Record<string, string> = {};
  const rest: string[] = [];
  const own = `${param.toLowerCase()}.`;
  for (const line of raw.split('\n').map((text) => text.trim())) {
    if (line === '') continue;
    const match = line.toLowerCase().startsWith(own)
      ? /^([a-z][a-z0-9-]*):\s*(.+)$/i.exec(line.slice(own.length))
      : /^invalid format - ([a-z][a-z0-9-]*):\s*(.+)$/i.exec(line);
    const [, option, why] = match ?? [];
    if (option === undefined || why === undefined) {
      rest.push(line);
      continue;
    }
    const key = `${param}.${option.toLowerCase()}`;
    options[key] = options[key] === undefined ? clean(why) : `${options[key]}; ${clean(why)}`;
  }
  if (Object.keys(options).length === 0) return { [param]: clean(raw) };
  const other = rest.filter((line) => !/^invalid format - format error$/i.test(line));
  return other.length > 0 ? { [param]: clean(other.join(' ')), ...options } : options;
}

/** One line of PVE text, with no credentials, no control characters and a bounded length. */
function clean(text: string): string {
  const printable = [...redactSecrets(text)]
    .map((char) => (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f ? ' ' : char))
    .join('');
  const line = printable.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Where a failed request was going. */
export interface TransportContext {
  url: string;
}

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'HOSTNAME_MISMATCH',
]);
const timeoutCodes = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Turns a network-level failure (undici, Node's net/tls/dns, an abort) into an AppError. The code
 * is looked for on the error and everything it wraps (`cause`, and `errors` of an AggregateError,
 * which Node raises when it tried several addresses).
 */
export function mapTransportError(error: unknown, context: TransportContext): AppError {
  if (error instanceof AppError) return error;
  const chain = unwrap(error);
  const host = hostOf(context.url);

  const pin = chain.find((item): item is PinMismatchError => item instanceof PinMismatchError);
  if (pin) {
    return new AppError(
      'CERT_MISMATCH',
      `${host} presented a different certificate from the one you trusted. This can mean the node's certificate was renewed, or that someone is intercepting the connection. Compare the fingerprint with the node's web UI before trusting it again.`,
      {
        pinnedFingerprint: pin.pinnedFingerprint,
        presentedFingerprint: pin.presentedFingerprint,
      },
    );
  }
  const nested = chain.find((item): item is AppError => item instanceof AppError);
  if (nested) return nested;

  for (const item of chain) {
    const mapped = mapOne(item, host);
    if (mapped) return mapped;
  }
  return new AppError(
    'INTERNAL',
    `Something unexpected went wrong while talking to ${host}. Try again; if it keeps happening, check the logs.`,
  );
}

function mapOne(item: unknown, host: string): AppError | null {
  if (item instanceof TransportTimeoutError) return timeout(host);
  const code = readString(item, 'code');
  const name = readString(item, 'name');

  if (name === 'AbortError' || name === 'TimeoutError') return timeout(host);
  if (code === undefined) return null;
  if (timeoutCodes.has(code)) return timeout(host);
  switch (code) {
    case 'ECONNREFUSED':
      return unreachable(
        `${host} refused the connection. Check the address and port (PVE listens on 8006) and that the node is running.`,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return unreachable(`There is no network route to ${host}. Check your network or VPN.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unreachable(`The name ${host} could not be found (DNS). Check the address.`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return unreachable(`The connection to ${host} was closed unexpectedly. Try again.`);
    default:
      break;
  }
  if (tlsCodes.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('CERT_')) {
    return new AppError(
      'TLS_ERROR',
      `A secure connection to ${host} could not be set up (${code}). Check the address, and the node's certificate in its web UI.`,
    );
  }
  return null;
}

function timeout(host: string): AppError {
  return new AppError('PVE_TIMEOUT', `${host} did not answer in time. Try again in a moment.`);
}

function unreachable(message: string): AppError {
  return new AppError('PVE_UNREACHABLE', message);
}

/** The error and everything it wraps, outermost first, each once. */
function unwrap(error: unknown): unknown[] {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 32) {
    const item = queue.shift();
    if (item === undefined || item === null || seen.has(item)) continue;
    seen.add(item);
    if (typeof item !== 'object') continue;
    const { cause, errors } = item as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return [...seen];
}

function readString(item: unknown, field: 'code' | 'name'): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const value = (item as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** The host and port of an address, for messages; never its path or query. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'the cluster';
  } catch {
    return 'the cluster';
  }
}
