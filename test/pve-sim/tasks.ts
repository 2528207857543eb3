import type { SimFaults } from './faults.js';
import type { SimState, TaskRecord } from './state.js';

// Asynchronous tasks. A task logs its first line at once, the rest spread over its run, and after
// `durationMs` applies its effect and stops with OK, WARNINGS: n, or the error. Faults decide at
// the start whether a task will fail, warn or never end.

/** What a handler asks the runner to do. */
export interface TaskSpec {
  node: string;
  type: string;
  id: string;
  user: string;
  /** Log lines written while the task runs, the first one immediately. */
  progress: string[];
  /** Applies the task's effect at its end; throws to fail the task; returns warning lines. */
  finish: () => string[];
  /** Undoes what the request did before the task started, when the task fails. */
  undo?: () => void;
}

/** Starts tasks and stops their timers on close. */
export interface TaskRunner {
  start(spec: TaskSpec): TaskRecord;
  close(): void;
}

/** The parts of a UPID. */
export interface UpidParts {
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
}

const upidPattern =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** Splits a UPID into its parts, or null when it is not one. */
export function parseUpid(upid: string): UpidParts | null {
  const m = upidPattern.exec(upid);
  if (!m) return null;
  return {
    node: m[1] ?? '',
    pid: parseInt(m[3] ?? '', 16),
    pstart: parseInt(m[4] ?? '', 16),
    starttime: parseInt(m[5] ?? '', 16),
    type: m[6] ?? '',
    id: m[7] ?? '',
    user: m[8] ?? '',
  };
}

function hex8(value: number): string {
  return value.toString(16).toUpperCase().padStart(8, '0');
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim() || 'task failed';
}

/** Creates a task runner that records tasks in `state.tasks`. */
export function createTaskRunner(options: {
  state: SimState;
  faults: SimFaults;
  durationMs: number;
  nowMs: () => number;
}): TaskRunner {
  const { state, faults, durationMs, nowMs } = options;
  const timers = new Set<NodeJS.Timeout>();
  let nextPid = 0x2f41a;
  let nextPstart = 0x1c9e3a0;

  const later = (delayMs: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timer.unref();
    timers.add(timer);
  };

  return {
    start(spec) {
      const pid = nextPid++;
      const pstart = (nextPstart += 17);
      const starttime = Math.floor(nowMs() / 1000);
      const upid = `UPID:${spec.node}:${hex8(pid)}:${hex8(pstart)}:${hex8(starttime)}:${spec.type}:${spec.id}:${spec.user}:`;
      const task: TaskRecord = {
        upid,
        node: spec.node,
        pid,
        pstart,
        starttime,
        type: spec.type,
        id: spec.id,
        user: spec.user,
        status: 'running',
        exitstatus: null,
        log: [],
      };
      state.tasks.set(upid, task);

      const failure = faults.failNextTask;
      const extraWarnings = faults.warnNextTask ?? 0;
      const hang = faults.hangTasks === true;
      delete faults.failNextTask;
      delete faults.warnNextTask;

      const [first, ...rest] = spec.progress;
      if (first !== undefined) task.log.push(first);
      rest.forEach((line, index) => {
        later(((index + 1) * durationMs) / (rest.length + 1), () => task.log.push(line));
      });
      if (hang) return task;

      later(durationMs, () => {
        try {
          if (failure !== undefined) throw new Error(failure);
          const warnings = spec.finish();
          for (let i = 0; i < extraWarnings; i += 1) warnings.push(`simulated warning ${i + 1}`);
          for (const warning of warnings) task.log.push(`WARN: ${warning}`);
          task.exitstatus = warnings.length > 0 ? `WARNINGS: ${warnings.length}` : 'OK';
          task.log.push(warnings.length > 0 ? `TASK WARNINGS: ${warnings.length}` : 'TASK OK');
        } catch (error) {
          const message = errorText(error);
          spec.undo?.();
          task.exitstatus = message;
          task.log.push(`TASK ERROR: ${message}`);
        }
        task.endtime = Math.floor(nowMs() / 1000);
        task.status = 'stopped';
      });
      return task;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
