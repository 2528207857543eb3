import type { HandlerGroup } from '../context';
import { interfaceIn, planNetCreate, planNetDelete, planNetModify } from '../guest-planners';
import { commitConfigChange } from '../priced-commit';

/** Adding, re-rating and removing network interfaces, priced against the network quota. */
export const networkHandlers: HandlerGroup<'net:create' | 'net:modify' | 'net:delete'> = {
  'net:create': async (input, context) => {
    const { config, detail } = await commitConfigChange(context, {
      planner: planNetCreate(input),
      what: `add a network interface to ${input.vmid}`,
      changed: `changed the network interfaces of ${input.vmid}`,
    });
    return { key: detail.key, network: interfaceIn(input.type, config, detail.key, input.vmid) };
  },

  'net:modify': async (input, context) => {
    const { changed, config } = await commitConfigChange(context, {
      planner: planNetModify(input),
      what: `change the rate of ${input.key} of ${input.vmid}`,
      changed: `changed the network interfaces of ${input.vmid}`,
    });
    return { changed, network: interfaceIn(input.type, config, input.key, input.vmid) };
  },

  'net:delete': async (input, context) => {
    await commitConfigChange(context, {
      planner: planNetDelete(input),
      what: `remove ${input.key} of ${input.vmid}`,
      changed: `changed the network interfaces of ${input.vmid}`,
    });
    return { key: input.key };
  },
};
