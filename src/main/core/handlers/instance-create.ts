import type { HandlerGroup } from '../context';
import { listMedia } from '../instance-create-media';
import { claimNewVmid, planNewInstance } from '../instance-create-planner';
import { commitClaimedChange, committedTask } from '../priced-commit';

/** Listing installation media, and creating VMs and containers. */
export const instanceCreateHandlers: HandlerGroup<'storage:media' | 'instance:create'> = {
  'storage:media': async (input, { sessions, quota }) => {
    const { api, userid } = await sessions.api();
    const limits = await quota.limitsFor(api, userid);
    return listMedia(api, limits, input.node, input.content);
  },

  'instance:create': async (input, context) => {
    const kind = input.type === 'qemu' ? 'VM' : 'container';
    const outcome = await commitClaimedChange(context, {
      planner: planNewInstance(input),
      what: `create a ${kind} on ${input.node}`,
      // The id is chosen once the quota approved the guest, and held until its outcome is certain.
      claim: claimNewVmid(context.reservations),
      commit: ({ api, detail }) => {
        const { plan, vmid } = detail;
        // The password joins the parameters only here: it is never part of the plan, nor logged.
        const params = {
          ...plan.params,
          vmid,
          ...(input.type === 'lxc' && input.password !== undefined
            ? { password: input.password }
            : {}),
        };
        return {
          task: () => api.createGuest(input.node, input.type, params),
          what: `create ${kind} ${vmid} on ${input.node}`,
          changed: `created ${input.type} ${vmid} in pool ${plan.pool}`,
        };
      },
    });
    const task = committedTask(outcome);
    return { vmid: outcome.detail.vmid, node: input.node, type: input.type, task };
  },
};
