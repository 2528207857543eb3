import type { TaskOutcome } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { PveApi } from '../pve/api';
import type { GuestConfig } from '../pve/api-schemas';
import { quotaRefusalError } from '../quota/approve';
import type { CoreContext } from './context';
import type { OnGuest, Planner } from './planner';
import { priceOnSnapshot } from './pricing';
import type { TaskOwner } from './background-tasks';
import { runTrackedTask, runTrackedWrite, type TrackedTaskContext } from './tracked-task';

// The one path every mutating operation takes: price under the user's lock, reserve, commit.
// Under the lock, pending reservations are read before the usage snapshot (a change released
// during the read is then counted, not missed; see reservations.ts), the operation's planner
// works out the change, the quota decides, and an approved change is reserved. Outside the lock
// the change is sent (a change to a guest with the config digest it was planned on), and its
// reservation is released by the tracked-task rules: at once on a certain outcome, held while
// the outcome is unknown. An operation that must also take something for the approved change
// alone (a new guest's id) claims it under the lock, after approval; it is released with the
// reservation.

/** What an approved change is committed with: the plan's detail, and the API to send it with. */
export interface Approved<D> {
  api: PveApi;
  detail: D;
}

/** How an approved change is sent: as a task PVE answers with a UPID, or a synchronous write. */
export type Commit = (
  { task: () => Promise<string>; write?: never } | { write: () => Promise<void>; task?: never }
) & {
  /** Why the cluster changed, for the `cluster:changed` event (`resized scsi0 of 100`). */
  changed: string;
  /** What the commit does, when the plan names it more precisely than the operation did. */
  what?: string;
};

/** One mutating operation: its planner, what it does in words, and how it is committed. */
export interface PricedOperation<D> {
  planner: Planner<D>;
  /** In words, for the log and task errors: `resize scsi0 of 100`. */
  what: string;
  commit: (approved: Approved<D>) => Commit;
}

/** How the operation ended: nothing needed to change, or the change was committed. */
export type PricedOutcome<D> = { api: PveApi; detail: D } & (
  { changed: false } | { changed: true; task: TaskOutcome | null }
);

/** What an approved change holds besides its quota, and how it is given back. */
export interface Claim<C> {
  /** The plan's detail with what was claimed, as the commit is sent with it. */
  detail: C;
  /** Gives the claim back; runs inside the reservation's release, so on the same rules. */
  release: () => void;
}

/**
 * An operation that must take something once it is approved and before it is sent, which neither
 * a refused change nor a preview may take (a new guest's id). `claim` runs under the user's lock
 * after the quota approved the plan; when it throws, nothing is reserved or sent. Its plans
 * always write something.
 */
export interface ClaimingOperation<D, C> {
  planner: Planner<D>;
  /** In words, for the log and task errors. */
  what: string;
  claim: (approved: Approved<D>) => Promise<Claim<C>>;
  commit: (approved: Approved<C>) => Commit;
}

/** What runTrackedTask and runTrackedWrite need, from the core's context and settings. */
export function trackedTaskContext(
  context: CoreContext,
  api: PveApi,
  owner: TaskOwner,
  release: () => void,
): TrackedTaskContext {
  return {
    api,
    owner,
    log: context.log,
    now: context.now,
    background: context.background,
    deadlineMs: context.settings.taskDeadlineMs,
    pollMinMs: context.settings.taskPollMinMs,
    contactLostGraceMs: context.settings.taskContactLostGraceMs,
    onProgress: (progress) => context.emit('task:progress', progress),
    release,
  };
}

/**
 * Prices, reserves and commits one operation. Throws QUOTA_EXCEEDED (nothing reserved or sent)
 * when the quota refuses it, whatever the planner throws, and whatever the commit throws
 * (TASK_FAILED, CONFLICT, OUTCOME_UNKNOWN, ...); emits `cluster:changed` once it is committed.
 */
export async function commitPricedChange<D>(
  context: CoreContext,
  operation: PricedOperation<D>,
): Promise<PricedOutcome<D>> {
  const claim = ({ detail }: Approved<D>): Promise<Claim<D>> =>
    Promise.resolve({ detail, release: () => undefined });
  return commitWithClaim(context, { ...operation, claim }, (detail) => detail);
}

/**
 * As commitPricedChange, with a claim taken once the change is approved (ClaimingOperation);
 * the claim is released with the reservation. Throws what the claim throws, nothing reserved.
 */
