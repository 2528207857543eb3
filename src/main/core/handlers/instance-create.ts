import { approveChange, quotaExceededError, usageWithPending } from '../../quota/approve';
import type { ReservationBook } from '../../quota/reservations';
import type { HandlerGroup } from '../context';
import { listMedia, requireListedMedia } from '../instance-create-media';
import { planInstanceCreate } from '../instance-create-plan';
import { chooseVmid, requireVmidInRange } from '../instance-create-vmid';
import { isGuestRow } from '../ownership';
import { runTrackedTask } from '../tracked-task';

// Ids of creates that are priced but whose outcome is not certain yet, per reservation book (one
// per core), so two creates in flight never pick the same id before PVE knows either guest.
const claimedVmids = new WeakMap<ReservationBook, Set<number>>();

function claimsOf(book: ReservationBook): Set<number> {
  let claims = claimedVmids.get(book);
  if (claims === undefined) {
    claims = new Set();
    claimedVmids.set(book, claims);
  }
  return claims;
}

/** Listing installation media, and creating VMs and containers. */
export const instanceCreateHandlers: HandlerGroup<'storage:media' | 'instance:create'> = {
  'storage:media': async (input, { sessions, quota }) => {
    const { api, userid } = await sessions.api();
    const limits = await quota.limitsFor(api, userid);
    return listMedia(api, limits, input.node, input.content);
  },

  'instance:create': async (input, context) => {
    const { sessions, quota, reservations, log, emit, settings } = context;
    const { api, userid } = await sessions.api();
    const claims = claimsOf(reservations);

    // Price and reserve under the user's lock, so concurrent requests cannot overspend together.
    const priced = await reservations.withUserLock(userid, async () => {
      // Pending first: a change released while the cluster is read is then counted, not missed.
      const pending = reservations.pending(userid);
      const snapshot = await quota.snapshot(api, userid);
      const { limits } = snapshot;
      if (input.vmid !== undefined) requireVmidInRange(limits, input.vmid);
      const plan = planInstanceCreate(limits, input, input.vmid ?? 0);
      const decision = approveChange(limits, usageWithPending(snapshot.usage, pending), plan.delta);
      if (!decision.approved) {
        log.info(`refused new ${input.type} on ${input.node} for ${userid}`);
        throw quotaExceededError(decision);
      }
      if (input.type === 'lxc') {
        await requireListedMedia(api, limits, input.node, 'vztmpl', input.ostemplate, 'ostemplate');
      } else if (input.iso !== undefined) {
        await requireListedMedia(api, limits, input.node, 'iso', input.iso, 'iso');
      }
      const taken = new Set(claims);
      for (const row of snapshot.rows) if (isGuestRow(row)) taken.add(row.vmid);
      const vmid = await chooseVmid(api, limits, taken, input.vmid);
      claims.add(vmid);
      return { plan, vmid, release: reservations.reserve(userid, plan.delta) };
    });

    const { plan, vmid } = priced;
    // The password joins the parameters only here: it is never part of the plan, nor logged.
    const params = {
      ...plan.params,
      vmid,
      ...(input.type === 'lxc' && input.password !== undefined ? { password: input.password } : {}),
    };
    const what = `create ${input.type === 'qemu' ? 'VM' : 'container'} ${vmid} on ${input.node}`;
    const task = await runTrackedTask(what, () => api.createGuest(input.node, input.type, params), {
      api,
      log,
      now: context.now,
      background: context.background,
      deadlineMs: settings.taskDeadlineMs,
      pollMinMs: settings.taskPollMinMs,
      onProgress: (progress) => emit('task:progress', progress),
      release: () => {
        claims.delete(vmid);
        priced.release();
      },
    });
    emit('cluster:changed', { reason: `created ${input.type} ${vmid} in pool ${plan.pool}` });
    return { vmid, node: input.node, type: input.type, task };
  },
};
