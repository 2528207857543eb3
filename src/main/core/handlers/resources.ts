import type { HandlerGroup } from '../context';
import { planResources } from '../guest-planners';
import { commitConfigChange } from '../priced-commit';
import { readGuestResources } from '../resource-change';

/** CPU and memory changes, priced against the quota before anything is written. */
export const resourceHandlers: HandlerGroup<'instance:resources'> = {
  'instance:resources': async (input, context) => {
    const { changed, config } = await commitConfigChange(context, {
      planner: planResources(input),
      what: `change the resources of ${input.vmid}`,
      changed: `changed the resources of ${input.vmid}`,
    });
    return { changed, resources: readGuestResources(input.type, config) };
  },
};
