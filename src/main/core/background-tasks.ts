import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { PveApi } from '../pve/api';
import { followTask, nodeOfUpid } from '../pve/tasks';

// Tasks whose outcome ProxDesk does not know yet, each holding its quota reservation. A follower
// polls each one until it stops, then releases. Following needs the user's session, so it stops
// when the user signs out (their ticket must not be used after that), but the task keeps its
// reservation: the change may still happen, and releasing it then would let the same quota be
// spent twice. When the same user signs in to the same cluster again, the new session follows
// the task again. Only a task that stopped, or a hold that ran out while PVE could not be asked,
// releases: a task PVE still reports as running keeps its hold however long it runs. All of this
// lives in memory: closing the app forgets it, and the next reading of the cluster counts
// whatever the task did.

/** Who a task belongs to: the user and the cluster profile it was started on. */
export interface TaskOwner {
  userid: string;
  clusterId: string;
}

/** A task whose outcome is not known yet, with what is needed to settle it. */
export interface UnsettledTask {
  owner: TaskOwner;
  upid: string;
  /** In words, for the log: `create qemu 102`. */
  what: string;
  /**
   * When the hold ends if PVE cannot be asked meanwhile; each answer that the task is still
   * running pushes it back to an hour after that answer, so only a task out of contact for an
   * hour is left to live usage.
   */
  holdUntil: number;
  /** Releases the task's reservation; must be safe to call more than once. */
  release: () => void;
}

/** What a follower needs besides the API. */
export interface FollowDeps {
  now: () => number;
  log: Logger;
  /** Wait after a lost contact before asking again (default 5 s). */
  retryMs?: number;
}

/** A task's state in the book: followed by the follower with this number, or waiting (null). */
interface Entry {
  task: UnsettledTask;
  deps: FollowDeps;
  follower: number | null;
}

/**
 * How long a task whose outcome is unknown keeps its reservation: from when it was sent, and again
 * from each answer of PVE's that it is still running.
 */
export const unknownOutcomeHoldMs = 60 * 60_000;

/** Pushes a task's hold back to an hour after `now`, when PVE has just reported it running. */
export function extendHold(task: Pick<UnsettledTask, 'holdUntil'>, now: number): void {
  task.holdUntil = Math.max(task.holdUntil, now + unknownOutcomeHoldMs);
}

/** Errors after which a session cannot follow anything more: wait for the next sign-in. */
const sessionEnded = new Set(['SESSION_EXPIRED', 'PVE_AUTH', 'CERT_MISMATCH', 'NOT_SIGNED_IN']);

/** A sleep that ends early when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The unsettled tasks of this app: followed while their user is signed in, held always. */
export class BackgroundTasks {
  private following = new AbortController();
  private readonly closing = new AbortController();
  private readonly entries = new Set<Entry>();
  private followers = 0;

  /** The signal followers honour: it aborts when the user signs out or the app closes. */
  get signal(): AbortSignal {
    return this.following.signal;
  }

  /** Aborts only when the app closes; for holds that need no session (a timer). */
  get closeSignal(): AbortSignal {
    return this.closing.signal;
  }

  /**
   * Follows `task` with `api` until it stops (then releases) or its hold ends (then releases).
   * A task whose `signal` has aborted, or whose session ends meanwhile, waits for its owner's next
   * sign-in, its reservation held.
   */
  settle(task: UnsettledTask, api: PveApi, signal: AbortSignal, deps: FollowDeps): void {
    if (this.closing.signal.aborted) return;
    const entry: Entry = { task, deps, follower: null };
    this.entries.add(entry);
    if (signal.aborted) {
      deps.log.info(`holding ${task.upid} of ${task.owner.userid} until they sign in again`);
      return;
    }
    this.start(entry, api, signal);
  }

  /** Stops every follower (sign-out); their tasks keep their reservations and wait. */
  stopFollowing(): void {
    for (const entry of this.entries) entry.follower = null;
    this.following.abort();
    this.following = new AbortController();
  }

