import { AppError, isAppError } from '../../../shared/errors';
import type { TaskSummary } from '../../../shared/operation-schemas';
import type { PveApi } from '../../pve/api';
import type { NodeTask } from '../../pve/api-schemas';
import { isNodeNotReached } from '../../pve/errors';
import { classifyExitStatus, nodeOfUpid } from '../../pve/tasks';
import type { UserLimits } from '../../quota/limits';
import type { HandlerGroup } from '../context';
import { isGuestRow, isOwned } from '../ownership';

/** How many tasks the list shows. */
const listLength = 50;
/**
 * Rows read per node. A user with Sys.Audit sees every task of the node, most of them on other
 * people's guests, so more rows are read than are shown.
 */
const rowsPerNode = 500;
/** Log lines read at most; PVE pages them 500 at a time. */
const maxLogLines = 5_000;
const logPage = 500;

/** The guest a task is about: PVE puts the vmid in the UPID's id field for guest tasks. */
function vmidOfTaskId(id: string | undefined): number | null {
  return id !== undefined && /^[1-9]\d{2,8}$/.test(id) ? Number(id) : null;
}

/** The ids of the guests in the user's pools and the nodes they are on. */
async function ownedGuests(
  api: PveApi,
  limits: UserLimits,
): Promise<{ vmids: Set<number>; nodes: string[] }> {
  const owned = (await api.guests()).filter(isGuestRow).filter((row) => isOwned(row, limits));
  return {
    vmids: new Set(owned.map((row) => row.vmid)),
    nodes: [...new Set(owned.map((row) => row.node))].sort(),
  };
}

/** Whether PVE could not reach the node (595 from the node's proxy, 596 from another node's). */
function isUnreachable(error: unknown): boolean {
  return isAppError(error, 'PVE_UNREACHABLE') || isNodeNotReached(error);
}

function toSummary(task: NodeTask): TaskSummary {
  // In the task list, `status` holds the exit text once the task has stopped, and is absent
  // while it runs.
  const exitStatus = task.status !== undefined && task.status !== '' ? task.status : null;
  return {
    upid: task.upid,
    node: task.node,
    type: task.type,
    vmid: vmidOfTaskId(task.id),
    user: task.user,
    startedAt: task.starttime,
    endedAt: task.endtime ?? null,
    state: exitStatus === null ? 'running' : classifyExitStatus(exitStatus),
    exitStatus,
  };
}

/** The task list and task logs of the user's guests. */
export const taskHandlers: HandlerGroup<'task:list' | 'task:log'> = {
  'task:list': async (_input, { sessions, quota, log }) => {
    const { api, userid } = await sessions.api();
    const { vmids, nodes } = await ownedGuests(api, await quota.limitsFor(api, userid));
    const perNode = await Promise.all(
      nodes.map(async (node) => {
        try {
          return await api.nodeTasks(node, { source: 'all', limit: rowsPerNode });
        } catch (error) {
          // An offline node has no task list to give; the other nodes' tasks still show.
          if (!isUnreachable(error)) throw error;
          log.warn(`task list of ${node} skipped: the node is not reachable`);
          return [];
        }
      }),
    );
    return perNode
      .flat()
      .map(toSummary)
      .filter((task) => task.vmid !== null && vmids.has(task.vmid))
      .sort((a, b) => b.startedAt - a.startedAt || b.upid.localeCompare(a.upid))
      .slice(0, listLength);
  },

  'task:log': async ({ upid }, { sessions, quota }) => {
    const { api, userid } = await sessions.api();
    const node = nodeOfUpid(upid);
    const vmid = vmidOfTaskId(upid.split(':')[6]);
    const { vmids } = await ownedGuests(api, await quota.limitsFor(api, userid));
    if (vmid === null || !vmids.has(vmid)) {
      throw new AppError(
        'NOT_OWNED',
        'That task is not about one of the guests in your pools, so ProxDesk does not show it.',
      );
    }

    const status = await api.taskStatus(node, upid);
    const lines: { n: number; text: string }[] = [];
    let truncated = false;
    for (let start = 0; ; start += logPage) {
      const page = await api.taskLog(node, upid, start);
      for (const line of page) {
        if (line.t !== 'no content') lines.push({ n: line.n, text: line.t });
      }
      if (page.length < logPage) break;
      if (lines.length >= maxLogLines) {
        truncated = true;
        break;
      }
    }
    return {
      upid,
      node,
      running: status.status === 'running',
      exitStatus: status.status === 'stopped' ? (status.exitstatus ?? 'unknown') : null,
      lines,
      truncated,
    };
  },
};
