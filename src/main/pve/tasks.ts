import { AppError, isAppError } from '../../shared/errors';
import type { TaskOutcome } from '../../shared/contract';
import type { PveApi } from './api';
import { isNoAnswer } from './errors';

/** What a follower reports while a task runs. */
export interface TaskProgress {
  upid: string;
  node: string;
  state: 'running' | 'stopped';
  lines: string[];
  exitStatus: string | null;
}

/** How to follow a task. */
export interface FollowOptions {
  onProgress?: (progress: TaskProgress) => void;
  /** Give up after this long; the task may still run on PVE. */
  deadlineMs?: number;
  /** First poll interval; it grows by half each poll up to `maxIntervalMs`. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops following (with an AbortError) when aborted, e.g. on sign-out. */
  signal?: AbortSignal;
  /**
   * How long polls may keep failing for want of contact (the node PVE forwards to is briefly
   * unreachable, a connection drops) or on PVE's side (a 5xx, such as a cluster filesystem lock
   * that timed out) before following gives up with the last error.
   */
  contactLostGraceMs?: number;
}

/**
 * Whether a failed poll is worth sending again: it did not get through, or PVE failed on its
 * side (5xx). A refused session (401) or permission (403) would only be refused again.
 */
function isPollRetryable(error: unknown): boolean {
  if (!isAppError(error)) return false;
  // Asking a task's status again is harmless, and the task runs on whether or not anyone asks.
  return isNoAnswer(error) || (error.details?.status ?? 0) >= 500;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** The node a UPID belongs to (its second field). */
export function nodeOfUpid(upid: string): string {
  const node = upid.split(':')[1];
  if (!node) throw new AppError('PVE_ERROR', `PVE returned a malformed task id: ${upid}`);
  return node;
}

/** Classifies a stopped task's exit status the way PVE does. */
export function classifyExitStatus(exitStatus: string): TaskOutcome['status'] {
  if (exitStatus === 'OK') return 'ok';
  // `WARNINGS: <n>` is PVE's success-with-warnings.
  if (/^WARNINGS: \d+$/.test(exitStatus)) return 'warnings';
  return 'failed';
}

/**
 * The task's log lines after `after`, or none when the log cannot be read this time: the log only
 * shows progress, and the status alone says whether and how the task ended.
 */
async function freshLogLines(
  api: PveApi,
  node: string,
  upid: string,
  after: number,
  signal: AbortSignal | undefined,
): Promise<Array<{ n: number; t: string }>> {
  try {
    const log = await api.taskLog(node, upid, after, signal);
    // PVE numbers log lines from 1 and answers `start` as the 0-based line to begin with.
    return log.filter((line) => line.n > after && line.t !== 'no content');
  } catch {
    signal?.throwIfAborted();
    return [];
  }
}

/**
 * Follows a PVE task to its end with adaptive polling, streaming new log lines. Resolves with
 * the outcome (including failure); rejects with TASK_TIMEOUT when the deadline passes first.
 */
export async function followTask(
  api: PveApi,
  upid: string,
  options: FollowOptions = {},
): Promise<TaskOutcome> {
  const node = nodeOfUpid(upid);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const deadline = now() + (options.deadlineMs ?? 10 * 60_000);
  let interval = options.minIntervalMs ?? 250;
  const maxInterval = options.maxIntervalMs ?? 2_000;
  let nextLine = 0;

  const graceMs = options.contactLostGraceMs ?? 10_000;
  // When the current run of polls that did not get through began, if one is going on.
  let lostSince: number | null = null;

  for (;;) {
    options.signal?.throwIfAborted();
    const asked = now();
    let status: Awaited<ReturnType<PveApi['taskStatus']>>;
    try {
      status = await api.taskStatus(node, upid, options.signal);
      lostSince = null;
    } catch (error) {
      options.signal?.throwIfAborted();
      if (!isPollRetryable(error)) throw error;
      // From when the first poll that did not get through was sent: one that hung until its
      // timeout has used up the grace already.
      lostSince ??= asked;
      if (now() - lostSince >= graceMs || now() + interval > deadline) throw error;
      await sleep(interval);
      interval = Math.min(maxInterval, Math.round(interval * 1.5));
      continue;
    }
    const fresh = await freshLogLines(api, node, upid, nextLine, options.signal);
    if (fresh.length > 0) nextLine = Math.max(...fresh.map((line) => line.n));
    const exitStatus = status.status === 'stopped' ? (status.exitstatus ?? 'unknown') : null;
    options.onProgress?.({
      upid,
      node,
      state: status.status,
      lines: fresh.map((line) => line.t),
      exitStatus,
    });
    if (exitStatus !== null) return { upid, status: classifyExitStatus(exitStatus), exitStatus };
    if (now() + interval > deadline) {
      throw new AppError(
        'TASK_TIMEOUT',
        'The PVE task did not finish in time and may still be running; its progress is in the task log of the PVE web UI.',
        { upid },
      );
    }
    await sleep(interval);
    options.signal?.throwIfAborted();
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}
