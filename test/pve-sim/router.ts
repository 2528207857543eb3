import type { SimRuntime } from './runtime.js';

// The simulator's endpoint table: each route names its method and PVE path template, whether it
// needs a ticket, and the permission PVE checks before it looks at the parameters.

/** HTTP methods PVE's API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a handler sees of a request. */
export interface RequestContext {
  method: HttpMethod;
  /** The decoded path without `/api2/json`. */
  path: string;
  pathParams: Record<string, string>;
  /** Query and body parameters, merged. */
  params: Record<string, unknown>;
  /** The signed-in user, or null on a public endpoint. */
  userid: string | null;
  runtime: SimRuntime;
  /** The node whose listener read the request; null when one listener serves every node. */
  servedBy?: string | null;
}

/** A handler's answer: the `data` value, any extra top-level fields (`total`), and who signed in. */
export interface RouteResult {
  data: unknown;
  extra?: Record<string, unknown>;
  /** Set by the login endpoint so the request is recorded under the user who signed in. */
  userid?: string;
}

/** One simulated endpoint. */
export interface Route {
  method: HttpMethod;
  template: string;
  /** `ticket` routes take a ticket cookie or an API token. */
  auth: 'public' | 'ticket';
  /** False where PVE refuses API tokens (`/access/ticket`). */
  tokens?: false;
  /** The endpoint's declared permission, checked after authentication and before parameters. */
  permission?: (ctx: RequestContext) => void;
  handle(ctx: RequestContext): RouteResult | Promise<RouteResult>;
}

/** A route matched to a request, with its path parameters. */
export interface RouteMatch {
  route: Route;
  pathParams: Record<string, string>;
}

/** Finds the route for a method and decoded path segments; literal segments beat parameters. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  segments: string[],
): RouteMatch | null {
  let best: { match: RouteMatch; literals: number } | null = null;
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.template.split('/').filter((part) => part !== '');
    if (parts.length !== segments.length) continue;
    const pathParams: Record<string, string> = {};
    let literals = 0;
    const fits = parts.every((part, index) => {
      const segment = segments[index] ?? '';
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name === undefined) {
        literals += 1;
        return part === segment;
      }
      pathParams[name] = segment;
      return segment !== '';
    });
    if (fits && (!best || literals > best.literals))
      best = { match: { route, pathParams }, literals };
  }
  return best?.match ?? null;
}

/** Whether a route is served by a particular node (its template has `{node}`), as PVE proxies those. */
export function isNodeRoute(route: Route): boolean {
  return route.template.startsWith('/nodes/{node}/');
}