  /** Follows again, with the new session's API, the waiting tasks of the owner now signed in. */
  resume(owner: TaskOwner, api: PveApi): number {
    let resumed = 0;
    for (const entry of this.entries) {
      const { task } = entry;
      if (entry.follower !== null) continue;
      if (task.owner.userid !== owner.userid || task.owner.clusterId !== owner.clusterId) continue;
      entry.deps.log.info(`following ${task.upid} of ${owner.userid} again after sign-in`);
      this.start(entry, api, this.following.signal);
      resumed += 1;
    }
    return resumed;
  }

  /** The tasks not yet settled, oldest first: whose, on which node, which task. */
  unsettled(): Array<{ owner: TaskOwner; node: string; upid: string; followed: boolean }> {
    return [...this.entries].map(({ task, follower }) => ({
      owner: { ...task.owner },
      node: nodeOfUpid(task.upid),
      upid: task.upid,
      followed: follower !== null,
    }));
  }

  /** Stops everything for good (app close); what is held is forgotten with the process. */
  close(): void {
    this.closing.abort();
    this.following.abort();
    this.entries.clear();
  }

  private start(entry: Entry, api: PveApi, signal: AbortSignal): void {
    this.followers += 1;
    const follower = this.followers;
    entry.follower = follower;
    void this.follow(entry, api, signal).then(
      (ended) => this.finish(entry, follower, ended),
      (error: unknown) => {
        // Following must not end in an unhandled rejection; an unexpected fault releases nothing.
        entry.deps.log.error(`following ${entry.task.upid} failed: ${(error as Error)?.message}`);
        if (entry.follower === follower) entry.follower = null;
      },
    );
  }

  private finish(entry: Entry, follower: number, ended: boolean): void {
    if (ended) {
      // A stopped task is certain whichever follower saw it; release runs at most once.
      this.entries.delete(entry);
      entry.task.release();
      return;
    }
    // A follower stopped by a sign-out leaves its entry to whoever follows it next.
    if (entry.follower === follower) entry.follower = null;
  }

  /** True when the task is settled (it stopped, or the hold ended); false when it must wait. */
  private async follow(entry: Entry, api: PveApi, signal: AbortSignal): Promise<boolean> {
    const { task, deps } = entry;
    // Asked at least once, so a task that stopped while nobody followed it is released.
    let first = true;
    while (!signal.aborted && (first || deps.now() < task.holdUntil)) {
      first = false;
      try {
        await followTask(api, task.upid, {
          deadlineMs: task.holdUntil - deps.now(),
          maxIntervalMs: 10_000,
          // This loop is the retry: a poll that does not get through ends the follow, and the
          // loop asks again after its pause, for as long as the hold lasts.
          contactLostGraceMs: 0,
          now: deps.now,
          signal,
          onProgress: (progress) => {
            if (progress.state === 'running') extendHold(task, deps.now());
          },
        });
        return true;
      } catch (error) {
        if (signal.aborted) return false;
        const code = error instanceof AppError ? error.code : null;
        if (code === 'TASK_TIMEOUT') {
          // PVE answered that the task is still running (a long backup or disk move), which
          // pushed the hold back: its change is still to come. Only a hold spent out of contact
          // ends.
          deps.log.info(`${task.upid} (${task.what}) is still running; holding its reservation`);
          continue;
        }
        if (code !== null && sessionEnded.has(code)) {
          deps.log.info(`holding ${task.upid}: the session cannot follow it (${code})`);
          return false;
        }
        await pause(deps.retryMs ?? 5_000, signal);
      }
    }
    if (signal.aborted) return false;
    deps.log.warn(`stopped holding ${task.upid} (${task.what}); live usage shows what it did`);
    return true;
  }
}

/**
 * After a sign-in, follows again the unsettled tasks of the user now signed in on this cluster.
 * Never rejects: a session that cannot be had now leaves them waiting.
 */
export async function resumeAfterSignIn(
  sessions: { api(): Promise<{ api: PveApi; userid: string; clusterId: string }> },
  background: BackgroundTasks,
  log: Logger,
): Promise<void> {
  try {
    const { api, userid, clusterId } = await sessions.api();
    const resumed = background.resume({ userid, clusterId }, api);
    if (resumed > 0) log.info(`following ${resumed} unsettled task(s) of ${userid} again`);
  } catch (error) {
    const reason = error instanceof AppError ? error.code : 'unknown error';
    log.info(`unsettled tasks wait for the next sign-in (${reason})`);
  }
}
