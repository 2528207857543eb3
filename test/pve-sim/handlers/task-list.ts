import { hasPrivileges } from '../acl.js';
import { ParamReader } from '../params.js';
import type { RequestContext, Route, RouteResult } from '../router.js';
import type { TaskRecord } from '../state.js';

// `GET /nodes/{node}/tasks`: a node's tasks, newest first. As in PVE, a user sees their own tasks,
// or every task of the node with Sys.Audit on it; by default (`source=archive`) only tasks that
// have finished are listed, and a finished task's `status` holds its exit text (`OK`,
// `WARNINGS: 1`, the error), not `stopped`.

function row(task: TaskRecord): Record<string, unknown> {
  return {
    upid: task.upid,
    node: task.node,
    pid: task.pid,
    pstart: task.pstart,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    user: task.user,
    ...(task.status === 'stopped' && task.exitstatus !== null ? { status: task.exitstatus } : {}),
    ...(task.endtime !== undefined ? { endtime: task.endtime } : {}),
  };
}

function isError(task: TaskRecord): boolean {
  return (
    task.exitstatus !== null && task.exitstatus !== 'OK' && !/^WARNINGS: /.test(task.exitstatus)
  );
}

function list(ctx: RequestContext): RouteResult {
  const p = new ParamReader(ctx.params);
  const start = p.integer('start', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = p.integer('limit', 0, Number.MAX_SAFE_INTEGER) ?? 50;
  const vmid = p.integer('vmid', 100, 999_999_999);
  const since = p.integer('since', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const until = p.integer('until', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const source = p.text('source', { values: ['archive', 'active', 'all'] }) ?? 'archive';
  const errors = p.text('errors', { pattern: /^(1|true|yes|on|0|false|no|off)$/i });
  const userfilter = p.text('userfilter');
  const typefilter = p.text('typefilter');
  p.done();

  const { state } = ctx.runtime;
  const node = ctx.pathParams.node ?? '';
  const userid = ctx.userid ?? '';
  const audit = hasPrivileges(state, userid, `/nodes/${node}`, ['Sys.Audit']);
  const onlyErrors = errors !== undefined && /^(1|true|yes|on)$/i.test(errors);

  const tasks = [...state.tasks.values()]
    .filter((task) => task.node === node && (audit || task.user === userid))
    .filter((task) =>
      source === 'all'
        ? true
        : source === 'active'
          ? task.status === 'running'
          : task.status === 'stopped',
    )
    .filter((task) => vmid === undefined || task.id === String(vmid))
    .filter((task) => since === undefined || task.starttime >= since)
    .filter((task) => until === undefined || task.starttime <= until)
    .filter((task) => userfilter === undefined || task.user.includes(userfilter))
    .filter((task) => typefilter === undefined || task.type === typefilter)
    .filter((task) => !onlyErrors || isError(task))
    // Newest first; tasks started in the same second keep the order they were started in, reversed.
    .sort((a, b) => b.starttime - a.starttime || b.pid - a.pid);

  return { data: tasks.slice(start, start + limit).map(row), extra: { total: tasks.length } };
}

/** The route of a node's task list. */
export const taskListRoutes: Route[] = [
  { method: 'GET', template: '/nodes/{node}/tasks', auth: 'ticket', handle: list },
];
