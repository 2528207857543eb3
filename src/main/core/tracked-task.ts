import type { TaskOutcome } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { PveApi } from '../pve/api';
import { mapPveResponse } from '../pve/errors';
import { followTask, type TaskProgress } from '../pve/tasks';
import {
  BackgroundTasks,
  extendHold,
  pause,
  unknownOutcomeHoldMs,
  type TaskOwner,
} from './background-tasks';

export { BackgroundTasks };

// A change that PVE runs as a task: send it, follow it, and decide when its quota reservation
// may go. The rule: a reservation is released only once the outcome is certain. PVE answering
// the request with an error is certain (nothing started); a task that stopped is certain. Losing
// contact after the request may have reached PVE is not: the change may still happen, so the
// reservation stays while ProxDesk keeps following the task in the background, and across a
// sign-out until the same user signs in again (see background-tasks.ts).

/** What a tracked task needs from the core. */
export interface TrackedTaskContext {
  api: PveApi;
  /** Whose change it is, so a task still unsettled at sign-out is followed again at sign-in. */
  owner: TaskOwner;
  log: Logger;
  now: () => number;
  background: BackgroundTasks;
  deadlineMs: number;
  pollMinMs: number;
  /** See FollowOptions.contactLostGraceMs. */
  contactLostGraceMs: number;
  onProgress: (progress: TaskProgress) => void;
  /** Releases the reservation (and drops any cached usage first). Called exactly once. */
  release: () => void;
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
  // PVE's proxy passes on its HTTP client's own statuses when forwarding to another node fails:
  // 595 while connecting (nothing was forwarded, so the node never saw the request); 596 while
  // sending it or reading the answer's head, and 597 while reading the body: it may have arrived.
  return status !== undefined && status !== 596 && status !== 597;
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
    // The status was made up for the mapping; the fields it names (a taken id) are kept.
    const fields = mapped.details?.fields;
    const { upid } = outcome;
    return new AppError(mapped.code, mapped.message, fields ? { fields, upid } : { upid });
  }
  return new AppError('TASK_FAILED', `PVE could not ${what}: ${outcome.exitStatus}`, {
    upid: outcome.upid,
  });
}

function outcomeUnknown(what: string, cause: unknown, upid?: string): AppError {
  const reason = cause instanceof AppError ? ` (${cause.message})` : '';
  return new AppError(
    'OUTCOME_UNKNOWN',
    `ProxDesk asked PVE to ${what} but could not learn the outcome${reason}. The change may still happen, so its quota stays reserved; check the guest before trying again.`,
    upid === undefined ? undefined : { upid },
  );
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
  // Pushed back by every answer that the task is still running (see background-tasks.ts).
  const hold = { holdUntil: context.now() + unknownOutcomeHoldMs };
  let upid: string;
  try {
    upid = await send();
  } catch (error) {
    if (isDefiniteRefusal(error)) {
      release();
      throw error;
    }
    holdWithoutTask(what, context, release);
    throw outcomeUnknown(what, error);
  }

  let outcome: TaskOutcome;
  try {
    outcome = await followTask(context.api, upid, {
      deadlineMs: context.deadlineMs,
      minIntervalMs: context.pollMinMs,
      contactLostGraceMs: context.contactLostGraceMs,
      now: context.now,
      signal,
      onProgress: (progress) => {
        if (progress.state === 'running') extendHold(hold, context.now());
        context.onProgress(progress);
      },
    });
  } catch (error) {
    context.log.warn(`stopped following ${upid} in the foreground; following it in the background`);
    const task = { owner: context.owner, upid, what, holdUntil: hold.holdUntil, release };
    context.background.settle(task, context.api, signal, context);
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
  try {
    await send();
  } catch (error) {
    if (isDefiniteRefusal(error)) {
      release();
      throw error;
    }
    holdWithoutTask(what, context, release);
    throw outcomeUnknown(what, error);
  }
  release();
}

/**
 * Holds the reservation of a change sent without a task id to follow for a while, then lets
 * live usage take over. The hold uses no session, so a sign-out does not end it.
 */
function holdWithoutTask(
  what: string,
  context: Pick<TrackedTaskContext, 'log' | 'background' | 'deadlineMs'>,
  release: () => void,
): void {
  context.log.warn(`lost contact while asking PVE to ${what}; holding its reservation`);
  void pause(context.deadlineMs, context.background.closeSignal).then(release);
}
