import type { HandlerGroup } from '../context';
import { planDestroy } from '../destroy-planner';
import { commitPricedChange, committedTask } from '../priced-commit';

/**
 * Destroying a guest, through the priced path every change takes (see destroy-planner.ts for the
 * checks). The request purges the guest from jobs and HA and removes unreferenced volumes of its
 * vmid, so no orphaned disk keeps occupying the user's storage quota.
 */
export const destroyHandlers: HandlerGroup<'instance:destroy'> = {
  'instance:destroy': async (input, context) => {
    const ref = { node: input.node, type: input.type, vmid: input.vmid };
    const changed = `destroy of ${ref.vmid}`;
    let sent = false;
    try {
      const outcome = await commitPricedChange(context, {
        planner: planDestroy(ref),
        what: `destroy guest ${ref.vmid}`,
        commit: ({ api, detail }) => ({
          task: () => {
            sent = true;
            context.log.info(`${detail.userid} destroys ${ref.type} ${ref.vmid} on ${ref.node}`);
            return api.destroyGuest(ref.node, ref.type, ref.vmid);
          },
          changed,
        }),
      });
      return { vmid: ref.vmid, task: committedTask(outcome) };
    } catch (error) {
      // Even a failed task may have removed some volumes before it stopped.
      if (sent) context.emit('cluster:changed', { reason: changed });
      throw error;
    }
  },
};
