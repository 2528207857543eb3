import type { EventPayload } from '../../../shared/contract';

/** One PVE task as the renderer has seen it through `task:progress` events. */
export interface TaskRecord {
  upid: string;
  node: string;
  state: 'running' | 'stopped';
  /** Every log line received so far, oldest first (capped at the feed's line limit). */
  lines: readonly string[];
  exitStatus: string | null;
  /** Order in which the feed first saw this task; compare with a mark from `mark()`. */
  seenAt: number;
}

/** A snapshot of the feed; a new object whenever anything changed. */
export interface TaskFeedSnapshot {
  tasks: readonly TaskRecord[];
}

/** Collects task progress events so views can show the log of the call they started. */
export interface TaskFeed {
  push: (event: EventPayload<'task:progress'>) => void;
  /** A position in the feed; tasks first seen after it have a greater `seenAt`. */
  mark: () => number;
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => TaskFeedSnapshot;
}

/** Limits that keep a long-running app from growing without bound. */
export interface TaskFeedLimits {
  maxTasks: number;
  maxLinesPerTask: number;
}

const defaultLimits: TaskFeedLimits = { maxTasks: 50, maxLinesPerTask: 500 };

/** Creates an empty task feed. */
export function createTaskFeed(limits: TaskFeedLimits = defaultLimits): TaskFeed {
  let snapshot: TaskFeedSnapshot = { tasks: [] };
  let counter = 0;
  const listeners = new Set<() => void>();

  function push(event: EventPayload<'task:progress'>): void {
    const existing = snapshot.tasks.find((task) => task.upid === event.upid);
    let tasks: TaskRecord[];
    if (existing) {
      const updated: TaskRecord = {
        ...existing,
        state: event.state,
        lines: [...existing.lines, ...event.lines].slice(-limits.maxLinesPerTask),
        exitStatus: event.exitStatus,
      };
      tasks = snapshot.tasks.map((task) => (task === existing ? updated : task));
    } else {
      counter += 1;
      const created: TaskRecord = {
        upid: event.upid,
        node: event.node,
        state: event.state,
        lines: event.lines.slice(-limits.maxLinesPerTask),
        exitStatus: event.exitStatus,
        seenAt: counter,
      };
      tasks = [...snapshot.tasks, created].slice(-limits.maxTasks);
    }
    snapshot = { tasks };
    for (const listener of listeners) listener();
  }

  return {
    push,
    mark: () => counter,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
  };
}

/** What a view knows about the task it is waiting for. */
export interface TaskSelector {
  node: string;
  /** The feed's mark taken just before the call started. */
  since: number;
  /** The task's id, once the call has returned it. */
  upid?: string | null;
}

/**
 * The task a call in flight is running: the one with the given upid if known, otherwise the
 * newest task on the node that first appeared after the call started. Main only reports the upid
 * when the call ends, so during the call the node and the start mark are all there is to go on.
 */
export function selectTask(snapshot: TaskFeedSnapshot, selector: TaskSelector): TaskRecord | null {
  const { upid } = selector;
  if (upid) return snapshot.tasks.find((task) => task.upid === upid) ?? null;
  let newest: TaskRecord | null = null;
  for (const task of snapshot.tasks) {
    if (task.node !== selector.node || task.seenAt <= selector.since) continue;
    if (newest === null || task.seenAt > newest.seenAt) newest = task;
  }
  return newest;
}
