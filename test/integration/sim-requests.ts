import type { Lab } from './lab';

// What a lab's simulator received, in the short forms the request-count assertions compare.

/** Writes (POST, PUT, DELETE) sent since request `from`, as `METHOD /path`. */
export function writesSince(lab: Lab, from: number): string[] {
  return lab.sim.requests
    .slice(from)
    .filter((request) => request.method !== 'GET')
    .map((request) => `${request.method} ${request.path}`);
}

/**
 * Requests since `from`, as `METHOD /path`. Following a task polls its status and log a number
 * of times that depends on timing, so one run of polls is shown as one `poll` line.
 */
export function requestsSince(lab: Lab, from: number): string[] {
  const lines = lab.sim.requests.slice(from).map((request) => {
    const polled = /^(\/nodes\/[^/]+\/tasks\/)UPID:[^/]+\/(status|log)$/.exec(request.path);
    return polled ? `poll ${polled[1] ?? ''}<upid>` : `${request.method} ${request.path}`;
  });
  return lines.filter((line, index) => !(line.startsWith('poll ') && lines[index - 1] === line));
}
