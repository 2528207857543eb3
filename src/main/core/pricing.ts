import type { QuotaChange } from '../../shared/quota-schemas';
import {
  approveChange,
  usageWithPending,
  type Decision,
  type ResourceDelta,
} from '../quota/approve';
import { backupCountDecision } from '../quota/backup-limit';
import { planBackupCreate } from './backup-planners';
import { backupSlotsOf, type BackupSlots } from './backup-slots';
import type { CoreContext } from './context';
import { planDiskAttach, planDiskCreate, planDiskMove, planDiskResize } from './disk-planners';
import {
  planNetCreate,
  planNetModify,
  planPciAttach,
  planPciModify,
  planResources,
} from './guest-planners';
import { planNewInstance } from './instance-create-planner';
import type { ChangePlan, Planner, SnapshotReading } from './planner';

// Pricing a proposed change. Every mutating operation has one planner (planner.ts), which works
// out what the change writes and what it costs; the operation commits through it (see
// priced-commit.ts) and `quota:preview` prices through the very same planner, so what the user is
// shown before confirming is exactly what the operation will be held to.

/** A plan and the quota's decision on it. */
export interface PricedChange<D> {
  plan: ChangePlan<D>;
  decision: Decision;
}

/** What pricing reads: the snapshot, the cluster, and the changes still held as reservations. */
export type PricingReading = SnapshotReading & { pending: readonly ResourceDelta[] };

/** What some planners need from the core besides the change's input. */
export interface PlanningSetting {
  /** Slots held by backups being made, which the backup count includes. */
  backupSlots: BackupSlots;
  /** Whether the signed-in cluster commits changes with a lab token (elevated mode). */
  elevated: () => Promise<boolean>;
}

/** The planning setting of a core's signed-in session. */
export function planningSetting(
  context: Pick<CoreContext, 'sessions' | 'elevated' | 'reservations'>,
): PlanningSetting {
  return {
    backupSlots: backupSlotsOf(context.reservations),
    elevated: async () => {
      const { clusterId } = await context.sessions.api();
      return context.elevated.installed(clusterId) !== null;
    },
  };
}

/** The decision on both parts of a change, as one: it fits only if every item fits. */
function joinDecisions(first: Decision, second: Decision): Decision {
  return {
    approved: first.approved && second.approved,
    items: [...first.items, ...second.items],
    shortfalls: [...first.shortfalls, ...second.shortfalls],
    unknown: [...first.unknown, ...second.unknown],
  };
}

/**
 * Plans a change on the snapshot and prices it against the snapshot's usage plus the changes
 * still held as reservations, and the backups it makes against the backup count. Reserves nothing.
 */
export async function priceOnSnapshot<D>(
  reading: PricingReading,
  planner: Planner<D>,
): Promise<PricedChange<D>> {
  const { api, quota, snapshot, pending } = reading;
  const plan = await planner.plan({ api, quota, snapshot });
  const usage = usageWithPending(snapshot.usage, pending);
  const resources = approveChange(snapshot.limits, usage, plan.delta);
  if (plan.backupCount === undefined) return { plan, decision: resources };
  const { used, requested } = plan.backupCount;
  const backups = backupCountDecision(snapshot.limits.backups.max, used, requested);
  return { plan, decision: joinDecisions(resources, backups) };
}

/** Prices a change as the operation it names would be priced; reserves nothing. */
export function priceChange(
  reading: PricingReading,
  change: QuotaChange,
  setting: PlanningSetting,
): Promise<PricedChange<unknown>> {
  return priceOnSnapshot(reading, plannerFor(change, setting));
}

/**
 * The planner of the operation a preview names, built from the same input the operation takes.
 * Input that cannot be written is refused here, before anything is read.
 */
export function plannerFor(change: QuotaChange, setting: PlanningSetting): Planner<unknown> {
  switch (change.kind) {
    case 'disk:resize':
      return planDiskResize(change);
    case 'disk:create':
      return planDiskCreate(change);
    case 'disk:attach':
      return planDiskAttach(change);
    case 'disk:move':
      return planDiskMove(change);
    case 'instance:resources':
      return planResources(change);
    case 'net:create':
      return planNetCreate(change);
    case 'net:modify':
      return planNetModify(change);
    case 'pci:attach':
      return planPciAttach(change);
    case 'pci:modify':
      return planPciModify(change);
    case 'instance:create':
      // The planner alone: the new guest's id is claimed only by the operation, once approved.
      return planNewInstance(change);
    case 'backup:create':
      // The planner alone: the slot of a backup being made is held only by the operation.
      return planBackupCreate(change, setting.backupSlots, setting.elevated);
    // A new operation adds its channel's input to quotaChangeSchema and its planner here, and
    // commits through commitPricedChange.
  }
}
