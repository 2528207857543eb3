import type { DiskSlotResult } from '../../../shared/disk-slot-schemas';
import type { CoreContext, HandlerGroup } from '../context';
import { planDiskAttach, planDiskDelete, planDiskDetach } from '../disk-planners';
import type { SlotPlan } from '../disk-slot-change';
import type { OnGuest, Planner } from '../planner';
import { commitPricedChange, configWriteCommit } from '../priced-commit';

/**
 * Commits one slot change with the digest it was planned on, so a config changed meanwhile is
 * refused by PVE (CONFLICT) instead of being overwritten.
 */
async function commitSlotChange(
  context: CoreContext,
  input: { vmid: number },
  what: string,
  planner: Planner<OnGuest<SlotPlan>>,
): Promise<DiskSlotResult> {
  const { detail } = await commitPricedChange(context, {
    planner,
    what: `${what} of ${input.vmid}`,
    commit: configWriteCommit(`changed the disks of ${input.vmid}`),
  });
  return detail.result;
}

/** Detaching, attaching and deleting volumes, and removing CD drives. */
export const diskSlotHandlers: HandlerGroup<'disk:detach' | 'disk:attach' | 'disk:delete'> = {
  'disk:detach': (input, context) =>
    commitSlotChange(context, input, `detach ${input.disk}`, planDiskDetach(input)),

  'disk:attach': (input, context) =>
    commitSlotChange(context, input, `attach ${input.volume}`, planDiskAttach(input)),

  'disk:delete': (input, context) =>
    commitSlotChange(context, input, `delete ${input.disk}`, planDiskDelete(input)),
};
