import type { TaskOutcome } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { PveApi } from '../pve/api';
import { mapPveResponse } from '../pve/errors';
import { followTask, type TaskProgress } from '../pve/tasks';

// A change that PVE runs as a task: send it, follow it, and decide when its quota reservation
// may go. The rule: a reservation is released only once the outcome is certain. PVE answering
// the request with an error is certain (nothing started); a task that stopped is certain. Losing
// contact after the request may have reached PVE is not: the change may still happen, so the
// reservation stays while ProxDesk keeps following the task in the background.

/** How long a task whose outcome is unknown keeps its reservation while it is followed. */
export const unknownOutcomeHoldMs = 60 * 60_000;

/** Follows tasks in the background; stops them all on sign-out and on close. */
export class BackgroundTasks {
  private controller = new AbortController();

  /** The signal background work must honour. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops every background follower; their reservations are released. */
  abortAll(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }
}

/** What a tracked task needs from the core. */
export interface TrackedTaskContext {
  api: PveApi;
  log: Logger;
  now: () => number;
  background: BackgroundTasks;
  deadlineMs: number;
  pollMinMs: number;
  onProgress: (progress: TaskProgress) => void;
  /** Releases the reservation (and drops any cached usage first). Called exactly once. */
  release: () => void;
}

/** A sleep that ends early when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}

/** Whether an error means PVE answered the request and so did not start it. */
function isDefiniteRefusal(error: unknown): boolean {
  const status = error instanceof AppError ? error.details?.status : undefined;
  // 595/596 come from PVE's proxy when it lost the node behind it: the request may have arrived.
  return status !== undefined && status !== 595 && status !== 596;
}

/** The error for a task that stopped with a failure, keeping PVE's conflict and lock meaning. */
export function taskFailure(what: string, outcome: TaskOutcome): AppError {
  const mapped = mapPveResponse({
    status: 500,
    statusText: '',
    body: JSON.stringify({ data: null, message: outcome.exitStatus }),
    method: 'TASK',
    path: what,
  });
  if (mapped.code === 'CONFLICT' || mapped.code === 'LOCKED') {
    return new AppError(mapped.code, mapped.message, { upid: outcome.upid });
  }
  return new AppError('TASK_FAILED', `PVE could not ${what}: ${outcome.exitStatus}`, {
    upid: outcome.upid,
  });
}

function outcomeUnknown(what: string, cause: unknown, upid?: string): AppError {
  const reason = cause instanceof AppError ? ` (${cause.message})` : '';
  return new AppError(
    'OUTCOME_UNKNOWN',
    `ProxDesk lost contact with PVE after asking it to ${what}${reason}. The change may still happen, so its quota stays reserved; check the guest before trying again.`,
    upid === undefined ? undefined : { upid },
  );
}

/** Follows a task until it stops, retrying lost contact, until the hold ends or sign-out. */
async function settleInBackground(
  upid: string,
  context: TrackedTaskContext,
  signal: AbortSignal,
): Promise<void> {
  const holdUntil = context.now() + unknownOutcomeHoldMs;
  while (!signal.aborted && context.now() < holdUntil) {
    try {
      await followTask(context.api, upid, {
        deadlineMs: holdUntil - context.now(),
        maxIntervalMs: 10_000,
        now: context.now,
        signal,
      });
      return;
    } catch (error) {
      // A session PVE no longer accepts cannot follow anything; live usage takes over from here.
      const final = ['TASK_TIMEOUT', 'SESSION_EXPIRED', 'PVE_AUTH', 'CERT_MISMATCH'];
      if (signal.aborted || (error instanceof AppError && final.includes(error.code))) return;
      await pause(5_000, signal);
    }
  }
}

/**
 * Sends a change that PVE answers with a task id, follows the task to its end and returns its
 * outcome. Throws TASK_FAILED (or CONFLICT / LOCKED) for a task that failed, TASK_TIMEOUT or
 * OUTCOME_UNKNOWN when the outcome is not known yet. Releases the reservation per the rule above.
 */
export async function runTrackedTask(
  what: string,
  send: () => Promise<string>,
  context: TrackedTaskContext,
): Promise<TaskOutcome> {
  const release = once(context.release);
  // Taken once: a sign-out replaces the background signal, and this task must see the old one end.
  const signal = context.background.signal;
  let upid: string;
  try {
    upid = await send();
  } catch (error) {
    if (isDefiniteRefusal(error)) {
      release();
      throw error;
    }
    // No task id to follow: hold the reservation for a while, then let live usage take over.
    context.log.warn(`lost contact while asking PVE to ${what}; holding its reservation`);
    void pause(context.deadlineMs, signal).then(release);
    throw outcomeUnknown(what, error);
  }

  let outcome: TaskOutcome;
  try {
    outcome = await followTask(context.api, upid, {
      deadlineMs: context.deadlineMs,
      minIntervalMs: context.pollMinMs,
      now: context.now,
      signal,
      onProgress: context.onProgress,
    });
  } catch (error) {
    context.log.warn(`stopped following ${upid} in the foreground; following it in the background`);
    void settleInBackground(upid, context, signal).finally(release);
    if (error instanceof AppError && error.code === 'TASK_TIMEOUT') throw error;
    throw outcomeUnknown(what, error, upid);
  }
  release();
  if (outcome.status === 'failed') throw taskFailure(what, outcome);
  return outcome;
}

/**
 * Sends a synchronous change (a config write PVE answers directly) and decides when its
 * reservation may go: at once when PVE answered, after a hold when contact was lost and the write
 * may have been applied. Throws OUTCOME_UNKNOWN in that case.
 */
export async function runTrackedWrite(
  what: string,
  send: () => Promise<void>,
  context: Pick<TrackedTaskContext, 'log' | 'background' | 'deadlineMs' | 'release'>,
): Promise<void> {
  const release = once(context.release);
  const signal = context.background.signal;
  try {
    await send();
  } catch (error) {
    if (isDefiniteRefusal(error)) {
      release();
      throw error;
    }
    context.log.warn(`lost contact while asking PVE to ${what}; holding its reservation`);
    void pause(context.deadlineMs, signal).then(release);
    throw outcomeUnknown(what, error);
  }
  release();
}
