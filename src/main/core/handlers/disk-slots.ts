import type { InstanceRef } from '../../../shared/contract';
import { isUnusedKey, type DiskSlotResult } from '../../../shared/disk-slot-schemas';
import { parseGuestVolumes } from '../../pve/volumes';
import { approveChange, quotaExceededError, usageWithPending } from '../../quota/approve';
import type { UserLimits } from '../../quota/limits';
import type { CoreContext, HandlerGroup } from '../context';
import {
  planAttach,
  planDelete,
  planDetach,
  type SlotGuest,
  type SlotPlan,
} from '../disk-slot-change';
import { changeableGuest } from '../ownership';
import { runTrackedWrite } from '../tracked-task';

/**
 * Plans, prices and writes one slot change: under the user's lock, pending reservations first,
 * then the snapshot; the plan is priced and reserved, then written with the digest it was planned
 * on, so a config changed meanwhile is refused by PVE (CONFLICT) instead of being overwritten.
 */
async function commitSlotChange(
  ref: InstanceRef,
  what: string,
  context: CoreContext,
  plan: (guest: SlotGuest, limits: UserLimits) => SlotPlan,
  options: { readUnusedSizes?: boolean } = {},
): Promise<DiskSlotResult> {
  const { sessions, quota, reservations, log } = context;
  const { api, userid } = await sessions.api();

  const priced = await reservations.withUserLock(userid, async () => {
    // Pending first: a change released while the cluster is read is then counted, not missed.
    const pending = reservations.pending(userid);
    const snapshot = await quota.snapshot(api, userid);
    const guest = changeableGuest(snapshot, ref);
    // Unused volumes rarely carry `size=`; what deleting one frees comes from the storage
    // listing. A listing PVE does not allow leaves the size unknown: a decrease passes anyway.
    const needsSizes =
      options.readUnusedSizes === true &&
      parseGuestVolumes(ref.type, guest.config).volumes.some(
        (v) => v.kind === 'unused' && v.sizeBytes === null,
      );
    const sizes = needsSizes
      ? await quota.missingVolumeSizes(api, [guest], { skipDenied: true })
      : new Map<string, number>();
    const planned = plan({ ...guest, sizes }, snapshot.limits);

    const decision = approveChange(
      snapshot.limits,
      usageWithPending(snapshot.usage, pending),
      planned.delta,
    );
    if (!decision.approved) {
      log.info(`refused to ${what} for ${userid}`);
      throw quotaExceededError(decision);
    }
    return {
      planned,
      digest: guest.config.digest,
      release: reservations.reserve(userid, planned.delta),
    };
  });

  // A synchronous write: once PVE has answered, live usage shows it, so the reservation goes then.
  await runTrackedWrite(
    what,
    () =>
      api.updateConfig(ref.node, ref.type, ref.vmid, {
        ...priced.planned.params,
        digest: priced.digest,
      }),
    {
      log,
      background: context.background,
      deadlineMs: context.settings.taskDeadlineMs,
      release: priced.release,
    },
  );
  context.emit('cluster:changed', { reason: `changed the disks of ${ref.vmid}` });
  return priced.planned.result;
}

function refOf(input: InstanceRef): InstanceRef {
  return { node: input.node, type: input.type, vmid: input.vmid };
}

/** Detaching, attaching and deleting volumes, and removing CD drives. */
export const diskSlotHandlers: HandlerGroup<'disk:detach' | 'disk:attach' | 'disk:delete'> = {
  'disk:detach': async (input, context) => {
    const ref = refOf(input);
    return commitSlotChange(ref, `detach ${input.disk} of ${ref.vmid}`, context, (guest) =>
      planDetach(guest, input.disk),
    );
  },

  'disk:attach': async (input, context) => {
    const ref = refOf(input);
    return commitSlotChange(
      ref,
      `attach ${input.volume} of ${ref.vmid}`,
      context,
      (guest, limits) => planAttach(guest, limits, input),
    );
  },

  'disk:delete': async (input, context) => {
    const ref = refOf(input);
    return commitSlotChange(
      ref,
      `delete ${input.disk} of ${ref.vmid}`,
      context,
      (guest) => planDelete(guest, input.disk),
      { readUnusedSizes: isUnusedKey(input.disk) },
    );
  },
};
