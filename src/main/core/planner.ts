import type { InstanceRef } from '../../shared/contract';
import type { PveApi } from '../pve/api';
import type { ResourceDelta } from '../quota/approve';
import type { UserLimits } from '../quota/limits';
import { changeableGuest } from './ownership';
import type { QuotaService, UsageSnapshot } from './quota-service';

// The shape of an operation's planner. A planner works out, from the user's usage snapshot, what
// one change writes and what it costs; it is the single source of that cost, used by the
// operation when it commits (priced-commit.ts) and by `quota:preview` (pricing.ts) alike.

/** What a planner reads: the user's usage snapshot, and the cluster for anything more. */
export interface SnapshotReading {
  api: PveApi;
  quota: QuotaService;
  snapshot: UsageSnapshot;
}

/** What one change writes (`detail`, as the commit needs it) and what it costs. */
export interface ChangePlan<D> {
  /** The cost; `{ node }` alone when the change costs nothing. Negative numbers free quota. */
  delta: ResourceDelta;
  detail: D;
  /**
   * Backups the change makes, priced against `backups.max` with the cost: those the usage
   * snapshot does not hold (`used`, counted from the storages by the planner) and how many more.
   */
  backupCount?: { used: number; requested: number };
  /** The guest already is as asked: nothing is reserved or written. */
  writesNothing?: boolean;
}

/** One operation's planner. Throws NOT_FOUND, INVALID_INPUT, CONFLICT, ... when it cannot apply. */
export interface Planner<D> {
  plan: (reading: SnapshotReading) => ChangePlan<D> | Promise<ChangePlan<D>>;
}

/** A guest of the user's usage snapshot, with its config. */
export type PricedGuest = UsageSnapshot['guests'][number];

/** What a planner of a change to an existing guest looks at. */
export interface Planning {
  api: PveApi;
  quota: QuotaService;
  limits: UserLimits;
  guest: PricedGuest;
}

/** The detail of a change to an existing guest: what it writes, and the guest as it was priced. */
export type OnGuest<D> = D & { guest: PricedGuest };

/**
 * A planner for a change to an existing guest: the guest must be one the user owns, readable and
 * not locked (changeableGuest); the plan is worked out on its config as the snapshot has it.
 */
export function guestPlanner<D extends object>(
  ref: InstanceRef,
  plan: (planning: Planning) => ChangePlan<D> | Promise<ChangePlan<D>>,
): Planner<OnGuest<D>> {
  return {
    plan: async ({ api, quota, snapshot }) => {
      const guest = changeableGuest(snapshot, ref);
      const planned = await plan({ api, quota, limits: snapshot.limits, guest });
      return { ...planned, detail: { ...planned.detail, guest } };
    },
  };
}

/** A plan that changes nothing on the guest. */
export function unchangedPlan<D>(guest: PricedGuest, detail: D): ChangePlan<D> {
  return { delta: { node: guest.node }, detail, writesNothing: true };
}
