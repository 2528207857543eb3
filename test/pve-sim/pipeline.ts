import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, authError, parameterError } from './api-error.js';
import { takeStatusOverride } from './faults.js';
import { requireReachableNode } from './guests.js';
import { isNodeRoute, matchRoute, type HttpMethod, type Route } from './router.js';
import type { SimRuntime } from './runtime.js';
import { checkRequest, issuesToErrors, type SchemaIssue } from './schema-check.js';

// What happens to one API request, in PVE's order: route lookup (501), authentication and CSRF
// (401), the node the request is proxied to, the endpoint's declared permission (403), parameter
// verification against the official schema (400), then the handler.

/** A request as the transport read it. */
export interface ApiRequest {
  method: string;
  /** The URL path, still percent-encoded. */
  rawPath: string;
  /** Query and body parameters, merged (body wins). */
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** Why the body could not be read (bad JSON, too large), if it could not. */
  bodyError?: string;
  /** The node whose listener read the request, when each node has its own. */
  servedBy?: string;
}

/** The answer to write back, and what to record about it. */
export interface ApiResponse {
  status: number;
  reason: string;
  /** JSON text, or null for PVE's bodiless 401. */
  body: string | null;
  /** The decoded path without `/api2/json`. */
  path: string;
  userid: string | null;
  /** Schema problems found in this request (empty when it passed or schema checking is off). */
  violations: SchemaIssue[];
}

const apiBase = '/api2/json';
const httpMethods: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];

function cookieTicket(headers: IncomingHttpHeaders): string | null {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== 'PVEAuthCookie') continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return rest.join('=');
    }
  }
  return null;
}

/** The `PVEAPIToken=<user>@<realm>!<id>=<secret>` header split up, or null when there is none. */
function apiToken(headers: IncomingHttpHeaders): { tokenid: string; secret: string } | null {
  const value = headers.authorization;
  if (typeof value !== 'string' || !value.startsWith('PVEAPIToken=')) return null;
  const rest = value.slice('PVEAPIToken='.length);
  const split = rest.indexOf('=');
  if (split < 0) return { tokenid: rest, secret: '' };
  return { tokenid: rest.slice(0, split), secret: rest.slice(split + 1) };
}

/** The token id (`user@realm!id`) when the token exists, its user is enabled and the secret matches. */
function authenticateToken(
  runtime: SimRuntime,
  token: { tokenid: string; secret: string },
): string {
  const bang = token.tokenid.indexOf('!');
  const user = bang > 0 ? runtime.state.users.get(token.tokenid.slice(0, bang)) : undefined;
  const known = user?.tokens.find((candidate) => candidate.id === token.tokenid.slice(bang + 1));
  const secretOk =
    known !== undefined &&
    Buffer.byteLength(known.secret) === Buffer.byteLength(token.secret) &&
    timingSafeEqual(Buffer.from(known.secret), Buffer.from(token.secret));
  if (!user?.enabled || !secretOk) throw authError('permission denied - invalid API token');
  // API tokens are exempt from the CSRF check.
  return token.tokenid;
}

function authenticate(runtime: SimRuntime, method: string, headers: IncomingHttpHeaders): string {
  const token = apiToken(headers);
  if (token) return authenticateToken(runtime, token);
  const ticket = cookieTicket(headers);
  if (ticket === null || ticket === '') throw authError('No ticket');
  const userid = runtime.tickets.verify(ticket);
  if (userid === null || runtime.state.users.get(userid)?.enabled !== true) {
    throw authError('permission denied - invalid PVE ticket');
  }
  const csrf = headers.csrfpreventiontoken;
  if (method !== 'GET' && (typeof csrf !== 'string' || !runtime.tickets.verifyCsrf(csrf, userid))) {
    throw authError('Permission denied - invalid csrf token');
  }
  return userid;
}

function decodeSegments(rawPath: string): string[] {
  try {
    return rawPath
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw new ApiError(400, 'malformed percent-encoding in the request path');
  }
}

function reasonOf(message: string): string {
  const line = message.trim().split('\n')[0] ?? '';
  // A reason phrase may only hold visible characters and spaces.
  return line.replace(/[^\t\x20-\x7e]/g, ' ') || 'error';
}

function errorResponse(error: unknown): Pick<ApiResponse, 'status' | 'reason' | 'body'> {
  const apiError = error instanceof ApiError ? error : null;
  const status = apiError?.status ?? 500;
  const message = error instanceof Error ? error.message : 'internal error';
  if (apiError?.emptyBody) return { status, reason: reasonOf(message), body: null };
  const body: Record<string, unknown> = { data: null };
  if (apiError?.errors) body.errors = apiError.errors;
  body.message = `${message.trimEnd()}\n`;
  return { status, reason: reasonOf(message), body: JSON.stringify(body) };
}

/** Serves one API request against the routes and the runtime's state. */
export async function handleApiRequest(
  runtime: SimRuntime,
  routes: readonly Route[],
  request: ApiRequest,
): Promise<ApiResponse> {
  const method = request.method.toUpperCase();
  const inBase = request.rawPath === apiBase || request.rawPath.startsWith(`${apiBase}/`);
  const rawRest = inBase ? request.rawPath.slice(apiBase.length) : request.rawPath;
  let path = rawRest || '/';
  let userid: string | null = null;
  let violations: SchemaIssue[] = [];
  try {
    const segments = decodeSegments(rawRest);
    path = `/${segments.join('/')}`;
    if (request.bodyError !== undefined) throw new ApiError(400, request.bodyError);
    const override = takeStatusOverride(runtime.faults, method, path);
    if (override) {
      throw new ApiError(override.status, override.message, { errors: override.errors });
    }

    const found =
      inBase && httpMethods.includes(method) ? matchRoute(routes, method, segments) : null;
    if (!found) throw new ApiError(501, `Method '${method} ${path}' not implemented`);
    const { route, pathParams } = found;
    if (route.tokens === false && apiToken(request.headers)) {
      throw authError('API tokens are not allowed on this path');
    }
    if (route.auth === 'ticket') userid = authenticate(runtime, method, request.headers);
    if (isNodeRoute(route)) requireReachableNode(runtime.state, pathParams.node ?? '');
    const ctx = {
      method: method as HttpMethod,
      path,
      pathParams,
      params: request.params,
      userid,
      runtime,
      servedBy: request.servedBy ?? null,
    };
    route.permission?.(ctx);
    if (runtime.schema) {
      violations = checkRequest(runtime.schema, method, segments, request.params).issues;
      if (violations.length > 0) throw parameterError(issuesToErrors(violations));
    }
    const result = await route.handle(ctx);
    userid = result.userid ?? userid;
    const body = JSON.stringify({ data: result.data ?? null, ...(result.extra ?? {}) });
    return { status: 200, reason: 'OK', body, path, userid, violations };
  } catch (error) {
    return { ...errorResponse(error), path, userid, violations };
  }
}
