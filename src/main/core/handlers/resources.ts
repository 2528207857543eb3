import { approveChange, quotaExceededError, usageWithPending } from '../../quota/approve';
import type { HandlerGroup } from '../context';
import { changeableGuest } from '../ownership';
import { runTrackedWrite } from '../tracked-task';
import {
  checkResourceFields,
  planResourceChange,
  readGuestResources,
  resourceDelta,
} from '../resource-change';

/** CPU and memory changes, priced against the quota before anything is written. */
export const resourceHandlers: HandlerGroup<'instance:resources'> = {
  'instance:resources': async (input, context) => {
    const { sessions, quota, reservations, log } = context;
    // A field the guest type does not have is bad input: refused before anything is read.
    checkResourceFields(input.type, input);
    const { api, userid } = await sessions.api();
    const ref = { node: input.node, type: input.type, vmid: input.vmid };

    // Price and reserve under the user's lock, so concurrent requests cannot overspend together.
    const priced = await reservations.withUserLock(userid, async () => {
      // Pending first: a change released while the cluster is read is then counted, not missed.
      const pending = reservations.pending(userid);
      const snapshot = await quota.snapshot(api, userid);
      const guest = changeableGuest(snapshot, ref);
      const plan = planResourceChange(ref.type, guest.config, input);
      if (Object.keys(plan.params).length === 0) return { plan, digest: null, release: null };

      const delta = resourceDelta(snapshot.limits, guest, plan.after);
      const decision = approveChange(
        snapshot.limits,
        usageWithPending(snapshot.usage, pending),
        delta,
      );
      if (!decision.approved) {
        log.info(`refused resource change of ${ref.vmid} for ${userid}`);
        throw quotaExceededError(decision);
      }
      return {
        plan,
        digest: guest.config.digest,
        release: reservations.reserve(userid, delta),
      };
    });

    if (priced.digest === null || priced.release === null) {
      return { changed: false, resources: readGuestResources(ref.type, priced.plan.after) };
    }
    const digest = priced.digest;
    // The write is synchronous: once PVE has answered, live usage shows it (or nothing changed),
    // so the reservation goes then; it is held for a while when the answer was lost.
    await runTrackedWrite(
      `change the resources of ${ref.vmid}`,
      // The digest makes PVE refuse the write if the config changed since it was priced.
      () => api.updateConfig(ref.node, ref.type, ref.vmid, { ...priced.plan.params, digest }),
      {
        log: context.log,
        background: context.background,
        deadlineMs: context.settings.taskDeadlineMs,
        release: priced.release,
      },
    );
    context.emit('cluster:changed', { reason: `changed the resources of ${ref.vmid}` });
    // The change is made; a failed read-back must not report it as failed (and invite a retry).
    const config = await api.config(ref.node, ref.type, ref.vmid).catch(() => priced.plan.after);
    return { changed: true, resources: readGuestResources(ref.type, config) };
  },
};