export function commitClaimedChange<D, C>(
  context: CoreContext,
  operation: ClaimingOperation<D, C>,
): Promise<PricedOutcome<C>> {
  return commitWithClaim(context, operation, () => {
    throw new AppError('INTERNAL', `Nothing would ${operation.what}: the plan writes nothing.`);
  });
}

/** The shared path; `unchanged` gives the outcome's detail for a plan that writes nothing. */
async function commitWithClaim<D, C>(
  context: CoreContext,
  operation: ClaimingOperation<D, C>,
  unchanged: (detail: D) => C,
): Promise<PricedOutcome<C>> {
  const { sessions, quota, reservations, log } = context;
  const { api, userid, clusterId } = await sessions.api();

  const priced = await reservations.withUserLock(userid, async () => {
    const pending = reservations.pending(userid);
    // The snapshot may be a warm one; every release drops it first (see reservations.ts).
    const snapshot = await quota.snapshot(api, userid);
    const { plan, decision } = await priceOnSnapshot(
      { api, quota, snapshot, pending },
      operation.planner,
    );
    if (plan.writesNothing === true) return { detail: unchanged(plan.detail), release: null };
    if (!decision.approved) {
      log.info(`refused to ${operation.what} for ${userid}`);
      throw quotaRefusalError(decision);
    }
    const claimed = await operation.claim({ api, detail: plan.detail });
    let reserved: () => void;
    try {
      reserved = reservations.reserve(userid, plan.delta);
    } catch (error) {
      claimed.release();
      throw error;
    }
    const release = (): void => {
      claimed.release();
      reserved();
    };
    return { detail: claimed.detail, release };
  });
  const { detail, release } = priced;
  if (release === null) return { api, detail, changed: false };

  let commit: Commit;
  try {
    commit = operation.commit({ api, detail });
  } catch (error) {
    // Nothing was sent: the outcome is certain, so the reservation goes.
    release();
    throw error;
  }
  const what = commit.what ?? operation.what;
  const tracked = trackedTaskContext(context, api, { userid, clusterId }, release);
  const task =
    commit.task !== undefined
      ? await runTrackedTask(what, commit.task, tracked)
      : await runTrackedWrite(what, commit.write, tracked).then(() => null);
  context.emit('cluster:changed', { reason: commit.changed });
  return { api, detail, changed: true, task };
}

/** A change to an existing guest's config: the values to write. */
type ConfigWrite = OnGuest<{ params: Record<string, string | number> }>;
/** A config write with the config as it will be afterwards. */
type ConfigChange = ConfigWrite & { after: GuestConfig };

/**
 * The commit of a plan that is one synchronous config write (`PUT .../config`) of its `params`,
 * with the digest of the config it was planned on, so PVE refuses it if the config changed
 * since. Once PVE has answered, live usage shows it, so the reservation goes then.
 */
export function configWriteCommit<D extends ConfigWrite>(
  changed: string,
): (approved: Approved<D>) => Commit {
  return ({ api, detail }) => {
    const { node, type, vmid, config } = detail.guest;
    return {
      write: () => api.updateConfig(node, type, vmid, { ...detail.params, digest: config.digest }),
      changed,
    };
  };
}

/**
 * Commits a plan that is one config write, then reads the config back: the guest's config after
 * the change (as planned when the read-back fails, since the change is made and a failed read
 * must not report it as failed), or as it was when nothing needed to change.
 */
export async function commitConfigChange<D extends ConfigChange>(
  context: CoreContext,
  operation: { planner: Planner<D>; what: string; changed: string },
): Promise<{ changed: boolean; config: GuestConfig; detail: D }> {
  const outcome = await commitPricedChange(context, {
    planner: operation.planner,
    what: operation.what,
    commit: configWriteCommit(operation.changed),
  });
  const { api, detail } = outcome;
  if (!outcome.changed) return { changed: false, config: detail.after, detail };
  const { node, type, vmid } = detail.guest;
  const config = await api.config(node, type, vmid).catch(() => detail.after);
  return { changed: true, config, detail };
}

/** The task of an operation committed as a task; INTERNAL when it was not sent as one. */
export function committedTask(outcome: PricedOutcome<unknown>): TaskOutcome {
  if (!outcome.changed || outcome.task === null) {
    throw new AppError('INTERNAL', 'The change was not sent as a PVE task.');
  }
  return outcome.task;
}
