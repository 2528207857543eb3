import { AppError } from '../../../shared/errors';
import { usageWithPending } from '../../quota/approve';
import type { HandlerGroup } from '../context';
import { planPciAttach, planPciDetach, planPciModify, qemuOnly } from '../guest-planners';
import { readAttachedPci, toPciAttached } from '../pci-change';
import { availablePci, isPermissionRefusal } from '../pci-listing';
import { commitConfigChange } from '../priced-commit';

/** The device now in `key`, as the config read back has it. */
function deviceIn(config: Record<string, unknown>, key: string): ReturnType<typeof toPciAttached> {
  const value = config[key];
  if (typeof value !== 'string') throw new AppError('INTERNAL', 'The device was not written.');
  return toPciAttached(key, value);
}

/** Listing, attaching, re-flagging and detaching PCI passthrough devices of VMs. */
export const pciHandlers: HandlerGroup<
  'pci:list' | 'pci:attached' | 'pci:attach' | 'pci:modify' | 'pci:detach'
> = {
  'pci:list': async (input, context) => {
    const { api, userid } = await context.sessions.api();
    const [snapshot, mappings, devices] = await Promise.all([
      context.quota.snapshot(api, userid),
      api.pciMappings(),
      // Most users may not read a node's hardware; they still see the mappings they may use.
      api.nodePciDevices(input.node).catch((error: unknown) => {
        if (isPermissionRefusal(error)) return null;
        throw error;
      }),
    ]);
    // With the attaches still being made, and per node, so `left` is what an attach there gets.
    const usage = usageWithPending(snapshot.usage, context.reservations.pending(userid));
    const rules = snapshot.limits.pciDevices;
    return {
      devices: availablePci(input.node, devices ?? [], mappings, rules, usage),
      hostDevicesReadable: devices !== null,
    };
  },

  'pci:attached': async (input, context) => {
    qemuOnly(input);
    const { api } = await context.sessions.api();
    return { devices: readAttachedPci(await api.config(input.node, input.type, input.vmid)) };
  },

  'pci:attach': async (input, context) => {
    const { config, detail } = await commitConfigChange(context, {
      planner: planPciAttach(input),
      what: `attach a PCI device to ${input.vmid}`,
      changed: `changed the PCI devices of ${input.vmid}`,
    });
    return { key: detail.key, device: deviceIn(config, detail.key) };
  },

  'pci:modify': async (input, context) => {
    const { changed, config } = await commitConfigChange(context, {
      planner: planPciModify(input),
      what: `change the flags of ${input.key} of ${input.vmid}`,
      changed: `changed the PCI devices of ${input.vmid}`,
    });
    return { changed, device: deviceIn(config, input.key) };
  },

  'pci:detach': async (input, context) => {
    await commitConfigChange(context, {
      planner: planPciDetach(input),
      what: `remove ${input.key} of ${input.vmid}`,
      changed: `changed the PCI devices of ${input.vmid}`,
    });
    return { key: input.key };
  },
};
