import { hasPrivileges } from '../acl.js';
import { permissionError, serverError } from '../api-error.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import type { TaskRecord } from '../state.js';
import { parseUpid } from '../tasks.js';

// Task status and log. A user may read their own tasks; other users' tasks need Sys.Audit on
// the node.

function requireTask(ctx: RequestContext): TaskRecord {
  const upid = ctx.pathParams.upid ?? '';
  const node = ctx.pathParams.node ?? '';
  if (!parseUpid(upid)) throw serverError(`unable to parse worker upid '${upid}'`);
  const task = ctx.runtime.state.tasks.get(upid);
  if (!task || task.node !== node) throw serverError('no such task');
  const userid = ctx.userid ?? '';
  if (
    task.user !== userid &&
    !hasPrivileges(ctx.runtime.state, userid, `/nodes/${node}`, ['Sys.Audit'])
  ) {
    throw permissionError(`/nodes/${node}`, ['Sys.Audit']);
  }
  return task;
}

function status(ctx: RequestContext): RouteResult {
  const task = requireTask(ctx);
  return {
    data: {
      upid: task.upid,
      node: task.node,
      pid: task.pid,
      pstart: task.pstart,
      starttime: task.starttime,
      type: task.type,
      id: task.id,
      user: task.user,
      status: task.status,
      ...(task.exitstatus !== null ? { exitstatus: task.exitstatus } : {}),
    },
  };
}

function log(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const start = p.integer('start', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = p.integer('limit', 0, Number.MAX_SAFE_INTEGER) ?? 50;
  p.done();
  const task = requireTask(ctx);
  const lines = task.log.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
  return { data: lines, extra: { total: task.log.length } };
}

/** Routes under /nodes/{node}/tasks. */
export const taskRoutes: Route[] = [
  { method: 'GET', template: '/nodes/{node}/tasks/{upid}/status', auth: 'ticket', handle: status },
  { method: 'GET', template: '/nodes/{node}/tasks/{upid}/log', auth: 'ticket', handle: log },
];
